"""Shared by the optimizer tests: a tiny problem whose gradient is known in closed form,
and a driver that runs one of our optimizers and its PyTorch namesake on identical
gradients."""
import numpy as np
import pytest

import autograd_core as ag


class TinyProblem:
    """Two parameters, a vector ``u`` (4,) and a matrix ``W`` (2, 3), and the loss

        f(u, W) = 1/2 ||A u - b||^2 + 1/2 sum(D * W^2) + sum(E * W)

    whose gradient is (A^T (A u - b), D * W + E). ``loss`` builds it with Tensor ops (so
    the engine's backward pass fills ``.grad``); ``gradients`` evaluates the formula."""

    def __init__(self, seed=0):
        rng = np.random.default_rng(seed)
        self.A = rng.standard_normal((6, 4))
        self.b = rng.standard_normal(6)
        self.D = rng.uniform(0.5, 2.0, (2, 3))
        self.E = rng.standard_normal((2, 3))
        self.initial = [rng.standard_normal(4), rng.standard_normal((2, 3))]

    def parameters(self, dtype=np.float64):
        return [ag.tensor(a.astype(dtype), requires_grad=True) for a in self.initial]

    def loss(self, params):
        u, W = params
        r = ag.Tensor(self.A) @ u - ag.Tensor(self.b)
        return 0.5 * (r * r).sum() + 0.5 * (ag.Tensor(self.D) * W * W).sum() + (ag.Tensor(self.E) * W).sum()

    def gradients(self, arrays):
        u, W = arrays
        return [self.A.T @ (self.A @ u - self.b), self.D * W + self.E]

    def assert_solved(self, arrays, atol):
        """The minimiser: least squares for u, -E / D for W."""
        u, W = arrays
        np.testing.assert_allclose(u, np.linalg.lstsq(self.A, self.b, rcond=None)[0], atol=atol)
        np.testing.assert_allclose(W, -self.E / self.D, atol=atol)


@pytest.fixture
def problem():
    return TinyProblem()


@pytest.fixture
def train(problem):
    """``train(optimizer_class, steps, **options)``: run our optimizer on the tiny problem
    with gradients from the engine's backward pass; returns the parameters' arrays and
    the optimizer."""

    def train(cls, steps, **options):
        params = problem.parameters()
        optimizer = cls(params, **options)
        for _ in range(steps):
            optimizer.zero_grad()
            problem.loss(params).backward()
            optimizer.step()
        return [p.data for p in params], optimizer

    return train


@pytest.fixture
def reference(problem):
    """``reference(update, steps)``: run a plain NumPy update rule ``update(theta, g, state,
    t)`` (returning the new theta) on the tiny problem, t counting from 1."""

    def reference(update, steps):
        thetas = [a.copy() for a in problem.initial]
        states = [{} for _ in thetas]
        for t in range(1, steps + 1):
            grads = problem.gradients(thetas)
            thetas = [update(theta, g, state, t) for theta, g, state in zip(thetas, grads, states)]
        return thetas

    return reference


@pytest.fixture
def follows_documented(train, reference):
    """``follows_documented(cls, update, options)``: four steps of our optimizer and of
    ``update``, the NumPy transcription of its documented algorithm, agree to rounding."""

    def check(cls, update, options, steps=4):
        ours, _ = train(cls, steps, **options)
        for a, b in zip(ours, reference(update, steps)):
            np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)

    return check


SHAPES = [(3, 4), (5,), (2, 1, 3)]
# Gradient magnitudes that rise and fall, so that running averages both grow and shrink
# (amsgrad's maximum then differs from the plain second moment).
SCALES = [3.0, 1.0, 0.05, 2.0, 0.01]


@pytest.fixture
def against_torch():
    """``against_torch(ours_class, torch_class, options, dtype)``: five steps of both
    optimizers from the same starting point with the same preset gradients (one
    parameter has no gradient at step 3, so both must skip it); asserts that parameters
    and state buffers agree."""
    torch = pytest.importorskip("torch")

    def run(ours_class, torch_class, options, dtype=np.float64):
        rng = np.random.default_rng(1)
        initial = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
        ours = [ag.tensor(a, requires_grad=True) for a in initial]
        theirs = [torch.tensor(a, requires_grad=True) for a in initial]
        our_opt = ours_class(ours, **options)
        their_opt = torch_class(theirs, **options)
        for step, scale in enumerate(SCALES):
            for i, (p, q) in enumerate(zip(ours, theirs)):
                if step == 2 and i == 1:
                    p.grad, q.grad = None, None
                    continue
                g = (scale * rng.standard_normal(p.shape)).astype(dtype)
                p.grad = g.copy()
                q.grad = torch.tensor(g)
            our_opt.step()
            their_opt.step()
        rtol, atol = (1e-12, 1e-14) if dtype == np.float64 else (2e-5, 1e-6)
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=rtol, atol=atol)
            ours_state, their_state = our_opt.state[p], their_opt.state[q]
            buffers = {k for k, v in their_state.items() if isinstance(v, torch.Tensor) and v.ndim > 0}
            assert {k for k, v in ours_state.items() if isinstance(v, np.ndarray)} == buffers
            for key in buffers:
                np.testing.assert_allclose(ours_state[key], their_state[key].numpy(), rtol=rtol, atol=atol)
            if "step" in their_state:
                assert ours_state["step"] == int(their_state["step"])
        return ours, our_opt

    return run
