"""SGD against its documented algorithm written out in NumPy, and against torch.optim.SGD."""
import numpy as np
import pytest

import autograd_core as ag
from optim import SGD

OPTIONS = [
    dict(lr=0.05),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.5),
    dict(lr=0.05, momentum=0.9, nesterov=True),
    dict(lr=0.05, weight_decay=0.1),
    dict(lr=0.05, maximize=True),
    dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.2, maximize=True),
    dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.2, maximize=True),
]


def documented_sgd(lr, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
    """torch.optim.SGD's pseudo-code, line by line."""

    def update(theta, grad, state, t):
        g = -grad if maximize else grad
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            if t > 1:
                state["b"] = momentum * state["b"] + (1 - dampening) * g
            else:
                state["b"] = g
            g = g + momentum * state["b"] if nesterov else state["b"]
        return theta - lr * g

    return update


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_sgd_follows_the_documented_algorithm(options, follows_documented):
    follows_documented(SGD, documented_sgd(**options), options)


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_sgd_matches_torch(options, against_torch):
    torch = pytest.importorskip("torch")
    against_torch(SGD, torch.optim.SGD, options)


def test_sgd_matches_torch_in_float32(against_torch):
    torch = pytest.importorskip("torch")
    against_torch(SGD, torch.optim.SGD, OPTIONS[-1], dtype=np.float32)


def test_momentum_is_the_course_notes_velocity_form(problem):
    """v = mu v + lr g; w = w - v gives the same iterates as SGD(momentum=mu) at fixed lr."""
    params = problem.parameters()
    optimizer = SGD(params, lr=0.02, momentum=0.9)
    w = [a.copy() for a in problem.initial]
    v = [np.zeros_like(a) for a in w]
    for _ in range(6):
        optimizer.zero_grad()
        problem.loss(params).backward()
        optimizer.step()
        g = problem.gradients(w)
        v = [0.9 * vi + 0.02 * gi for vi, gi in zip(v, g)]
        w = [wi - vi for wi, vi in zip(w, v)]
    for p, wi in zip(params, w):
        np.testing.assert_allclose(p.data, wi, rtol=1e-12)


@pytest.mark.parametrize("options", [dict(lr=0.1), dict(lr=0.05, momentum=0.9), dict(lr=0.05, momentum=0.9, nesterov=True)])
def test_sgd_converges_on_a_convex_quadratic(options, train, problem):
    (u, W), _ = train(SGD, 400, **options)
    problem.assert_solved((u, W), atol=1e-6)


def test_sgd_rejects_bad_hyperparameters():
    w = ag.zeros(3, requires_grad=True)
    with pytest.raises(ValueError, match=r"SGD: invalid lr=-0\.1"):
        SGD([w], lr=-0.1)
    with pytest.raises(ValueError, match=r"SGD: invalid momentum=-0\.5"):
        SGD([w], momentum=-0.5)
    with pytest.raises(ValueError, match=r"SGD: invalid weight_decay=-1"):
        SGD([w], weight_decay=-1)
    with pytest.raises(ValueError, match="SGD: nesterov momentum needs momentum > 0"):
        SGD([w], nesterov=True)
    with pytest.raises(ValueError, match=r"dampening=0\.1"):
        SGD([w], momentum=0.9, dampening=0.1, nesterov=True)
    with pytest.raises(TypeError, match="SGD: lr must be a real number"):
        SGD([w], lr="0.1")
