"""Fixtures shared by the engine tests: random float64 inputs and the gradient checks."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.fixture
def rng():
    """A fresh, seeded generator per test, so every test is reproducible on its own."""
    return np.random.default_rng(0)


@pytest.fixture
def make(rng):
    """``make(shape, domain="real")``: a float64 leaf that requires grad.

    ``"real"`` values have magnitude in [0.2, 1.5] with random signs, so they stay clear of
    the kinks at 0 of relu, abs, leaky_relu...; ``"positive"`` values lie in [0.5, 2] (for
    log, sqrt, a base raised to a tensor power).
    """

    def make(shape, domain="real", requires_grad=True):
        magnitude = rng.uniform(0.2, 1.5, size=shape)
        if domain == "positive":
            values = rng.uniform(0.5, 2.0, size=shape)
        elif domain == "real":
            values = magnitude * rng.choice([-1.0, 1.0], size=shape)
        else:
            raise ValueError(domain)
        return ag.Tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)

    return make


@pytest.fixture
def check():
    """``check(fn, *inputs)``: gradcheck, then gradgradcheck (also for ops whose second
    derivative is zero: it still checks that their backward is differentiable and linear in
    the upstream gradient). Then runs a plain ``backward()``, which gradcheck never does on
    empty outputs, and checks that every input gets a gradient of its own shape and dtype
    and that each output's node knows its output."""

    def check(fn, *inputs, **tolerances):
        assert ag.gradcheck(fn, inputs, **tolerances)
        assert ag.gradgradcheck(fn, inputs, **tolerances)
        leaves = [t for t in inputs if isinstance(t, ag.Tensor) and t.requires_grad]
        for t in leaves:
            t.grad = None
        out = fn(*inputs)
        outputs = (out,) if isinstance(out, ag.Tensor) else out
        assert all(o.grad_fn is None or o.grad_fn.output() is o for o in outputs)
        sum(o.sum() for o in outputs).backward()
        for t in leaves:
            if t.grad is not None:
                assert t.grad.shape == t.shape and t.grad.dtype == t.dtype
            t.grad = None

    return check


def _named(rng, shape, name, scale=1.0):
    return ag.Tensor(rng.standard_normal(shape) * scale, requires_grad=True, name=name)


def _fan_out(rng):
    a, b = _named(rng, (3,), "a"), _named(rng, (3,), "b")
    e = a * b
    e.name = "e"
    L = (e * a + e.tanh() * e + a.exp()).sum()
    L.name = "L"
    return L, [a, b], [e]


def _broadcasting_matmul(rng):
    x = ag.Tensor(rng.standard_normal((2, 3, 4)))
    w, bias = _named(rng, (4, 5), "w"), _named(rng, (5,), "bias")
    h = (x @ w + bias).relu()
    loss = h.mean()
    loss.name = "loss"
    return loss, [w, bias], [h]


def _mlp(rng):
    X = ag.Tensor(rng.standard_normal((8, 3)))
    T = ag.Tensor(rng.standard_normal((8, 2)))
    W1, b1 = _named(rng, (4, 3), "W1", 0.5), _named(rng, (4,), "b1")
    W2, b2 = _named(rng, (2, 4), "W2", 0.5), _named(rng, (2,), "b2")
    with ag.scope("hidden"):
        h = ag.linear(X, W1, b1).tanh()
    with ag.scope("output"):
        y = ag.linear(h, W2, b2)
    loss = ((y - T) ** 2).mean()
    loss.name = "loss"
    return loss, [W1, b1, W2, b2], [h, y]


def _conv_pool(rng):
    x = ag.Tensor(rng.standard_normal((4, 1, 8, 8)))
    kernel, kernel_bias = _named(rng, (3, 1, 3, 3), "kernel", 0.5), _named(rng, (3,), "kernel_bias", 0.1)
    W, b = _named(rng, (5, 27), "W", 0.2), _named(rng, (5,), "b", 0.1)
    with ag.scope("conv"):
        maps = ag.conv2d(x, kernel, kernel_bias).relu()
    with ag.scope("pool"):
        pooled = ag.max_pool2d(maps, 2)
    with ag.scope("head"):
        logits = ag.linear(pooled.reshape(4, 27), W, b)
    loss = -logits.log_softmax(1)[np.arange(4), np.array([0, 1, 2, 3])].mean()
    loss.name = "loss"
    return loss, [kernel, kernel_bias, W, b], [maps, pooled, logits]


EXPLORER_GRAPHS = {
    "fan_out": _fan_out,
    "broadcasting_matmul": _broadcasting_matmul,
    "mlp": _mlp,
    "conv_pool": _conv_pool,
}


@pytest.fixture
def explorer_graph(micrograd_expression):
    """``explorer_graph(name)``: one of the graphs the explorer is tested on ("expression"
    or a name of ``EXPLORER_GRAPHS``), made afresh with the same values each time:
    ``(output, leaves, kept intermediates)``. Leaves have names of their own, so every
    tensor drawn has a different name."""

    def build(name):
        if name == "expression":
            L, t = micrograd_expression()
            return L, [t[n] for n in "abcf"], [t["e"], t["d"]]
        return EXPLORER_GRAPHS[name](np.random.default_rng(0))

    return build
