"""BatchNorm1d/2d (nn/batchnorm.py, functional batch_norm): batch statistics with the
biased variance in training, running averages (unbiased variance) in evaluation,
momentum, affine, track_running_stats, gradients in training mode, torch parity."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, assert_matches_torch, leaf, to_torch_state


def test_training_normalises_each_channel_with_the_biased_variance(rng):
    x = rng.standard_normal((8, 3, 4, 4)) * 3 + 5
    layer = nn.BatchNorm2d(3).double()
    y = layer(ag.Tensor(x)).data
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-3)
    expected = (x - x.mean(axis=(0, 2, 3), keepdims=True)) / np.sqrt(x.var(axis=(0, 2, 3), keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, expected, rtol=1e-10)


def test_running_statistics_follow_momentum_with_the_unbiased_variance(rng):
    layer = nn.BatchNorm1d(2, momentum=0.25).double()
    batches = [rng.standard_normal((6, 2)) * (i + 1) + i for i in range(3)]
    mean, var = np.zeros(2), np.ones(2)
    for batch in batches:
        layer(ag.Tensor(batch))
        mean = 0.75 * mean + 0.25 * batch.mean(axis=0)
        var = 0.75 * var + 0.25 * batch.var(axis=0, ddof=1)
    np.testing.assert_allclose(layer.running_mean.data, mean, rtol=1e-12)
    np.testing.assert_allclose(layer.running_var.data, var, rtol=1e-12)
    assert layer.num_batches_tracked.item() == 3


def test_momentum_none_is_the_cumulative_average(rng):
    layer = nn.BatchNorm1d(2, momentum=None).double()
    batches = [rng.standard_normal((5, 2)) + i for i in range(4)]
    for batch in batches:
        layer(ag.Tensor(batch))
    np.testing.assert_allclose(layer.running_mean.data, np.mean([b.mean(axis=0) for b in batches], axis=0), rtol=1e-12)


def test_evaluation_uses_the_running_statistics(rng):
    layer = nn.BatchNorm1d(3).double()
    for _ in range(5):
        layer(ag.Tensor(rng.standard_normal((16, 3)) * 2 + 1))
    layer.eval()
    frozen = (layer.running_mean.data.copy(), layer.running_var.data.copy())
    x = rng.standard_normal((4, 3))
    y = layer(ag.Tensor(x)).data
    np.testing.assert_allclose(y, (x - frozen[0]) / np.sqrt(frozen[1] + 1e-5), rtol=1e-10)
    np.testing.assert_array_equal(layer.running_mean.data, frozen[0])
    single = layer(ag.Tensor(x[:1])).data
    np.testing.assert_allclose(single, y[:1], rtol=1e-12)


def test_without_running_stats_batch_statistics_are_always_used(rng):
    layer = nn.BatchNorm1d(3, affine=False, track_running_stats=False).eval()
    assert layer.running_mean is None and list(layer.parameters()) == [] and layer.state_dict() == {}
    y = layer(ag.Tensor(rng.standard_normal((10, 3)).astype(np.float32))).data
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-5)


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2)])
def test_gradients_in_training_mode(shape, rng):
    layer = nn.BatchNorm1d(3).double()
    with ag.no_grad():
        layer.weight.copy_(rng.uniform(0.5, 1.5, 3))
        layer.bias.copy_(rng.standard_normal(3))
    x = leaf(rng.standard_normal(shape))
    assert_gradients(lambda x, w, b: layer(x), x, layer.weight, layer.bias, atol=1e-4)


def test_gradients_in_evaluation_mode(rng):
    running_mean, running_var = ag.Tensor(rng.standard_normal(2)), ag.Tensor(rng.uniform(0.5, 2, 2))
    x, w, b = leaf(rng.standard_normal((3, 2, 2, 2))), leaf(rng.standard_normal(2)), leaf(rng.standard_normal(2))
    assert_gradients(lambda x, w, b: F.batch_norm(x, running_mean, running_var, w, b), x, w, b)


def test_errors(rng):
    with pytest.raises(ValueError, match="BatchNorm2d: expected a 4-D input"):
        nn.BatchNorm2d(3)(ag.ones(2, 3))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(ag.ones(1, 3))
    with pytest.raises(ValueError, match="does not match 4 channels"):
        nn.BatchNorm1d(3)(ag.ones(2, 4))


def test_reset_and_repr():
    layer = nn.BatchNorm1d(2)
    layer(ag.Tensor(np.arange(8, dtype=np.float32).reshape(4, 2)))
    layer.reset_parameters()
    np.testing.assert_array_equal(layer.running_mean.data, 0)
    assert layer.num_batches_tracked.item() == 0
    assert repr(layer) == "BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"


@pytest.mark.parametrize("ours, theirs, shape", [("BatchNorm1d", "BatchNorm1d", (6, 3)), ("BatchNorm2d", "BatchNorm2d", (4, 3, 5, 5))])
def test_parity_with_torch_in_both_modes(ours, theirs, shape, rng):
    torch = pytest.importorskip("torch")
    reference = getattr(torch.nn, theirs)(3)
    with torch.no_grad():
        reference.weight.uniform_(0.5, 1.5)
        reference.bias.normal_()
    layer = getattr(nn, ours)(3)
    layer.load_state_dict(to_torch_state(reference))
    for step in range(3):
        assert_matches_torch(layer, reference, (rng.standard_normal(shape) * 2 + step).astype(np.float32), rng)
    for name, value in to_torch_state(reference).items():
        np.testing.assert_allclose(layer.state_dict()[name], value, rtol=1e-5, atol=1e-6, err_msg=name)
    layer.eval()
    reference.eval()
    x = rng.standard_normal(shape).astype(np.float32)
    np.testing.assert_allclose(layer(ag.Tensor(x)).data, reference(torch.from_numpy(x)).detach().numpy(), rtol=1e-4, atol=1e-5)
