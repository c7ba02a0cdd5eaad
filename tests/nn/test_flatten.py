"""Flatten and Unflatten: the shapes PyTorch gives, and gradients that flow back."""
import numpy as np
import pytest

import autograd_core as ag
import nn
from nn_helpers import assert_gradients, leaf


def test_flatten_keeps_the_batch_dimension():
    x = ag.ones(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 1)(x).shape == (6, 4, 5)
    assert nn.Flatten(start_dim=2)(x).shape == (2, 3, 20)
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


def test_unflatten_inverts_flatten(rng):
    x = ag.Tensor(rng.standard_normal((2, 12)))
    y = nn.Unflatten(1, (3, 4))(x)
    assert y.shape == (2, 3, 4)
    np.testing.assert_array_equal(nn.Flatten()(y).data, x.data)
    assert nn.Unflatten(-1, (2, 6))(x).shape == (2, 2, 6)


def test_gradients(rng):
    x = leaf(rng.standard_normal((2, 3, 2)))
    assert_gradients(lambda t: nn.Flatten()(t) * 2.0, x, second=False)
    assert_gradients(lambda t: nn.Unflatten(1, (1, 3))(t) * 2.0, x, second=False)


def test_unflatten_names_a_dimension_out_of_range_as_pytorch_does():
    x = ag.ones(3, 4)
    for dim in (2, 5, -3):
        with pytest.raises(IndexError, match=rf"Unflatten: dimension {dim} is out of range for a tensor with 2 dimensions"):
            nn.Unflatten(dim, (2, 2))(x)
    assert x.shape == (3, 4)
