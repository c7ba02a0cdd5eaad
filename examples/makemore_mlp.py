"""A character-level MLP that makes up words, written the way PyTorch courses write it
(Bengio et al. 2003, as in "makemore"), with ``import autograd_core as torch``: the three
previous characters are looked up in an embedding table C, concatenated, passed through a
tanh layer and a softmax over the next character.

    python examples/makemore_mlp.py                     # words from Debian's fortune cookies
    python examples/makemore_mlp.py --steps 20000 --words /usr/share/dict/words

Every line below is also valid PyTorch: import ``torch`` and ``torch.nn.functional as F``
instead of the two imports of this library.
"""
import argparse
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import autograd_core as torch  # noqa: E402
import nn.functional as F  # noqa: E402

DEFAULT_TEXT = "/usr/share/games/fortunes/fortunes"


def read_words(path, limit):
    """Lower-case words of letters only, in order of first appearance."""
    text = pathlib.Path(path).read_text(encoding="utf-8", errors="ignore").lower()
    words = list(dict.fromkeys(re.findall(r"\b[a-z]{2,12}\b", text)))
    return words[:limit]


def build_dataset(words, stoi, block_size):
    """Each position of each word: the ``block_size`` characters before it -> it."""
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", default=DEFAULT_TEXT, help="a text file to take words from")
    parser.add_argument("--max-words", type=int, default=20000)
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2147483647)
    args = parser.parse_args(argv)

    words = read_words(args.words, args.max_words)
    chars = sorted(set("".join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    itos = {i: s for s, i in stoi.items()}
    vocab_size = len(itos)
    block_size = 3

    n = int(0.9 * len(words))
    Xtr, Ytr = build_dataset(words[:n], stoi, block_size)
    Xdev, Ydev = build_dataset(words[n:], stoi, block_size)
    print(f"{len(words)} words, {vocab_size} characters, {Xtr.shape[0]} training examples")

    g = torch.Generator().manual_seed(args.seed)
    C = torch.randn((vocab_size, 10), generator=g)
    W1 = torch.randn((30, 200), generator=g) * (5 / 3) / 30**0.5
    b1 = torch.randn(200, generator=g) * 0.01
    W2 = torch.randn((200, vocab_size), generator=g) * 0.01
    b2 = torch.zeros(vocab_size)
    parameters = [C, W1, b1, W2, b2]
    print(sum(p.nelement() for p in parameters), "parameters")
    for p in parameters:
        p.requires_grad = True

    lossi = []
    for i in range(args.steps):
        ix = torch.randint(0, Xtr.shape[0], (args.batch_size,), generator=g)
        emb = C[Xtr[ix]]
        h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
        logits = h @ W2 + b2
        loss = F.cross_entropy(logits, Ytr[ix])
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = 0.1 if i < args.steps * 3 // 4 else 0.01
        for p in parameters:
            p.data += -lr * p.grad
        lossi.append(loss.log10().item())
        if i % max(args.steps // 10, 1) == 0:
            print(f"{i:7d}/{args.steps:7d}: {loss.item():.4f}")

    @torch.no_grad()
    def split_loss(X, Y):
        emb = C[X]
        h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
        return F.cross_entropy(h @ W2 + b2, Y).item()

    train_loss, dev_loss = split_loss(Xtr, Ytr), split_loss(Xdev, Ydev)
    print(f"train loss {train_loss:.4f}, dev loss {dev_loss:.4f}")

    samples = []
    for _ in range(args.samples):
        out = []
        context = [0] * block_size
        while True:
            emb = C[torch.tensor([context])]
            h = torch.tanh(emb.view(1, -1) @ W1 + b1)
            probs = F.softmax(h @ W2 + b2, dim=1)
            ix = torch.multinomial(probs, num_samples=1, generator=g).item()
            context = context[1:] + [ix]
            if ix == 0:
                break
            out.append(ix)
        samples.append("".join(itos[i] for i in out))
    print("\n".join(samples))
    return {"lossi": lossi, "train_loss": train_loss, "dev_loss": dev_loss, "samples": samples,
            "vocab_size": vocab_size}


if __name__ == "__main__":
    main()
