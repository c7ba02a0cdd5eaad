"""Fashion-MNIST read row by row: a recurrent network sees each 28x28 image as a sequence
of 28 rows of 28 pixels, and classifies it from its final hidden state.

    python examples/sequence_fashion_mnist.py                  # LSTM, 128 hidden units
    python examples/sequence_fashion_mnist.py --cell gru --epochs 10
    python examples/sequence_fashion_mnist.py --limit 5000     # a quick run on a subset

The network has no convolution and no notion of 2-D space: whatever it knows about the
picture it must carry in its state from row to row, for 28 steps of backprop through time.
Published recurrent baselines on this task reach about 0.89 test accuracy.
"""
import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import autograd_core as ag  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402
from nn.data import DataLoader, TensorDataset, load_fashion_mnist  # noqa: E402
from train_fashion_mnist import accuracy  # noqa: E402  (the convnet example's evaluation loop)

MEAN, STD = 0.2860, 0.3530  # of the training pixels, scaled to [0, 1]


class RowClassifier(nn.Module):
    """Rows -> LSTM/GRU -> last hidden state -> linear layer -> 10 class logits."""

    def __init__(self, cell="lstm", hidden_size=128, num_layers=1):
        super().__init__()
        recurrent = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = recurrent(28, hidden_size, num_layers=num_layers, batch_first=True)
        self.classifier = nn.Linear(hidden_size, 10)

    def forward(self, images):
        """``images`` (B, 28, 28): 28 time steps of 28 features each."""
        _, state = self.rnn(images)
        h_n = state[0] if isinstance(state, tuple) else state
        return self.classifier(h_n[-1])


def load(split, limit=None):
    images, labels = load_fashion_mnist(split=split)
    if limit:
        images, labels = images[:limit], labels[:limit]
    return ((images.astype(np.float32) / 255 - MEAN) / STD), labels


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3, help="Adam learning rate (decayed by 0.7 per epoch)")
    parser.add_argument("--clip", type=float, default=1.0, help="max total gradient norm")
    parser.add_argument("--limit", type=int, help="use only the first N training images")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    ag.manual_seed(args.seed)
    train_images, train_labels = load("train", args.limit)
    test_images, test_labels = load("test")
    loader = DataLoader(TensorDataset(train_images, train_labels), batch_size=args.batch_size, shuffle=True,
                        seed=args.seed)
    model = RowClassifier(args.cell, args.hidden, args.layers)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    scheduler = optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.7)
    loss_fn = nn.CrossEntropyLoss()
    print(model)
    print(f"{len(train_images):,} training images, {len(test_images):,} test images, "
          f"{sum(p.size for p in model.parameters()):,} parameters")

    if args.no_progress:
        progress = lambda batches, **options: batches  # noqa: E731
    else:
        from tqdm import tqdm as progress
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        total, count = 0.0, 0
        batches = progress(loader, leave=False, unit="batch", desc=f"epoch {epoch}")
        for images, labels in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            optimizer.step()
            total += loss.item() * len(labels)
            count += len(labels)
            if hasattr(batches, "set_postfix"):
                batches.set_postfix(loss=f"{loss.item():.3f}")
        scheduler.step()
        test_accuracy = accuracy(model, test_images, test_labels)
        print(f"epoch {epoch:2d}  train loss {total / count:.4f}  test accuracy {test_accuracy:.4f}  "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
    return test_accuracy


if __name__ == "__main__":
    main()
