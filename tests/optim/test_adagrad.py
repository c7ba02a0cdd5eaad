"""Adagrad against its documented algorithm written out in NumPy, and against torch.optim.Adagrad."""
import numpy as np
import pytest

import autograd_core as ag
from optim import Adagrad

OPTIONS = [
    dict(lr=0.1),
    dict(lr=0.1, lr_decay=0.3),
    dict(lr=0.1, weight_decay=0.1),
    dict(lr=0.1, initial_accumulator_value=0.5),
    dict(lr=0.1, eps=0.5),
    dict(lr=0.1, maximize=True),
    dict(lr=0.1, lr_decay=0.2, weight_decay=0.1, initial_accumulator_value=0.3, eps=1e-3, maximize=True),
]


def documented_adagrad(lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, maximize=False):
    """torch.optim.Adagrad's pseudo-code, line by line (maximize negates the gradient)."""

    def update(theta, grad, state, t):
        state.setdefault("sum", np.full_like(theta, initial_accumulator_value))
        g = -grad if maximize else grad
        lr_t = lr / (1 + (t - 1) * lr_decay)
        if weight_decay != 0:
            g = g + weight_decay * theta
        state["sum"] = state["sum"] + g**2
        return theta - lr_t * g / (np.sqrt(state["sum"]) + eps)

    return update


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_adagrad_follows_the_documented_algorithm(options, follows_documented):
    follows_documented(Adagrad, documented_adagrad(**options), options)


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_adagrad_matches_torch(options, against_torch):
    torch = pytest.importorskip("torch")
    against_torch(Adagrad, torch.optim.Adagrad, options)


def test_adagrad_matches_torch_in_float32(against_torch):
    torch = pytest.importorskip("torch")
    against_torch(Adagrad, torch.optim.Adagrad, OPTIONS[-1], dtype=np.float32)


def test_adagrad_first_step_moves_every_coordinate_by_lr(problem):
    """With sum_0 = 0 the first step is lr * g / |g| = lr * sign(g), whatever the scale of g."""
    params = problem.parameters()
    optimizer = Adagrad(params, lr=0.1, eps=0)
    problem.loss(params).backward()
    optimizer.step()
    for p, a, g in zip(params, problem.initial, problem.gradients(problem.initial)):
        np.testing.assert_allclose(p.data, a - 0.1 * np.sign(g), rtol=1e-12)


def test_adagrad_converges_on_a_convex_quadratic(train, problem):
    (u, W), _ = train(Adagrad, 1500, lr=0.5)
    problem.assert_solved((u, W), atol=1e-5)


def test_adagrad_rejects_bad_hyperparameters():
    w = ag.zeros(3, requires_grad=True)
    for name in ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
        with pytest.raises(ValueError, match=rf"Adagrad: invalid {name}=-0\.5"):
            Adagrad([w], **{name: -0.5})
