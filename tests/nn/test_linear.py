"""Linear and Identity (nn/linear.py, nn/functional/linear.py): y = x W^T + b, PyTorch's
shapes, names and default initialisation, gradients, and parity with torch."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, assert_matches_torch, leaf, to_torch_state


def test_shapes_names_and_equation(rng):
    layer = nn.Linear(3, 2)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
    assert list(layer.state_dict()) == ["weight", "bias"]
    x = rng.standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_allclose(layer(ag.Tensor(x)).data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-6)
    assert layer(ag.ones(5, 7, 3)).shape == (5, 7, 2)


def test_no_bias_and_dtype():
    layer = nn.Linear(3, 2, bias=False, dtype=np.float64)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    assert layer.weight.dtype == np.float64
    assert repr(layer) == "Linear(in_features=3, out_features=2, bias=False)"


def test_default_initialisation_is_pytorchs():
    """U(-1/sqrt(in), 1/sqrt(in)) for both: variance 1 / (3 in)."""
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert np.var(layer.weight.data) == pytest.approx(1 / (3 * 400), rel=0.03)
    assert len(np.unique(layer.weight.data)) > 1000  # symmetry broken


def test_gradients(rng):
    x, w, b = leaf(rng.standard_normal((4, 3))), leaf(rng.standard_normal((2, 3))), leaf(rng.standard_normal(2))
    assert_gradients(F.linear, x, w, b)
    assert_gradients(lambda x, w: F.linear(x, w), x, w)


def test_layer_gradient_is_delta_times_input(rng):
    """dL/dW = delta^T a and dL/db = sum of delta over the batch."""
    layer = nn.Linear(3, 2, dtype=np.float64)
    a = rng.standard_normal((5, 3))
    delta = rng.standard_normal((5, 2))
    layer(ag.Tensor(a)).backward(delta)
    np.testing.assert_allclose(layer.weight.grad, delta.T @ a)
    np.testing.assert_allclose(layer.bias.grad, delta.sum(axis=0))


def test_shape_error_names_the_shapes():
    with pytest.raises(ValueError, match=r"linear: .*\(4, 5\).*\(2, 3\)"):
        nn.Linear(3, 2)(ag.ones(4, 5))


def test_identity_passes_through():
    x = ag.ones(2, 3)
    assert nn.Identity(54, unused="ignored")(x) is x


def test_parity_with_torch(rng):
    torch = pytest.importorskip("torch")
    reference = torch.nn.Linear(5, 3)
    layer = nn.Linear(5, 3)
    layer.load_state_dict(to_torch_state(reference))
    assert_matches_torch(layer, reference, rng.standard_normal((4, 5)).astype(np.float32), rng, rtol=1e-5, atol=1e-6)
