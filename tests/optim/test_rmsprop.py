"""RMSprop against its documented algorithm written out in NumPy, and against torch.optim.RMSprop."""
import numpy as np
import pytest

import autograd_core as ag
from optim import RMSprop

OPTIONS = [
    dict(lr=0.01),
    dict(lr=0.01, alpha=0.9),
    dict(lr=0.01, eps=0.1),
    dict(lr=0.01, weight_decay=0.1),
    dict(lr=0.01, momentum=0.9),
    dict(lr=0.01, centered=True),
    dict(lr=0.01, centered=True, momentum=0.5),
    dict(lr=0.01, maximize=True),
    dict(lr=0.01, alpha=0.8, eps=1e-4, weight_decay=0.1, momentum=0.7, centered=True, maximize=True),
]


def documented_rmsprop(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, maximize=False):
    """torch.optim.RMSprop's pseudo-code, line by line (maximize negates the gradient)."""

    def update(theta, grad, state, t):
        for key in ("v", "b", "g_ave"):
            state.setdefault(key, np.zeros_like(theta))
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * theta
        state["v"] = alpha * state["v"] + (1 - alpha) * g**2
        v_tilde = state["v"]
        if centered:
            state["g_ave"] = state["g_ave"] * alpha + (1 - alpha) * g
            v_tilde = v_tilde - state["g_ave"] ** 2
        if momentum > 0:
            state["b"] = momentum * state["b"] + g / (np.sqrt(v_tilde) + eps)
            return theta - lr * state["b"]
        return theta - lr * g / (np.sqrt(v_tilde) + eps)

    return update


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_rmsprop_follows_the_documented_algorithm(options, follows_documented):
    follows_documented(RMSprop, documented_rmsprop(**options), options)


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_rmsprop_matches_torch(options, against_torch):
    torch = pytest.importorskip("torch")
    against_torch(RMSprop, torch.optim.RMSprop, options)


def test_rmsprop_matches_torch_in_float32(against_torch):
    torch = pytest.importorskip("torch")
    against_torch(RMSprop, torch.optim.RMSprop, OPTIONS[-1], dtype=np.float32)


def test_rmsprop_keeps_only_the_buffers_its_options_need(train):
    _, plain = train(RMSprop, 1)
    _, full = train(RMSprop, 1, momentum=0.9, centered=True)
    assert set(next(iter(plain.state.values()))) == {"step", "square_avg"}
    assert set(next(iter(full.state.values()))) == {"step", "square_avg", "momentum_buffer", "grad_avg"}


@pytest.mark.parametrize("options", [dict(lr=0.01), dict(lr=0.003, momentum=0.9, centered=True)], ids=str)
def test_rmsprop_converges_on_a_convex_quadratic(options, train, problem):
    (u, W), _ = train(RMSprop, 1500, **options)
    problem.assert_solved((u, W), atol=1e-2)


def test_rmsprop_rejects_bad_hyperparameters():
    w = ag.zeros(3, requires_grad=True)
    for name in ("lr", "alpha", "eps", "weight_decay", "momentum"):
        with pytest.raises(ValueError, match=rf"RMSprop: invalid {name}=-1"):
            RMSprop([w], **{name: -1})
