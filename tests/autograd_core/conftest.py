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


@pytest.fixture
def micrograd_expression():
    """``build()``: L = (a * b + c) * f on named scalar tensors (a=2, b=-3, c=10, f=-2,
    e = a * b, d = e + c); returns L and a dict of the other tensors by name."""

    def build():
        a, b, c, f = (ag.tensor(v, requires_grad=True, name=n) for v, n in ((2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f")))
        e = a * b
        e.name = "e"
        d = e + c
        d.name = "d"
        L = d * f
        L.name = "L"
        return L, dict(a=a, b=b, c=c, f=f, e=e, d=d)

    return build
