"""Convolutional networks: a Conv2d forward and backward, a MaxPool2d forward and
backward, one LeNet-5 training step (forward, cross-entropy, backward, SGD update) and
that step's peak memory, against the same in PyTorch.

Peak memory is the high-water mark of memory allocated during one step above what was
allocated when it started (the model, its input and the optimizer exist before; the
gradients and everything the step builds count). Ours: ``tracemalloc``, to which NumPy
reports every array buffer (Python objects count too). PyTorch's: its profiler's memory
events (``profile_memory=True``), one event per tensor allocation or release in its CPU
allocator, summed in time order. Both count what the library allocates, not what the
process's allocator keeps from the operating system.
"""
import tracemalloc

import numpy as np

from common import Case, training_step

BATCH = 64


def _images(shape):
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


def _forward_backward(layer, x, grad):
    """Forward and backward through one layer, written once: both libraries spell it the same way."""

    def run():
        layer(x).backward(grad)

    return run


def ours_conv():
    import autograd_core as ag
    import nn

    ag.manual_seed(0)
    x = ag.Tensor(_images((BATCH, 16, 28, 28)), requires_grad=True)
    return _forward_backward(nn.Conv2d(16, 32, 3, padding=1), x, np.ones((BATCH, 32, 28, 28), dtype=np.float32))


def torch_conv():
    import torch

    torch.manual_seed(0)
    x = torch.tensor(_images((BATCH, 16, 28, 28)), requires_grad=True)
    return _forward_backward(torch.nn.Conv2d(16, 32, 3, padding=1), x, torch.ones(BATCH, 32, 28, 28))


def ours_max_pool():
    import autograd_core as ag
    import nn

    x = ag.Tensor(_images((BATCH, 32, 28, 28)), requires_grad=True)
    return _forward_backward(nn.MaxPool2d(2), x, np.ones((BATCH, 32, 14, 14), dtype=np.float32))


def torch_max_pool():
    import torch

    x = torch.tensor(_images((BATCH, 32, 28, 28)), requires_grad=True)
    return _forward_backward(torch.nn.MaxPool2d(2), x, torch.ones(BATCH, 32, 14, 14))


def _labels():
    return np.random.default_rng(1).integers(0, 10, BATCH)


def ours_lenet_step():
    import autograd_core as ag
    import nn
    import optim

    ag.manual_seed(0)
    model = nn.models.LeNet5()
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    return training_step(model, optimizer, loss_fn, ag.Tensor(_images((BATCH, 1, 28, 28))), ag.Tensor(_labels()))


def torch_lenet5():
    """PyTorch's counterpart of ``nn.models.LeNet5``, its parameters in the same order."""
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def torch_lenet_step():
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = torch_lenet5()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    return training_step(model, optimizer, loss_fn, torch.from_numpy(_images((BATCH, 1, 28, 28))), torch.from_numpy(_labels()))


def ours_lenet_memory():
    step = ours_lenet_step()

    def measure():
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            step()
            return (tracemalloc.get_traced_memory()[1] - start) / 2**20
        finally:
            tracemalloc.stop()

    return measure


def torch_lenet_memory():
    from torch.profiler import ProfilerActivity, profile

    step = torch_lenet_step()

    def measure():
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            step()
        events = [e for e in prof.profiler.kineto_results.events() if e.name() == "[memory]"]
        allocated = peak = 0
        for event in sorted(events, key=lambda e: e.start_ns()):
            allocated += event.nbytes()
            peak = max(peak, allocated)
        return peak / 2**20

    return measure


CASES = [
    Case("conv: Conv2d fwd+bwd (64, 16->32, 28x28, 3x3, pad 1)", ours=ours_conv, reference=torch_conv, target=1.4, repeats=20),
    Case("conv: MaxPool2d fwd+bwd (64, 32, 28x28, 2x2)", ours=ours_max_pool, reference=torch_max_pool, target=1.5, repeats=20),
    Case("conv: LeNet-5 training step (batch 64)", ours=ours_lenet_step, reference=torch_lenet_step, target=1.5, repeats=50,
         warmup=5),
    Case("conv: LeNet-5 step peak memory", ours=ours_lenet_memory, reference=torch_lenet_memory, target=1.1, repeats=5,
         warmup=1, unit="MiB"),
]
