"""GaussianNoise (nn/noise.py): noise of the right spread in training, identity in eval,
gradients pass through unchanged."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def test_noise_in_training_identity_in_eval():
    layer = nn.GaussianNoise(0.5)
    x = ag.zeros(100, 100, requires_grad=True)
    y = layer(x)
    assert abs(y.data.std() - 0.5) < 0.01 and abs(y.data.mean()) < 0.01 and y.dtype == x.dtype
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones((100, 100)))
    assert layer.eval()(x) is x
    assert nn.GaussianNoise(0.0)(x) is x
    assert repr(layer) == "GaussianNoise(std=0.5)"


def test_seeded():
    x = ag.zeros(3, 4)
    ag.manual_seed(5)
    first = nn.GaussianNoise(1.0)(x).data
    ag.manual_seed(5)
    np.testing.assert_array_equal(nn.GaussianNoise(1.0)(x).data, first)


def test_negative_std():
    with pytest.raises(ValueError, match="GaussianNoise: std"):
        nn.GaussianNoise(-0.1)
