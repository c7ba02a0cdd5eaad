"""A character-level language model: an LSTM (or GRU) reads text one character at a time
and learns to predict the next one, then writes new text by sampling from itself.

    python examples/char_language_model.py                        # Debian's fortune cookies
    python examples/char_language_model.py --text book.txt --cell gru --epochs 20
    python examples/char_language_model.py --temperature 0.5      # safer, duller samples

Training is truncated backprop through time: the text is cut into ``--batch-size``
parallel streams, read ``--seq-len`` characters at a time; the recurrent state is carried
from one chunk to the next but detached, so gradients flow back at most ``--seq-len``
steps. Gradients are clipped to a total norm of ``--clip`` (recurrent nets are prone to
exploding gradients). After every epoch the script prints the validation perplexity,
exp(mean cross-entropy per character): the number of characters the model is as unsure
about as a uniform guess among that many would be; and a sample of generated text.
"""
import argparse
import math
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import autograd_core as ag  # noqa: E402
import nn  # noqa: E402
import nn.functional as F  # noqa: E402
import optim  # noqa: E402

DEFAULT_TEXT = "/usr/share/games/fortunes/cookie"


class CharModel(nn.Module):
    """One-hot characters -> LSTM/GRU layers -> a linear layer giving next-character logits."""

    def __init__(self, vocab_size, hidden_size, num_layers, cell="lstm", dropout=0.0):
        super().__init__()
        self.vocab_size = vocab_size
        recurrent = {"lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = recurrent(vocab_size, hidden_size, num_layers=num_layers, dropout=dropout)
        self.decoder = nn.Linear(hidden_size, vocab_size)

    def forward(self, codes, state=None):
        """``codes`` (T, B) integers; returns logits (T, B, vocab_size) and the new state."""
        # One-hot input: the layer's input projection is then a lookup of W_ih's columns,
        # and the input needs no gradient of its own.
        x = F.one_hot(codes, self.vocab_size).float()
        output, state = self.rnn(x, state)
        return self.decoder(output), state


def detach(state):
    """The state cut from the graph of the previous chunk (truncated backprop through time)."""
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def read_text(path):
    text = pathlib.Path(path).read_text(encoding="utf-8", errors="replace")
    if len(text) < 1000:
        raise SystemExit(f"{path}: {len(text)} characters is too little text to learn from")
    return text


def streams(codes, batch_size):
    """The code sequence cut into ``batch_size`` equal parallel streams, shape (N, B):
    column b continues where it left off from one chunk to the next."""
    n = len(codes) // batch_size
    return codes[: n * batch_size].reshape(batch_size, n).T


def chunks(data, seq_len):
    """(inputs, targets) chunks of ``seq_len`` steps: targets are the inputs shifted by one."""
    for start in range(0, len(data) - 1, seq_len):
        length = min(seq_len, len(data) - 1 - start)
        yield data[start : start + length], data[start + 1 : start + 1 + length]


def run_epoch(model, data, args, optimizer=None, progress=None):
    """Mean cross-entropy per character over ``data``; trains when an optimizer is given."""
    training = optimizer is not None
    model.train(training)
    state, total, count = None, 0.0, 0
    batches = list(chunks(data, args.seq_len))
    if progress is not None:
        batches = progress(batches, leave=False, unit="chunk")
    for inputs, targets in batches:
        with ag.set_grad_enabled(training):
            logits, state = model(ag.Tensor(inputs), detach(state))
            loss = F.cross_entropy(logits.reshape(-1, model.vocab_size), targets.reshape(-1))
        if training:
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            optimizer.step()
            if hasattr(batches, "set_postfix"):
                batches.set_postfix(loss=f"{loss.item():.3f}")
        total += loss.item() * inputs.size
        count += inputs.size
    return total / count


def sample(model, vocab, length, temperature, prime="\n", rng=None):
    """Generate ``length`` characters: feed the model its own output, drawing each next
    character from softmax(logits / temperature) (low temperature: more conservative)."""
    rng = rng or np.random.default_rng()
    index = {ch: i for i, ch in enumerate(vocab)}
    model.eval()
    with ag.no_grad():
        codes = np.array([[index.get(ch, 0)] for ch in prime])
        logits, state = model(ag.Tensor(codes))
        out = []
        for _ in range(length):
            scaled = logits.data[-1, 0].astype(np.float64) / temperature
            p = np.exp(scaled - scaled.max())
            code = rng.choice(len(vocab), p=p / p.sum())
            out.append(vocab[code])
            logits, state = model(ag.Tensor(np.array([[code]])), state)
    return "".join(out)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text", default=DEFAULT_TEXT, help="a UTF-8 text file (default: %(default)s)")
    parser.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    parser.add_argument("--hidden", type=int, default=256, help="hidden units per layer")
    parser.add_argument("--layers", type=int, default=1, help="stacked recurrent layers")
    parser.add_argument("--dropout", type=float, default=0.0, help="dropout between layers")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32, help="parallel streams of text")
    parser.add_argument("--seq-len", type=int, default=50, help="truncated BPTT length")
    parser.add_argument("--lr", type=float, default=3e-3, help="Adam learning rate")
    parser.add_argument("--clip", type=float, default=5.0, help="max total gradient norm")
    parser.add_argument("--val-fraction", type=float, default=0.1, help="tail of the text held out")
    parser.add_argument("--temperature", type=float, default=0.8, help="sampling temperature")
    parser.add_argument("--sample-length", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", help="save the trained weights to this .npz file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    ag.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    text = read_text(args.text)
    vocab = sorted(set(text))
    index = {ch: i for i, ch in enumerate(vocab)}
    codes = np.array([index[ch] for ch in text])
    split = int(len(codes) * (1 - args.val_fraction))
    train, val = streams(codes[:split], args.batch_size), streams(codes[split:], args.batch_size)
    print(f"{args.text}: {len(text):,} characters, {len(vocab)} distinct; "
          f"{split:,} for training, {len(codes) - split:,} for validation")

    model = CharModel(len(vocab), args.hidden, args.layers, args.cell, args.dropout)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    print(model)
    print(f"{sum(p.size for p in model.parameters()):,} parameters; a uniform guess has perplexity {len(vocab)}")
    print(f"--- sample before training (temperature {args.temperature}) ---")
    print(sample(model, vocab, 120, args.temperature, rng=rng))

    progress = None
    if not args.no_progress:
        from tqdm import tqdm as progress
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        train_loss = run_epoch(model, train, args, optimizer, progress)
        val_loss = run_epoch(model, val, args)
        print(f"epoch {epoch:2d}  train perplexity {math.exp(train_loss):6.2f}  "
              f"validation perplexity {math.exp(val_loss):6.2f}  ({time.perf_counter() - start:.0f} s)")
        print(f"--- sample (temperature {args.temperature}) ---")
        print(sample(model, vocab, args.sample_length, args.temperature, rng=rng))
    if args.save:
        print(f"weights saved to {model.save(args.save)}")


if __name__ == "__main__":
    main()
