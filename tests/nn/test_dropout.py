"""Dropout (nn/dropout.py, nn/functional/dropout.py): inverted scaling in training, the
identity in evaluation, the expectation preserved, gradients through the same mask."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, leaf


def test_training_zeroes_and_rescales():
    x = ag.ones(1000, 100)
    y = nn.Dropout(0.3)(x).data
    kept = y != 0
    assert kept.mean() == pytest.approx(0.7, abs=0.01)
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert y.mean() == pytest.approx(1.0, abs=0.02)
    assert y.dtype == np.float32


def test_evaluation_is_the_identity():
    layer = nn.Dropout(0.5).eval()
    x = ag.ones(3, 4)
    assert layer(x) is x
    assert F.dropout(x, 0.5, training=False) is x


def test_both_conventions_agree_in_expectation(rng):
    """Inverted dropout (scale 1/(1-p) in training, nothing at test time) and the classic
    one (no scaling in training, weights times 1 - p at test time): in each, the
    training-time output averaged over masks is the test-time output."""
    p = 0.4
    w = rng.standard_normal((50, 5))
    x = rng.standard_normal(50)
    batch = ag.Tensor(np.tile(x, (40_000, 1)))
    inverted_training = (F.dropout(batch, p).data @ w).mean(axis=0)
    classic_training = ((F.dropout(batch, p).data * (1 - p)) @ w).mean(axis=0)
    np.testing.assert_allclose(inverted_training, x @ w, atol=0.15)  # 5 standard errors
    np.testing.assert_allclose(classic_training, x @ (w * (1 - p)), atol=0.15)


def test_gradient_uses_the_same_mask():
    x = leaf(np.ones((5, 6)))
    y = F.dropout(x, 0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, y.data)


def test_gradients_with_a_fixed_seed(rng):
    x = leaf(rng.standard_normal((3, 4)))

    def dropped(t):
        ag.manual_seed(5)
        return F.dropout(t, 0.5)

    assert_gradients(dropped, x, second=False)


def test_edge_probabilities_and_errors():
    x = ag.ones(2, 2)
    assert F.dropout(x, 0.0) is x
    np.testing.assert_array_equal(F.dropout(x, 1.0).data, 0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="dropout"):
        F.dropout(x, -0.1)
    assert repr(nn.Dropout(0.2)) == "Dropout(p=0.2, inplace=False)"


def test_seeded_masks_repeat():
    ag.manual_seed(1)
    a = F.dropout(ag.ones(10, 10)).data
    ag.manual_seed(1)
    np.testing.assert_array_equal(F.dropout(ag.ones(10, 10)).data, a)
