"""``autograd_core.compile`` against PyTorch's eager autograd (and, for the scalar graph,
against micrograd itself; for LeNet-5, against our own eager step): the same workloads
as eager, traced once, then replayed as straight-line NumPy."""
import numpy as np

from common import Case, libraries

TINY_OPS = 100
MICRO_SIZES = (2, 16, 16, 2)
MICRO_BATCH = 32
MLP_SIZES = (784, 256, 256, 10)
MLP_BATCH = 128
SCALAR_SAMPLES = 30  # micrograd's moons demo, 30 samples a step: about 20,000 scalar ops


# -- 100 tiny ops -------------------------------------------------------------------------
def _tiny_chain(x):
    """25 rounds of 4 ops (mul, add, tanh, sigmoid): 100 ops, then sum."""
    y = x
    for _ in range(TINY_OPS // 4):
        y = (y * 0.9 + 0.1).tanh().sigmoid()
    return y.sum()


def _tiny_ours():
    import autograd_core as ag

    x = ag.tensor(np.linspace(-1, 1, 4, dtype=np.float32), requires_grad=True)
    chain = ag.compile(_tiny_chain)

    def run():
        x.grad = None
        chain(x).backward()

    return run


def _tiny_torch():
    import torch

    x = torch.tensor(np.linspace(-1, 1, 4, dtype=np.float32), requires_grad=True)

    def run():
        x.grad = None
        _tiny_chain(x).backward()

    return run


# -- training steps -------------------------------------------------------------------
def _training(framework, build, compiled, **sgd):
    """One training step (zero_grad, forward, backward, SGD) of the model ``build(nn)``
    makes, on a fixed batch; the forward pass and loss compiled if ``compiled``."""

    def setup():
        nn, optim, as_tensor = libraries(framework)
        rng = np.random.default_rng(0)
        model, x_shape, classes = build(nn)
        x = as_tensor(rng.standard_normal(x_shape).astype(np.float32))
        y = as_tensor(rng.integers(0, classes, x_shape[0]))
        loss_fn = nn.CrossEntropyLoss()
        optimizer = optim.SGD(model.parameters(), lr=0.01, **sgd)
        forward = (lambda a, b: loss_fn(model(a), b))
        if compiled:
            import autograd_core as ag

            forward = ag.compile(forward)

        def step():
            optimizer.zero_grad()
            forward(x, y).backward()
            optimizer.step()

        return step

    return setup


def _mlp(sizes, batch):
    def build(nn):
        layers = []
        for fan_in, fan_out in zip(sizes, sizes[1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        return nn.Sequential(*layers[:-1]), (batch, sizes[0]), sizes[-1]

    return build


def _lenet(nn):
    return nn.models.LeNet5(), (64, 1, 28, 28), 10


# -- micrograd's demo as a scalar graph ------------------------------------------------------
def _moons(rng):
    angles = rng.uniform(0, np.pi, SCALAR_SAMPLES)
    upper = rng.integers(0, 2, SCALAR_SAMPLES)
    x = np.where(upper[:, None], np.c_[np.cos(angles), np.sin(angles)], np.c_[1 - np.cos(angles), 0.5 - np.sin(angles)])
    return x + rng.normal(0, 0.1, x.shape), upper * 2 - 1


def _scalar_mlp(make, rng):
    """micrograd's MLP(2, [16, 16, 1]): one scalar per weight."""
    layers = []
    for fan_in, fan_out in zip((2, 16, 16), (16, 16, 1)):
        layers.append([([make(rng.uniform(-1, 1)) for _ in range(fan_in)], make(0.0)) for _ in range(fan_out)])
    return layers


def _scalar_loss(layers, xs, ys):
    """micrograd's demo loss: SVM max-margin hinge, mean over the samples, plus 1e-4 L2."""
    losses = []
    for x, y in zip(xs, ys):
        h = x
        for i, layer in enumerate(layers):
            out = [sum((w * v for w, v in zip(ws, h)), b) for ws, b in layer]
            h = out if i == len(layers) - 1 else [a.relu() for a in out]
        losses.append((1 + -y * h[0]).relu())
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + 1e-4 * sum(w * w for layer in layers for ws, b in layer for w in ws + [b])


def _scalar_params(layers):
    return [w for layer in layers for ws, b in layer for w in ws + [b]]


def _scalar_ours():
    import autograd_core as ag

    rng = np.random.default_rng(0)
    x, y = _moons(rng)
    layers = _scalar_mlp(lambda v: ag.tensor(float(v), dtype=np.float64, requires_grad=True), rng)
    params = _scalar_params(layers)
    loss = ag.compile(lambda xs: _scalar_loss(layers, [[xs[i, 0], xs[i, 1]] for i in range(len(y))], y.tolist()))
    xs = ag.tensor(x)

    def step():
        for p in params:
            p.grad = None
        loss(xs).backward()
        for p in params:
            p.data -= 0.05 * p.grad

    return step


def _scalar_micrograd():
    from micrograd.engine import Value

    rng = np.random.default_rng(0)
    x, y = _moons(rng)
    layers = _scalar_mlp(lambda v: Value(float(v)), rng)
    params = _scalar_params(layers)
    xs = [[Value(a), Value(b)] for a, b in x.tolist()]

    def step():
        for p in params:
            p.grad = 0
        _scalar_loss(layers, xs, y.tolist()).backward()
        for p in params:
            p.data -= 0.05 * p.grad

    return step


CASES = [
    Case("compile: 100 tiny ops (4 elements) fwd+bwd", ours=_tiny_ours, reference=_tiny_torch, target=0.3, repeats=200, warmup=5),
    Case(
        "compile: MLP 2-16-16-2 training step (batch 32, SGD)",
        ours=_training("ours", _mlp(MICRO_SIZES, MICRO_BATCH), True),
        reference=_training("torch", _mlp(MICRO_SIZES, MICRO_BATCH), False),
        target=0.4,
        repeats=200,
        warmup=5,
    ),
    Case(
        "compile: micrograd demo, scalar graph (~20,000 ops), against micrograd",
        ours=_scalar_ours,
        reference=_scalar_micrograd,
        against="micrograd",
        target=0.3,
        repeats=5,
        warmup=1,
    ),
    Case(
        "compile: MLP 784-256-256-10 training step (batch 128, SGD)",
        ours=_training("ours", _mlp(MLP_SIZES, MLP_BATCH), True),
        reference=_training("torch", _mlp(MLP_SIZES, MLP_BATCH), False),
        target=0.8,
        repeats=30,
        warmup=3,
    ),
    Case(
        "compile: LeNet-5 training step (batch 64), against our eager step",
        ours=_training("ours", _lenet, True, momentum=0.9),
        reference=_training("ours", _lenet, False, momentum=0.9),
        against="our eager step",
        target=1.0,
        repeats=10,
        warmup=2,
    ),
]
