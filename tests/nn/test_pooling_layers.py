"""Pooling layers (nn/pooling.py, nn/functional/pooling.py): PyTorch's defaults (stride =
kernel_size), reprs, no parameters, parity with torch, gradients."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, assert_matches_torch, leaf

LAYERS = [
    (lambda m: m.MaxPool1d(3, stride=2, padding=1), (2, 3, 9)),
    (lambda m: m.MaxPool2d(2), (2, 3, 8, 8)),
    (lambda m: m.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2), ceil_mode=True), (2, 3, 7, 8)),
    (lambda m: m.AvgPool1d(2, ceil_mode=True), (2, 3, 9)),
    (lambda m: m.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), (2, 3, 7, 8)),
    (lambda m: m.AvgPool2d(2, divisor_override=3), (2, 3, 6, 6)),
    (lambda m: m.AdaptiveAvgPool2d((3, 2)), (2, 3, 7, 5)),
    (lambda m: m.AdaptiveAvgPool2d(1), (2, 3, 7, 5)),
]


@pytest.mark.parametrize("make, shape", LAYERS, ids=[str(s) + str(i) for i, (_, s) in enumerate(LAYERS)])
def test_parity_with_torch(make, shape, rng):
    torch = pytest.importorskip("torch")
    layer, reference = make(nn), make(torch.nn)
    assert list(layer.parameters()) == []
    assert_matches_torch(layer, reference, rng.standard_normal(shape).astype(np.float32), rng)


@pytest.mark.parametrize("make, shape", LAYERS, ids=[str(s) + str(i) for i, (_, s) in enumerate(LAYERS)])
def test_gradients(make, shape, rng):
    layer = make(nn)
    values = rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1  # no ties in max windows
    assert_gradients(layer, leaf(values))


def test_defaults_and_repr():
    pool = nn.MaxPool2d(2)
    assert pool.stride == 2
    assert repr(pool) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.AvgPool2d(3, 1)) == "AvgPool2d(kernel_size=3, stride=1, padding=0)"
    assert repr(nn.AdaptiveAvgPool2d((2, 2))) == "AdaptiveAvgPool2d(output_size=(2, 2))"


def test_layers_are_the_functional_forms(rng):
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    np.testing.assert_array_equal(nn.MaxPool2d(3, 2, 1)(ag.Tensor(x)).data, F.max_pool2d(x, 3, 2, 1).data)
    np.testing.assert_array_equal(nn.AvgPool2d(2)(ag.Tensor(x)).data, F.avg_pool2d(x, 2).data)
    values, indices = nn.MaxPool2d(2, return_indices=True)(ag.Tensor(x))
    np.testing.assert_array_equal(np.take_along_axis(x.reshape(2, 3, -1), indices.data.reshape(2, 3, -1), 2).reshape(values.shape), values.data)


def test_global_average_pooling_is_the_mean(rng):
    x = rng.standard_normal((2, 4, 5, 3)).astype(np.float32)
    np.testing.assert_allclose(nn.AdaptiveAvgPool2d(1)(ag.Tensor(x)).data, x.mean(axis=(2, 3), keepdims=True), rtol=1e-5, atol=1e-7)
