"""Embedding (nn/embedding.py, functional embedding and one_hot): lookup, repeated ids
summing their gradients, padding_idx, max_norm, from_pretrained, torch parity."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, leaf, to_torch_state


def test_lookup_is_rows_of_the_weight():
    layer = nn.Embedding(10, 3)
    ids = np.array([[1, 2, 1], [9, 0, 4]])
    out = layer(ids)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out.data, layer.weight.data[ids])
    assert np.var(layer.weight.data) == pytest.approx(1.0, abs=0.5)


def test_lookup_equals_onehot_times_weight_and_repeats_add_up(rng):
    weight = leaf(rng.standard_normal((5, 2)))
    ids = np.array([3, 1, 3, 3])
    out = F.embedding(ids, weight)
    np.testing.assert_allclose(out.data, F.one_hot(ids, 5).data @ weight.data)
    out.sum().backward()
    np.testing.assert_array_equal(weight.grad[:, 0], [0, 1, 0, 3, 0])
    assert_gradients(lambda w: F.embedding(ids, w), weight, second=False)


def test_padding_row_starts_at_zero_and_gets_no_gradient():
    layer = nn.Embedding(4, 2, padding_idx=-1)
    assert layer.padding_idx == 3 and np.all(layer.weight.data[3] == 0)
    out = layer(np.array([3, 1, 3]))
    out.sum().backward()
    np.testing.assert_array_equal(layer.weight.grad[3], 0)
    np.testing.assert_array_equal(layer.weight.grad[1], 1)


def test_max_norm_renormalises_the_rows_looked_up():
    layer = nn.Embedding.from_pretrained(np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]]), max_norm=1.0)
    layer(np.array([0, 1]))
    np.testing.assert_allclose(np.linalg.norm(layer.weight.data, axis=1), [1.0, 0.5, 10.0], rtol=1e-6)


def test_from_pretrained_is_frozen_by_default():
    layer = nn.Embedding.from_pretrained(np.eye(3, dtype=np.float32))
    assert not layer.weight.requires_grad and not layer(np.array([0])).requires_grad
    assert nn.Embedding.from_pretrained(np.eye(3, dtype=np.float32), freeze=False).weight.requires_grad
    assert repr(nn.Embedding(5, 2, padding_idx=0)) == "Embedding(5, 2, padding_idx=0)"


def test_errors():
    layer = nn.Embedding(4, 2)
    with pytest.raises(IndexError, match="embedding: index 4 is out of range for 4 rows"):
        layer(np.array([0, 4]))
    with pytest.raises(IndexError, match="index -1"):
        layer(np.array([-1]))
    with pytest.raises(TypeError, match="integers"):
        layer(np.array([0.5]))
    with pytest.raises(ValueError, match="padding_idx"):
        nn.Embedding(4, 2, padding_idx=4)


def test_one_hot():
    np.testing.assert_array_equal(F.one_hot(np.array([2, 0])).data, [[0, 0, 1], [1, 0, 0]])
    assert F.one_hot(ag.tensor([[1, 3]]), num_classes=5).shape == (1, 2, 5)
    assert F.one_hot(np.array([1])).dtype == np.int64


def test_parity_with_torch(rng):
    torch = pytest.importorskip("torch")
    reference = torch.nn.Embedding(6, 3, padding_idx=2)
    layer = nn.Embedding(6, 3, padding_idx=2)
    layer.load_state_dict(to_torch_state(reference))
    ids = rng.integers(0, 6, (4, 5))
    ours, theirs = layer(ids), reference(torch.from_numpy(ids))
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    seed = rng.standard_normal((4, 5, 3)).astype(np.float32)
    ours.backward(seed)
    theirs.backward(torch.from_numpy(seed))
    np.testing.assert_allclose(layer.weight.grad, reference.weight.grad.numpy(), rtol=1e-5, atol=1e-6)
