"""The engine's own overhead against PyTorch's eager autograd: a chain of tiny elementwise
ops (per-op cost), a raw-ops MLP (real arithmetic), and a very deep chain's backward pass.

Each workload is written once: our Tensor and torch.Tensor share the method names used
here, so the same function runs on both; only the tensor constructors differ.
"""
import numpy as np

from common import Case

MLP_SIZES = (784, 256, 256, 10)
BATCH = 128
DEEP = 100_000


def _ours():
    import autograd_core as ag

    return lambda array, requires_grad=False: ag.tensor(array, requires_grad=requires_grad)


def _torch():
    import torch

    return lambda array, requires_grad=False: torch.tensor(array, requires_grad=requires_grad)


# -- 200 elementwise ops on 4 elements -----------------------------------------------------
def _tiny_chain(x):
    """50 rounds of 4 ops: mul, add, tanh, sigmoid (200 ops), then sum."""
    y = x
    for _ in range(50):
        y = (y * 0.9 + 0.1).tanh().sigmoid()
    return y.sum()


def _tiny(make, set_anomaly=None, on=False):
    """``set_anomaly`` (the library's ``set_detect_anomaly``) is called with ``on`` before
    the run: the per-op cost of anomaly detection, off and on."""

    def setup():
        new = make()
        if set_anomaly is not None:
            set_anomaly(on)
        x = new(np.linspace(-1, 1, 4, dtype=np.float32), requires_grad=True)

        def run():
            x.grad = None
            _tiny_chain(x).backward()

        return run

    return setup


# -- MLP 784-256-256-10 with raw ops ------------------------------------------------------
def _mlp_loss(x, labels, rows, params):
    """Two ReLU layers and a linear one, then cross-entropy as log_softmax and indexing."""
    w1, b1, w2, b2, w3, b3 = params
    h = (x @ w1 + b1).relu()
    h = (h @ w2 + b2).relu()
    logits = h @ w3 + b3
    return -logits.log_softmax(-1)[rows, labels].mean()


def _mlp(make, index):
    def setup():
        new = make()
        rng = np.random.default_rng(0)
        params = []
        for fan_in, fan_out in zip(MLP_SIZES, MLP_SIZES[1:]):
            params.append(new((rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)).astype(np.float32), True))
            params.append(new(np.zeros(fan_out, dtype=np.float32), True))
        x = new(rng.standard_normal((BATCH, MLP_SIZES[0])).astype(np.float32))
        labels, rows = index(rng.integers(0, MLP_SIZES[-1], BATCH)), index(np.arange(BATCH))

        def run():
            for p in params:
                p.grad = None
            _mlp_loss(x, labels, rows, params).backward()

        return run

    return setup


def _torch_index(array):
    import torch

    return torch.from_numpy(array)


# -- the backward pass of a 100,000-op chain ---------------------------------------------
def _deep(make):
    def setup():
        new = make()
        x = new(np.float32(1.0), requires_grad=True)
        y = x
        for _ in range(DEEP):
            y = y * 1.0
        y = y.sum()

        def run():
            x.grad = None
            y.backward(retain_graph=True)

        return run

    return setup


def _set_ours(on):
    import autograd_core as ag

    ag.set_detect_anomaly(on)


def _set_torch(on):
    import torch

    torch.autograd.set_detect_anomaly(on)


CASES = [
    Case("engine: 200 elementwise ops on 4 elements, fwd+bwd", ours=_tiny(_ours), torch=_tiny(_torch), target=0.5),
    Case(
        "engine: the same, anomaly detection set off explicitly (its cost when off)",
        ours=_tiny(_ours, _set_ours, False),
        torch=_tiny(_torch, _set_torch, False),
        target=0.5,
    ),
    Case(
        "engine: MLP 784-256-256-10 raw ops fwd+bwd (batch 128)",
        ours=_mlp(_ours, np.asarray),
        torch=_mlp(_torch, _torch_index),
        target=1.0,
        repeats=50,
        warmup=5,
    ),
    Case(
        "engine: 100,000-op chain backward (graph built once, retain_graph)",
        ours=_deep(_ours),
        torch=_deep(_torch),
        target=1.0,
        repeats=5,
        warmup=1,
    ),
]
