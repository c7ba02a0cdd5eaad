"""Train a convolutional network on Fashion-MNIST, the project's main job.

    python examples/train_fashion_mnist.py                      # LeNet-5, about 0.90 test accuracy
    python examples/train_fashion_mnist.py --model bn           # conv + batch norm, about 0.91-0.92
    python examples/train_fashion_mnist.py --model resnet --epochs 3
    python examples/train_fashion_mnist.py --limit 5000 --epochs 1   # a quick look
    python examples/train_fashion_mnist.py --model bn --augment --epochs 20  # shifts and flips, about 0.926

Fashion-MNIST (70,000 28x28 grayscale images of clothes, 10 classes) is read from
``$FASHION_MNIST_DIR``, the user cache, or Debian's ``dataset-fashion-mnist`` package, and
downloaded (with checksums) if none has it. Each epoch shows a progress bar, then the
test accuracy. Written to the output folder (``--out``), each file named after the model:

- ``<model>.npz``: the trained weights (``model.load(path)`` reads them back);
- ``<model>_curves.png``: training loss per batch and per epoch, train/test accuracy;
- ``<model>_graph.svg``: the model's computation graph, layer by layer (the Graphviz
  ``.dot`` source instead, if Graphviz's ``dot`` program is not installed);
- ``<model>_metrics.json``: settings, accuracy per epoch, wall time;
- ``<model>_backprop.html``: the backward pass of the trained model on one training batch,
  a page to step through in any browser, offline (``autograd_core.viz.explore``).
- ``<model>_checkpoint.npz``: written after every epoch and on Ctrl-C; ``--resume``
  continues from it and ends with the same weights as a run never stopped.
"""
import argparse
import json
import pathlib
import signal
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import autograd_core as ag  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402
from nn.data import FASHION_MNIST_CLASSES, DataLoader, DataUnavailableError, TensorDataset, load_fashion_mnist, transforms  # noqa: E402

MEAN, STD = 0.2860, 0.3530  # of the training pixels, scaled to [0, 1]

# Settings that reach the accuracy above in a few minutes on a laptop CPU; each can be
# overridden on the command line.
RECOMMENDED = {
    "lenet": dict(epochs=8, batch_size=64, lr=2e-3),
    "bn": dict(epochs=4, batch_size=128, lr=2e-3),
    "resnet": dict(epochs=4, batch_size=128, lr=2e-3),
    "preact-resnet": dict(epochs=4, batch_size=128, lr=2e-3),
}

OPTIMIZERS = {
    "adam": lambda params, lr: optim.Adam(params, lr=lr),
    "adamw": lambda params, lr: optim.AdamW(params, lr=lr),
    "sgd": lambda params, lr: optim.SGD(params, lr=lr, momentum=0.9, nesterov=True),
    "rmsprop": lambda params, lr: optim.RMSprop(params, lr=lr),
    "adagrad": lambda params, lr: optim.Adagrad(params, lr=lr),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=nn.models.list_models(), default="lenet")
    parser.add_argument("--epochs", type=int, help="default: per model, see RECOMMENDED")
    parser.add_argument("--batch-size", type=int, help="default: per model")
    parser.add_argument("--lr", type=float, help="peak learning rate, decayed to 0 by a cosine schedule (default: per model)")
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("runs/fashion_mnist"), help="output folder")
    parser.add_argument("--data", help="folder holding the Fashion-MNIST IDX files (default: searched, then downloaded)")
    parser.add_argument("--limit", type=int, help="train on the first N training images only")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument("--augment", action="store_true",
                        help="train on randomly shifted (up to 2 pixels) and mirrored images")
    parser.add_argument("--resume", action="store_true", help="continue from the checkpoint in the output folder")
    args = parser.parse_args(argv)
    for name, value in RECOMMENDED[args.model].items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def load(split, root, limit=None):
    """Images as float32 (N, 1, 28, 28), standardised; labels as int64."""
    images, labels = load_fashion_mnist(root, split=split)
    if limit:
        images, labels = images[:limit], labels[:limit]
    return ((images.astype(np.float32) / 255 - MEAN) / STD)[:, None], labels


def augmentation():
    """Random shifts of up to 2 pixels (the uncovered border filled with the background,
    -MEAN / STD once standardised) and left-right mirroring, each image its own."""
    return transforms.Compose([transforms.RandomShift(2, fill=-MEAN / STD), transforms.RandomHorizontalFlip()])


def accuracy(model, images, labels, batch_size=1000):
    """Fraction of ``images`` classified correctly, in evaluation mode, without a graph."""
    model.eval()
    correct = 0
    with ag.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(ag.Tensor(images[start : start + batch_size]))
            correct += int((logits.data.argmax(axis=1) == labels[start : start + batch_size]).sum())
    return correct / len(images)


def train(model, loader, test, args):
    """Mini-batch training with a cosine learning-rate schedule; returns the history.
    Writes a checkpoint after every epoch and, at the end of the current batch, on Ctrl-C."""
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), args.lr)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * len(loader))
    loss_fn = nn.CrossEntropyLoss()
    progress = (lambda it, **kw: it) if args.no_progress else __import__("tqdm").tqdm
    history = {"batch_loss": [], "train_loss": [], "train_accuracy": [], "test_accuracy": [], "seconds": []}
    checkpoint = args.out / f"{args.model}_checkpoint.npz"
    done, totals, elapsed = 0, [0.0, 0, 0], 0.0
    if args.resume:
        saved = nn.load_checkpoint(checkpoint, model, optimizer, scheduler, loader)
        done, history, totals, elapsed = saved["epoch"], *(saved["extra"][k] for k in ("history", "totals", "elapsed"))
        print(f"resumed from {checkpoint}: epoch {done + 1}, batch {saved['step'] + 1}")
    interrupted = []
    previous_handler = signal.signal(signal.SIGINT, lambda *_: interrupted.append(True))

    def save_checkpoint(epoch, step):
        args.out.mkdir(parents=True, exist_ok=True)
        extra = dict(history=history, totals=totals, elapsed=time.perf_counter() - start)
        nn.save_checkpoint(checkpoint, model, optimizer, scheduler, loader, epoch=epoch, step=step, extra=extra)
        if interrupted:
            signal.signal(signal.SIGINT, previous_handler)
            sys.exit(f"interrupted: saved {checkpoint}; continue with --resume")

    start = time.perf_counter() - elapsed
    for epoch in range(done + 1, args.epochs + 1):
        model.train()
        batches = progress(loader, desc=f"epoch {epoch}/{args.epochs}", unit="batch", leave=False)
        for images, labels in batches:
            optimizer.zero_grad()
            logits = model(images)
            loss = loss_fn(logits, labels)
            loss.backward()
            optimizer.step()
            scheduler.step()
            if not np.isfinite(loss.item()):
                sys.exit(
                    f"the loss became {loss.item()} at epoch {epoch}, batch {len(history['batch_loss']) + 1}; to find the "
                    "operation and the line where it first appears, run the training inside "
                    "`with ag.detect_anomaly():` (or call ag.set_detect_anomaly(True) first)"
                )
            history["batch_loss"].append(loss.item())
            totals[0] += loss.item() * len(labels)
            totals[1] += int((logits.data.argmax(axis=1) == labels.data).sum())
            totals[2] += len(labels)
            if hasattr(batches, "set_postfix"):
                batches.set_postfix(loss=f"{loss.item():.3f}", refresh=False)
            if interrupted:
                save_checkpoint(epoch - 1, loader.state_dict()["position"])
        total, correct, count = totals
        totals = [0.0, 0, 0]
        history["train_loss"].append(total / count)
        history["train_accuracy"].append(correct / count)
        history["test_accuracy"].append(accuracy(model, *test))
        history["seconds"].append(time.perf_counter() - start)
        print(
            f"epoch {epoch:2d}  train loss {total / count:.4f}  train accuracy {correct / count:.4f}  "
            f"test accuracy {history['test_accuracy'][-1]:.4f}  ({history['seconds'][-1]:.0f} s)",
            flush=True,
        )
        save_checkpoint(epoch, 0)
    signal.signal(signal.SIGINT, previous_handler)
    return history


def save_curves(history, path, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = np.arange(1, len(history["train_loss"]) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    steps = np.linspace(0, len(epochs), len(history["batch_loss"]) + 1)[1:]
    left.plot(steps, history["batch_loss"], color="tab:blue", alpha=0.25, lw=0.7, label="per batch")
    left.plot(epochs, history["train_loss"], "o-", color="tab:blue", label="epoch mean")
    left.set(xlabel="epoch", ylabel="cross-entropy loss", title="training loss", yscale="log")
    left.legend()
    right.plot(epochs, history["train_accuracy"], "o-", label="train (during the epoch)")
    right.plot(epochs, history["test_accuracy"], "s-", label="test")
    right.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    right.grid(alpha=0.3)
    right.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def save_graph(model, images, stem):
    """The computation graph of the model on one image, as SVG; as DOT source if
    Graphviz's ``dot`` program is missing. Returns the path written."""
    model.eval()
    graph = ag.draw_graph(model(ag.Tensor(images[:1])), show_values=False, rankdir="TB")
    try:
        return ag.viz.save_svg(graph, stem.with_suffix(".svg"))
    except RuntimeError as error:
        path = stem.with_suffix(".dot")
        path.write_text(graph.source)
        print(f"note: {error.args[0].split('.')[0]}; saved the DOT source to {path} instead")
        return path


def save_backprop_page(model, images, labels, path):
    """The backward pass of the loss on one batch as a web page (``viz.explore``); as for
    the graph, only a note if Graphviz's ``dot`` program is missing. Returns the path
    written, or None."""
    model.train()
    loss = nn.CrossEntropyLoss()(model(ag.Tensor(images)), ag.Tensor(labels))
    loss.name = "loss"
    try:
        page = ag.viz.explore(loss, rankdir="TB").save(path)
    except RuntimeError as error:
        print(f"note: {error.args[0].split('.')[0]}; no backprop page written")
        return None
    finally:
        model.zero_grad()
    return page


def main(argv=None):
    args = parse_args(argv)
    ag.manual_seed(args.seed)
    try:
        train_set = load("train", args.data, args.limit)
        test_set = load("test", args.data)
    except DataUnavailableError as error:
        sys.exit(str(error))
    loader = DataLoader(TensorDataset(*train_set), batch_size=args.batch_size, shuffle=True, seed=args.seed,
                        transform=augmentation() if args.augment else None)
    model = nn.models.get_model(args.model)
    print(model)
    print(
        f"{args.model}: {sum(p.size for p in model.parameters()):,} parameters; {len(train_set[0]):,} training and "
        f"{len(test_set[0]):,} test images ({', '.join(FASHION_MNIST_CLASSES[:3])}, ...); {args.optimizer}, "
        f"lr {args.lr:g}, batch size {args.batch_size}, {args.epochs} epochs"
    )
    history = train(model, loader, test_set, args)
    final = history["test_accuracy"][-1]
    print(f"test accuracy: {final:.4f} after {args.epochs} epochs ({history['seconds'][-1]:.0f} s)")

    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / args.model
    written = [model.save(stem.with_suffix(".npz"))]
    save_curves(history, stem.with_name(f"{args.model}_curves.png"), f"{args.model} on Fashion-MNIST: test accuracy {final:.4f}")
    written.append(stem.with_name(f"{args.model}_curves.png"))
    written.append(save_graph(model, test_set[0], stem.with_name(f"{args.model}_graph")))
    batch = slice(0, args.batch_size)
    page = save_backprop_page(model, train_set[0][batch], train_set[1][batch], stem.with_name(f"{args.model}_backprop.html"))
    written += [page] if page else []
    metrics = {key: getattr(args, key) for key in ("model", "epochs", "batch_size", "lr", "optimizer", "seed", "limit", "augment")}
    metrics.update(test_accuracy=final, history=history)
    metrics_path = stem.with_name(f"{args.model}_metrics.json")
    metrics_path.write_text(json.dumps(metrics, indent=1))
    written.append(metrics_path)
    print("wrote " + ", ".join(str(p) for p in written))
    return final


if __name__ == "__main__":
    main()
