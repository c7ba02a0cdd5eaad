"""Train a multilayer perceptron on Fashion-MNIST with autograd_core's nn and optim, and
report its test accuracy.

    python examples/train_mlp_fashion_mnist.py                 # 5 epochs, 784-256-128-10
    python examples/train_mlp_fashion_mnist.py --epochs 10 --optimizer adam --lr 1e-3

The data are found (or downloaded) by ``nn.data.load_fashion_mnist``; pass ``--data-dir``
to read them from a directory of your own.
"""
import argparse
import time

import numpy as np

import autograd_core as ag
import nn
import optim
from nn.data import DataLoader, TensorDataset, load_fashion_mnist

try:
    from tqdm.auto import tqdm
except ImportError:  # the progress bar is optional
    tqdm = None


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--hidden", type=int, nargs="+", default=[256, 128], help="hidden layer sizes")
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    parser.add_argument("--lr", type=float, default=None, help="learning rate (default 0.05 for SGD, 1e-3 for Adam)")
    parser.add_argument("--momentum", type=float, default=0.9, help="SGD momentum")
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=None, help="directory holding the four Fashion-MNIST .gz files")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args()


def standardize(images, mean, std):
    """Pixels to float32, centred and scaled with the training set's statistics."""
    return ((images.reshape(len(images), -1).astype(np.float32) / 255.0) - mean) / std


def mlp(sizes, dropout):
    """Linear layers of the given sizes with ReLU (and optional dropout) between them."""
    layers = []
    for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        if dropout:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return nn.Sequential(*layers)


@ag.no_grad()
def evaluate(model, X, y, batch_size=1000):
    model.eval()
    correct = sum(
        int((model(ag.Tensor(X[i : i + batch_size])).data.argmax(axis=1) == y[i : i + batch_size]).sum())
        for i in range(0, len(X), batch_size)
    )
    model.train()
    return correct / len(X)


def main():
    args = parse_args()
    ag.manual_seed(args.seed)
    train_images, train_labels = load_fashion_mnist(args.data_dir, split="train")
    test_images, test_labels = load_fashion_mnist(args.data_dir, split="test")
    pixels = train_images.astype(np.float32) / 255.0
    mean, std = float(pixels.mean()), float(pixels.std())
    X_train, X_test = standardize(train_images, mean, std), standardize(test_images, mean, std)

    model = mlp([784, *args.hidden, 10], args.dropout)
    loss_fn = nn.CrossEntropyLoss()
    if args.optimizer == "sgd":
        optimizer = optim.SGD(model.parameters(), lr=args.lr or 0.05, momentum=args.momentum)
    else:
        optimizer = optim.Adam(model.parameters(), lr=args.lr or 1e-3)
    schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loader = DataLoader(TensorDataset(X_train, train_labels), batch_size=args.batch_size, shuffle=True, seed=args.seed)
    print(model)

    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        batches = loader if tqdm is None or args.no_progress else tqdm(loader, desc=f"epoch {epoch}", leave=False)
        total = 0.0
        for images, labels in batches:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item()
        schedule.step()
        print(f"epoch {epoch}: training loss {total / len(loader):.4f}, test accuracy {evaluate(model, X_test, test_labels):.4f}")
    elapsed = time.perf_counter() - start
    print(f"test accuracy: {evaluate(model, X_test, test_labels):.4f} after {args.epochs} epochs ({elapsed:.1f} s of training)")


if __name__ == "__main__":
    main()
