"""One epoch of the main job (``examples/train_fashion_mnist.py``: LeNet-5, Adam with a
cosine schedule, batch 64) on the first 10,000 Fashion-MNIST training images, against the
same in PyTorch: same initial weights, same batch order, each library's own data loading
(its ``TensorDataset`` and ``DataLoader``). Each repetition is one epoch, as the user waits
for it: batches assembled, forward, loss, backward, update, the loss read back."""
import importlib.util
import pathlib

import numpy as np

from bench_conv import torch_lenet5
from common import Case

# The main job is a script in examples/, not a package: loaded from its file.
_spec = importlib.util.spec_from_file_location(
    "train_fashion_mnist", pathlib.Path(__file__).resolve().parents[1] / "examples" / "train_fashion_mnist.py"
)
main_job = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(main_job)

IMAGES = 10_000
SETTINGS = main_job.RECOMMENDED["lenet"]


def _data():
    """The first 10,000 training images and labels, standardised as the main job does,
    in one shuffled order that both libraries then read front to back."""
    images, labels = main_job.load("train", None, IMAGES)
    order = np.random.default_rng(0).permutation(IMAGES)
    return images[order], labels[order]


def _epoch(model, loader, optimizer, scheduler, loss_fn):
    def run():
        for images, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            scheduler.step()
            loss.item()

    return run


def _schedule(optim, model, batches):
    optimizer = optim.Adam(model.parameters(), lr=SETTINGS["lr"])
    return optimizer, optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=SETTINGS["epochs"] * batches)


def _our_model():
    import autograd_core as ag
    import nn

    ag.manual_seed(0)
    return nn.models.LeNet5()


def ours():
    import nn
    import optim
    from nn.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(*_data()), batch_size=SETTINGS["batch_size"])
    model = _our_model()
    return _epoch(model, loader, *_schedule(optim, model, len(loader)), nn.CrossEntropyLoss())


def reference():
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    images, labels = _data()
    loader = DataLoader(TensorDataset(torch.from_numpy(images), torch.from_numpy(labels)), batch_size=SETTINGS["batch_size"])
    model = torch_lenet5()
    with torch.no_grad():
        for theirs, mine in zip(model.parameters(), _our_model().parameters(), strict=True):
            theirs.copy_(torch.from_numpy(mine.data))
    return _epoch(model, loader, *_schedule(torch.optim, model, len(loader)), torch.nn.CrossEntropyLoss())


CASES = [
    Case(
        f"epoch: the main job's LeNet-5 for one epoch on {IMAGES:,} Fashion-MNIST images (batch "
        f"{SETTINGS['batch_size']}, Adam, cosine schedule)",
        ours=ours,
        reference=reference,
        target=1.5,
        repeats=1,
        warmup=1,
    ),
]
