"""What a benchmark case is: a name, two setup functions and a target ratio."""
import dataclasses
from typing import Callable, Optional


@dataclasses.dataclass
class Case:
    """``ours()`` and ``torch()`` set up inputs and return a callable that runs one
    repetition (forward, backward, step...); only the callable is timed. With
    ``unit="MiB"`` the callable is not timed: it returns the peak memory it measured."""

    name: str
    ours: Callable[[], Callable[[], object]]
    torch: Optional[Callable[[], Callable[[], object]]]
    target: Optional[float] = None
    repeats: int = 30
    warmup: int = 3
    unit: str = "s"


def libraries(framework):
    """(layers, optimizers, array-to-tensor) of our library (``"ours"``) or of PyTorch
    (``"torch"``), seeded: the two share names, so a workload is written once."""
    if framework == "ours":
        import autograd_core as ag
        import nn
        import optim

        ag.manual_seed(0)
        return nn, optim, ag.Tensor
    import torch

    torch.manual_seed(0)
    return torch.nn, torch.optim, torch.from_numpy


def training_step(model, optimizer, loss_fn, x, y):
    """A callable running one training step: forward, loss, backward, update."""

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    return step
