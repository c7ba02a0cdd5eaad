"""Activations (nn/activation.py, nn/functional/activation.py): values and gradients
against torch, gradient and second-derivative checks, the derivative conventions at the
kinks, and PyTorch's reprs."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, leaf

# (our module, torch's module name, constructor arguments, second derivative not zero)
LAYERS = [
    (nn.ReLU, "ReLU", {}, False),
    (nn.LeakyReLU, "LeakyReLU", {"negative_slope": 0.2}, False),
    (nn.ELU, "ELU", {"alpha": 0.7}, True),
    (nn.SELU, "SELU", {}, True),
    (nn.GELU, "GELU", {}, True),
    (nn.GELU, "GELU", {"approximate": "tanh"}, True),
    (nn.SiLU, "SiLU", {}, True),
    (nn.Sigmoid, "Sigmoid", {}, True),
    (nn.LogSigmoid, "LogSigmoid", {}, True),
    (nn.Tanh, "Tanh", {}, True),
    (nn.Hardtanh, "Hardtanh", {"min_val": -0.5, "max_val": 0.8}, False),
    (nn.Softplus, "Softplus", {"beta": 2.0, "threshold": 3.0}, True),
    (nn.Softmax, "Softmax", {"dim": 1}, True),
    (nn.LogSoftmax, "LogSoftmax", {"dim": 0}, True),
    (nn.Identity, "Identity", {}, False),
]
IDS = [f"{cls.__name__}{settings or ''}" for cls, _, settings, _ in LAYERS]


def away_from_kinks(rng, shape):
    """Values of magnitude 0.2 to 2 with random signs, clear of the kinks at 0 (and of
    the hardtanh corners used here)."""
    values = rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    values[np.abs(np.abs(values) - 0.5) < 0.05] += 0.2
    values[np.abs(values - 0.8) < 0.05] += 0.2
    return values


@pytest.mark.parametrize("cls, torch_name, settings, second", LAYERS, ids=IDS)
def test_gradients(cls, torch_name, settings, second, rng):
    x = leaf(away_from_kinks(rng, (3, 4)))
    assert_gradients(cls(**settings), x, second=second)


@pytest.mark.parametrize("cls, torch_name, settings, second", LAYERS, ids=IDS)
def test_parity_with_torch(cls, torch_name, settings, second, rng):
    torch = pytest.importorskip("torch")
    x = (rng.standard_normal((4, 5)) * 3).astype(np.float32)
    ours_in = ag.Tensor(x.copy(), requires_grad=True)
    theirs_in = torch.tensor(x, requires_grad=True)
    ours = cls(**settings)(ours_in)
    theirs = getattr(torch.nn, torch_name)(**settings)(theirs_in)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    seed = rng.standard_normal((4, 5)).astype(np.float32)
    ours.backward(seed)
    theirs.backward(torch.from_numpy(seed))
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), rtol=1e-4, atol=1e-6)
    assert repr(cls(**settings)) == repr(getattr(torch.nn, torch_name)(**settings))


def test_derivatives_at_the_kinks_follow_pytorch():
    """ReLU'(0) = 0; hardtanh' is 0 at its corners; leaky ReLU'(0) = slope."""
    x = ag.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    F.relu(x).sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 0, 1])
    x.grad = None
    F.hardtanh(x * 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 1, 0])
    x.grad = None
    F.leaky_relu(x, 0.1).sum().backward()
    np.testing.assert_allclose(x.grad, [0.1, 0.1, 1])


def test_derivative_bounds_from_the_notes():
    """sigmoid' <= 1/4 (at 0), tanh' <= 1 (at 0), tanh = 2 sigmoid(2a) - 1, and ELU's
    derivative is y + alpha for a <= 0."""
    a = ag.Tensor(np.linspace(-6, 6, 1201), requires_grad=True)
    F.sigmoid(a).sum().backward()
    assert a.grad.max() == pytest.approx(0.25)
    a.grad = None
    F.tanh(a).sum().backward()
    assert a.grad.max() == pytest.approx(1.0)
    np.testing.assert_allclose(F.tanh(a).data, 2 * F.sigmoid(2 * a).data - 1, atol=1e-12)
    a.grad = None
    y = F.elu(a, alpha=0.5)
    y.sum().backward()
    negative = a.data <= 0
    np.testing.assert_allclose(a.grad[negative], y.data[negative] + 0.5)


def test_softmax_is_stable_and_sums_to_one():
    x = ag.tensor([[1000.0, 1000.0, -1000.0], [0.0, 0.0, 0.0]])
    p = F.softmax(x, dim=1)
    np.testing.assert_allclose(p.data.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(p.data[0], [0.5, 0.5, 0.0])
    assert np.all(np.isfinite(F.log_softmax(x, dim=1).data))
    assert F.softmax(x, dim=0, dtype=np.float64).dtype == np.float64


def test_softmax_without_dim_warns_and_picks_pytorchs_dimension():
    x = ag.ones(2, 3)
    with pytest.warns(UserWarning, match="implicit dimension"):
        p = nn.Softmax()(x)
    np.testing.assert_allclose(p.data, np.full((2, 3), 1 / 3), rtol=1e-6)


def test_selu_self_normalises(rng):
    """A standard-normal input stays near zero mean and unit variance."""
    y = F.selu(ag.Tensor(rng.standard_normal(200_000))).data
    assert abs(y.mean()) < 0.01 and y.var() == pytest.approx(1.0, abs=0.02)


def test_functional_forms_accept_arrays():
    np.testing.assert_array_equal(F.relu(np.array([-1.0, 2.0])).data, [0, 2])
    with pytest.raises(ValueError, match="hardtanh"):
        F.hardtanh(ag.ones(2), 1.0, -1.0)
