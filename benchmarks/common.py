"""What a benchmark case is: a name, two setup functions (ours and a reference library's)
and a target ratio."""
import dataclasses
from typing import Callable, Optional


@dataclasses.dataclass
class Case:
    """``ours()`` and ``reference()`` set up inputs and return a callable that runs one
    repetition (forward, backward, step...); only the callable is timed. ``against`` names
    what ``reference`` runs (PyTorch's CPU build unless said otherwise). With
    ``unit="MiB"`` the callable is not timed: it returns the peak memory it measured.

    ``per`` divides the two times before they are compared, ``(ours, reference)``: with
    ``per=(1_000_000, 10_000)`` and ``unit="us/op"`` a case compares the cost per op of a
    1,000,000-op workload against a 10,000-op one."""

    name: str
    ours: Callable[[], Callable[[], object]]
    reference: Optional[Callable[[], Callable[[], object]]]
    against: str = "PyTorch"
    target: Optional[float] = None
    repeats: int = 30
    warmup: int = 3
    unit: str = "s"
    per: tuple = (1, 1)
    rounds: Optional[int] = None


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
