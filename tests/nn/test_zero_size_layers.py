"""Zero-size layers (``nn.Linear(0, 3)``, a convolution without input channels, an empty
batch) construct, initialise (with PyTorch's "no-op" warning for zero-element weights)
and run forward and backward as PyTorch's do."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn

torch = pytest.importorskip("torch")


def _run_both(ours, theirs, shape, rng):
    """Our layer and PyTorch's, with our parameters, on the same input: output and the
    gradients of input and parameters of sum(output * w)."""
    with torch.no_grad():
        for (_, p), (_, t) in zip(ours.named_parameters(), theirs.named_parameters()):
            t.copy_(torch.from_numpy(p.data))
    x = rng.standard_normal(shape).astype(np.float32)
    ours_x, theirs_x = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours_y, theirs_y = ours(ours_x), theirs(theirs_x)
    assert ours_y.shape == tuple(theirs_y.shape)
    np.testing.assert_allclose(ours_y.data, theirs_y.detach().numpy(), rtol=1e-5, atol=1e-6)
    w = rng.standard_normal(ours_y.shape).astype(np.float32)
    (ours_y * ag.tensor(w)).sum().backward()
    (theirs_y * torch.from_numpy(w)).sum().backward()
    pairs = [(ours_x, theirs_x)] + list(zip(ours.parameters(), theirs.parameters()))
    for o, t in pairs:
        assert o.grad is not None and o.grad.shape == tuple(t.grad.shape)
        np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=1e-5, atol=1e-5)


# (our layer, PyTorch's, input shape or None for class indices, warns about a
# zero-element weight at construction)
CASES = [
    (lambda: nn.Linear(0, 3), lambda: torch.nn.Linear(0, 3), (2, 0), True),
    (lambda: nn.Linear(3, 0), lambda: torch.nn.Linear(3, 0), (2, 3), True),
    (lambda: nn.Linear(0, 0), lambda: torch.nn.Linear(0, 0), (4, 0), True),
    (lambda: nn.Linear(3, 2), lambda: torch.nn.Linear(3, 2), (0, 3), False),
    (lambda: nn.Linear(0, 2, bias=False), lambda: torch.nn.Linear(0, 2, bias=False), (5, 2, 0), True),
    (lambda: nn.Conv2d(3, 2, 3), lambda: torch.nn.Conv2d(3, 2, 3), (0, 3, 5, 5), False),
    (lambda: nn.Conv1d(2, 4, 3, padding=1), lambda: torch.nn.Conv1d(2, 4, 3, padding=1), (0, 2, 6), False),
    (lambda: nn.LayerNorm(0), lambda: torch.nn.LayerNorm(0), (4, 0), False),
    (lambda: nn.Embedding(5, 0), lambda: torch.nn.Embedding(5, 0), None, False),
]
IDS = ["linear-0-in", "linear-0-out", "linear-0-0", "linear-empty-batch", "linear-0-in-no-bias",
       "conv2d-empty-batch", "conv1d-empty-batch", "layer-norm-0", "embedding-0-dim"]


@pytest.mark.parametrize("make,make_torch,shape,warns", CASES, ids=IDS)
def test_zero_size_layers_run_forward_and_backward_as_pytorch(make, make_torch, shape, warns, rng):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = make()
    assert any("zero-element" in str(w.message) for w in caught) == warns
    if shape is None:
        indices = np.array([[1, 4], [0, 0]])
        out, theirs = layer(ag.tensor(indices)), make_torch()(torch.tensor(indices))
        assert out.shape == tuple(theirs.shape) == (2, 2, 0)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = make_torch()
    _run_both(layer, reference, shape, rng)


def test_zero_element_weights_are_left_alone_with_pytorchs_warning():
    for init in (nn.init.kaiming_uniform_, nn.init.kaiming_normal_, nn.init.lecun_normal_, nn.init.lecun_uniform_):
        weight = ag.zeros(3, 0)
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            assert init(weight) is weight
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        torch.nn.init.kaiming_uniform_(torch.zeros(3, 0))


def test_linear_without_inputs_outputs_its_bias():
    """y = x W^T + b with no input features is the bias alone; the bias still learns."""
    with pytest.warns(UserWarning):
        layer = nn.Linear(0, 3)
    assert layer.weight.shape == (3, 0)
    np.testing.assert_array_equal(layer.bias.data, np.zeros(3))  # U(-1/sqrt(0)...) is U(0, 0), as PyTorch's
    y = layer(ag.zeros(4, 0))
    np.testing.assert_array_equal(y.data, np.broadcast_to(layer.bias.data, (4, 3)))
    y.sum().backward()
    np.testing.assert_array_equal(layer.bias.grad, np.full(3, 4.0))


def test_convolution_without_input_channels_outputs_its_bias():
    """No input channels: each output is the bias alone (PyTorch returns an empty output
    of shape (N, 0, H', W') here, inconsistent with its own Linear(0, k); ours follows the
    equation)."""
    with pytest.warns(UserWarning):
        layer = nn.Conv2d(0, 4, 3)
    y = layer(ag.zeros(2, 0, 5, 5))
    assert y.shape == (2, 4, 3, 3)
    np.testing.assert_array_equal(y.data, np.broadcast_to(layer.bias.data.reshape(1, 4, 1, 1), y.shape))
    y.sum().backward()
    np.testing.assert_array_equal(layer.bias.grad, np.full(4, 18.0))
    assert layer.weight.grad.shape == (4, 0, 3, 3)


def test_batch_norm_without_channels_runs():
    """PyTorch fails inside with an IndexError; with nothing to normalise ours returns the
    empty input's shape, in training and in evaluation."""
    layer = nn.BatchNorm2d(0)
    x = ag.zeros(4, 0, 3, 3, requires_grad=True)
    y = layer(x)
    assert y.shape == (4, 0, 3, 3)
    y.sum().backward()
    assert x.grad.shape == (4, 0, 3, 3)
    layer.eval()
    assert layer(x).shape == (4, 0, 3, 3)


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
def test_recurrent_layers_refuse_zero_input_size_as_pytorch(cls):
    with pytest.raises(ValueError):
        getattr(torch.nn, cls)(0, 3)
    with pytest.raises(ValueError, match=f"{cls}: input_size must be a positive integer"):
        getattr(nn, cls)(0, 3)
