"""L1 and L2 penalties: values, gradients, and the link between L2 and weight decay."""
import numpy as np
import pytest

import autograd_core as ag
from optim import SGD, l1_penalty, l2_penalty


def test_penalty_values_and_gradients():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 2)), rng.standard_normal(4)
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    l2 = l2_penalty([x, y])
    assert l2.shape == () and l2.item() == pytest.approx((a**2).sum() + (b**2).sum())
    l2.backward()
    np.testing.assert_allclose(x.grad, 2 * a)
    x.grad = None
    l1 = l1_penalty(p for p in [x])
    assert l1.item() == pytest.approx(np.abs(a).sum())
    l1.backward()
    np.testing.assert_allclose(x.grad, np.sign(a))


def test_penalties_are_differentiable_twice():
    x = ag.tensor(np.random.default_rng(1).standard_normal(5), requires_grad=True)
    assert ag.gradcheck(lambda t: l2_penalty([t]), (x,))
    assert ag.gradgradcheck(lambda t: l2_penalty([t]), (x,))
    assert ag.gradcheck(lambda t: l1_penalty(t), (x,))


def test_half_l2_penalty_equals_sgd_weight_decay(problem):
    """Adding lam / 2 * ||w||^2 to the loss moves SGD exactly as weight_decay=lam does."""
    penalised, decayed = problem.parameters(), problem.parameters()
    opt_a, opt_b = SGD(penalised, lr=0.05), SGD(decayed, lr=0.05, weight_decay=0.3)
    for _ in range(5):
        opt_a.zero_grad()
        opt_b.zero_grad()
        (problem.loss(penalised) + 0.3 / 2 * l2_penalty(penalised)).backward()
        problem.loss(decayed).backward()
        opt_a.step()
        opt_b.step()
    for a, b in zip(penalised, decayed):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12)


def test_empty_and_bad_inputs():
    assert l2_penalty([]).item() == 0.0
    with pytest.raises(TypeError, match="l1_penalty: parameter 0 is a list"):
        l1_penalty([[1.0, 2.0]])
