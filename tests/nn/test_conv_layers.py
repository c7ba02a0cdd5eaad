"""Conv1d and Conv2d (nn/conv.py, nn/functional/conv.py): PyTorch's parameter names,
shapes and default initialisation, padding modes (zeros, reflect, replicate, circular),
'same' padding, gradients, parity with torch, and errors."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, assert_matches_torch, leaf, to_torch_state


def test_parameters_names_and_shapes():
    layer = nn.Conv2d(3, 6, 5)
    assert layer.weight.shape == (6, 3, 5, 5) and layer.bias.shape == (6,)
    assert list(layer.state_dict()) == ["weight", "bias"]
    # Six 5x5x3 filters with a bias each: 5 * 5 * 3 * 6 + 6 = 456 parameters.
    assert sum(p.size for p in layer.parameters()) == 456
    grouped = nn.Conv1d(4, 6, 3, groups=2, bias=False)
    assert grouped.weight.shape == (6, 2, 3) and grouped.bias is None


def test_default_initialisation_is_pytorchs():
    """kaiming_uniform_(a=sqrt(5)) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)); bias the same range."""
    layer = nn.Conv2d(16, 32, 3)
    bound = 1 / math.sqrt(16 * 9)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    assert np.var(layer.weight.data) == pytest.approx(bound**2 / 3, rel=0.05)
    depthwise = nn.Conv2d(8, 8, 3, groups=8)
    assert np.abs(depthwise.weight.data).max() <= 1 / 3 and np.abs(depthwise.weight.data).max() > 0.3


def test_repr_matches_pytorchs():
    assert repr(nn.Conv2d(1, 6, 5)) == "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"
    assert repr(nn.Conv2d(3, 8, 3, stride=2, padding=1, groups=1, bias=False, padding_mode="reflect")) == (
        "Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False, padding_mode=reflect)"
    )
    assert repr(nn.Conv1d(2, 4, 3, padding="same", dilation=2, groups=2)) == (
        "Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same, dilation=(2,), groups=2)"
    )


def test_forward_is_the_functional_form(rng):
    layer = nn.Conv2d(2, 3, 3, stride=2, padding=1)
    x = rng.standard_normal((2, 2, 7, 7)).astype(np.float32)
    expected = F.conv2d(x, layer.weight, layer.bias, stride=2, padding=1)
    np.testing.assert_array_equal(layer(ag.Tensor(x)).data, expected.data)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_modes_pad_with_the_right_values(mode, rng):
    """A 3x3 kernel with 1 in the middle copies its (padded) input: the output of a
    'valid' convolution of the padded image is the padded image's interior, so a 1x1
    identity kernel with padding shows the padding values themselves."""
    x = rng.standard_normal((1, 1, 4, 5))
    layer = nn.Conv2d(1, 1, 1, padding=2, bias=False, padding_mode=mode, dtype=np.float64)
    layer.weight.data[...] = 1.0
    numpy_mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
    np.testing.assert_allclose(layer(ag.Tensor(x)).data, np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)), mode=numpy_mode))


def test_reflect_and_replicate_values_by_hand():
    x = ag.tensor([[[1.0, 2.0, 3.0]]])
    for mode, expected in [("reflect", [2, 1, 2, 3, 2]), ("replicate", [1, 1, 2, 3, 3]), ("zeros", [0, 1, 2, 3, 0])]:
        layer = nn.Conv1d(1, 1, 1, padding=1, bias=False, padding_mode=mode)
        layer.weight.data[...] = 1.0
        np.testing.assert_array_equal(layer(x).data[0, 0], expected)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", [1, "same", (2, 1)], ids=str)
def test_parity_with_torch(mode, padding, rng):
    torch = pytest.importorskip("torch")
    kernel = (2, 3) if padding == "same" else 3
    reference = torch.nn.Conv2d(4, 6, kernel, padding=padding, padding_mode=mode, groups=2)
    layer = nn.Conv2d(4, 6, kernel, padding=padding, padding_mode=mode, groups=2)
    layer.load_state_dict(to_torch_state(reference))
    assert_matches_torch(layer, reference, rng.standard_normal((2, 4, 6, 7)).astype(np.float32), rng)


def test_conv1d_parity_with_torch(rng):
    torch = pytest.importorskip("torch")
    reference = torch.nn.Conv1d(3, 4, 3, stride=2, padding=1, dilation=2, padding_mode="replicate")
    layer = nn.Conv1d(3, 4, 3, stride=2, padding=1, dilation=2, padding_mode="replicate")
    layer.load_state_dict(to_torch_state(reference))
    assert_matches_torch(layer, reference, rng.standard_normal((2, 3, 9)).astype(np.float32), rng)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_input_gradients_through_padding_modes(mode, rng):
    """Border pixels reused by the padding collect the gradient of every copy."""
    layer = nn.Conv2d(2, 2, 3, stride=(1, 2), padding=1, padding_mode=mode, dtype=np.float64)
    assert_gradients(layer, leaf(rng.standard_normal((1, 2, 4, 5))))


def test_unbatched_input(rng):
    layer = nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect")
    x = rng.standard_normal((2, 5, 5)).astype(np.float32)
    np.testing.assert_allclose(layer(ag.Tensor(x)).data, layer(ag.Tensor(x[None])).data[0], rtol=1e-6)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: nn.Conv2d(3, 4, 3, groups=2), r"Conv2d: in_channels \(3\) and out_channels \(4\) must be divisible by groups \(2\)"),
        (lambda: nn.Conv2d(3, 4, 3, padding_mode="mirror"), r"Conv2d: padding_mode must be one of"),
        (lambda: nn.Conv2d(3, 4, 3, padding="full"), r"Conv2d: padding must be .* got 'full'"),
        (lambda: nn.Conv2d(3, 4, 3, stride=2, padding="same"), r"Conv2d: padding='same' is not supported for strided"),
        (lambda: nn.Conv1d(3, 4, (3, 3)), r"Conv1d: kernel_size must be an int or a tuple of 1 ints"),
    ],
)
def test_construction_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("mode", ["zeros", "reflect"])
def test_input_errors_name_the_layer_and_shapes(mode):
    layer = nn.Conv2d(3, 4, 3, padding_mode=mode, padding=1)
    with pytest.raises(ValueError, match=r"conv2d: expected a 3-D \(C, H, W\) or 4-D \(N, C, H, W\) input, got shape \(8, 8\)"):
        layer(ag.zeros(8, 8))
    with pytest.raises(ValueError, match=r"conv2d: input of shape \(1, 2, 8, 8\) has 2 channels"):
        layer(ag.zeros(1, 2, 8, 8))
    with pytest.raises(ValueError, match=r"kernel of size \(3, 3\).*larger than the padded input"):
        nn.Conv2d(3, 4, 3)(ag.zeros(1, 3, 2, 2))
