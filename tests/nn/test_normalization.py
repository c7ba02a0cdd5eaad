"""LayerNorm and GroupNorm (nn/normalization.py, functional layer_norm/group_norm):
per-example statistics, parameter shapes, gradients, and torch parity."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, assert_matches_torch, leaf, to_torch_state


def test_layer_norm_normalises_each_example(rng):
    x = rng.standard_normal((4, 3, 5)) * 4 + 2
    y = nn.LayerNorm(5).double()(ag.Tensor(x)).data
    np.testing.assert_allclose(y.mean(axis=-1), 0, atol=1e-12)
    np.testing.assert_allclose(y, (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5), rtol=1e-10)
    z = nn.LayerNorm((3, 5)).double()(ag.Tensor(x)).data
    np.testing.assert_allclose(z.mean(axis=(1, 2)), 0, atol=1e-12)


def test_layer_norm_parameters():
    layer = nn.LayerNorm((2, 3))
    assert layer.weight.shape == (2, 3) and np.all(layer.weight.data == 1) and np.all(layer.bias.data == 0)
    assert nn.LayerNorm(3, elementwise_affine=False).state_dict() == {}
    assert nn.LayerNorm(3, bias=False).bias is None
    assert repr(layer) == "LayerNorm((2, 3), eps=1e-05, elementwise_affine=True)"


def test_group_norm_groups_channels(rng):
    x = rng.standard_normal((2, 6, 3))
    y = nn.GroupNorm(2, 6).double()(ag.Tensor(x)).data
    grouped = y.reshape(2, 2, 9)
    np.testing.assert_allclose(grouped.mean(axis=-1), 0, atol=1e-12)
    np.testing.assert_allclose(grouped.var(axis=-1), 1, rtol=1e-3)
    assert repr(nn.GroupNorm(2, 6)) == "GroupNorm(2, 6, eps=1e-05, affine=True)"


def test_training_and_evaluation_agree(rng):
    x = ag.Tensor(rng.standard_normal((3, 4)).astype(np.float32))
    layer = nn.LayerNorm(4)
    np.testing.assert_array_equal(layer(x).data, layer.eval()(x).data)


def test_gradients(rng):
    x = leaf(rng.standard_normal((3, 4)))
    w, b = leaf(rng.uniform(0.5, 1.5, 4)), leaf(rng.standard_normal(4))
    assert_gradients(lambda x, w, b: F.layer_norm(x, 4, w, b), x, w, b)
    xg = leaf(rng.standard_normal((2, 4, 3)))
    assert_gradients(lambda x, w, b: F.group_norm(x, 2, w, b), xg, w, b)


def test_errors():
    with pytest.raises(ValueError, match="layer_norm: input of shape \\(2, 3\\) does not end with"):
        nn.LayerNorm(4)(ag.ones(2, 3))
    with pytest.raises(ValueError, match="not divisible"):
        nn.GroupNorm(4, 6)
    with pytest.raises(ValueError, match="group_norm"):
        F.group_norm(ag.ones(2, 6), 4)
    with pytest.raises(ValueError, match="weight of shape"):
        F.group_norm(ag.ones(2, 6), 2, ag.ones(5))


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [
        (lambda: nn.LayerNorm(5), lambda t: t.nn.LayerNorm(5), (3, 4, 5)),
        (lambda: nn.LayerNorm((4, 5), bias=False), lambda t: t.nn.LayerNorm((4, 5), bias=False), (3, 4, 5)),
        (lambda: nn.GroupNorm(3, 6), lambda t: t.nn.GroupNorm(3, 6), (2, 6, 4, 4)),
        (lambda: nn.GroupNorm(1, 4, affine=False), lambda t: t.nn.GroupNorm(1, 4, affine=False), (3, 4, 2)),
    ],
)
def test_parity_with_torch(ours, theirs, shape, rng):
    torch = pytest.importorskip("torch")
    reference = theirs(torch)
    with torch.no_grad():
        for p in reference.parameters():
            p.normal_()
    layer = ours()
    layer.load_state_dict(to_torch_state(reference))
    assert_matches_torch(layer, reference, rng.standard_normal(shape).astype(np.float32), rng)
