"""Parameter: a leaf that requires grad, float32 from Python numbers, shared arrays."""
import copy

import numpy as np
import pytest

import autograd_core as ag
import nn


def test_requires_grad_and_dtypes():
    p = nn.Parameter([1.0, 2.0])
    assert p.requires_grad and p.is_leaf and p.dtype == np.float32
    assert nn.Parameter(np.zeros(2)).dtype == np.float64
    assert not nn.Parameter(np.zeros(2), requires_grad=False).requires_grad
    with pytest.raises(TypeError, match="floating-point"):
        nn.Parameter(np.array([1, 2]))


def test_wraps_without_copying():
    array = np.zeros(3, dtype=np.float32)
    assert nn.Parameter(array).data is array
    t = ag.ones(2)
    assert nn.Parameter(t).data is t.data


def test_deepcopy_is_independent():
    layer = nn.Linear(2, 2)
    clone = copy.deepcopy(layer)
    assert isinstance(clone.weight, nn.Parameter)
    assert clone.weight is clone._parameters["weight"]
    with ag.no_grad():
        clone.weight.fill_(0)
    assert not np.all(layer.weight.data == 0)


def test_repr_says_parameter():
    assert repr(nn.Parameter([1.0])).startswith("Parameter containing:\ntensor(")
