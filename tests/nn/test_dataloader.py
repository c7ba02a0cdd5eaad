"""DataLoader: batches collated to Tensors, each example exactly once per epoch,
seeded shuffling (reproducible, different every epoch), drop_last."""
import numpy as np
import pytest

import autograd_core as ag
from nn.data import DataLoader, TensorDataset, default_collate


def dataset(n=10):
    return TensorDataset(np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n))


def labels_seen(loader):
    return np.concatenate([y.data for _, y in loader])


def test_batches_are_tensors_in_order_without_shuffle():
    batches = list(DataLoader(dataset(), batch_size=4))
    assert [len(y) for _, y in batches] == [4, 4, 2]
    X, y = batches[0]
    assert isinstance(X, ag.Tensor) and X.shape == (4, 2) and X.dtype == np.float32
    assert y.dtype == np.int64
    np.testing.assert_array_equal(labels_seen(DataLoader(dataset(), batch_size=4)), np.arange(10))


@pytest.mark.parametrize("batch_size", [1, 3, 10, 16])
def test_each_example_exactly_once_per_epoch(batch_size):
    loader = DataLoader(dataset(), batch_size=batch_size, shuffle=True, seed=1)
    first, second = labels_seen(loader), labels_seen(loader)
    assert sorted(first) == list(range(10)) and sorted(second) == list(range(10))
    assert len(loader) == -(-10 // batch_size)


def test_shuffle_differs_per_epoch_and_repeats_with_the_seed():
    epochs = [labels_seen(DataLoader(dataset(50), batch_size=8, shuffle=True, seed=3)) for _ in range(2)]
    np.testing.assert_array_equal(epochs[0], epochs[1])
    loader = DataLoader(dataset(50), batch_size=8, shuffle=True, generator=np.random.default_rng(3))
    first, second = labels_seen(loader), labels_seen(loader)
    np.testing.assert_array_equal(first, epochs[0])
    assert not np.array_equal(first, second)
    ag.manual_seed(7)
    a = labels_seen(DataLoader(dataset(50), shuffle=True))
    ag.manual_seed(7)
    np.testing.assert_array_equal(labels_seen(DataLoader(dataset(50), shuffle=True)), a)


def test_drop_last():
    loader = DataLoader(dataset(), batch_size=4, shuffle=True, drop_last=True, seed=0)
    assert len(loader) == 2 and [len(y) for _, y in loader] == [4, 4]


def test_collate_structures():
    batch = default_collate([{"x": np.ones(2), "n": 1.5}, {"x": np.zeros(2), "n": 2.5}])
    assert batch["x"].shape == (2, 2) and batch["n"].dtype == np.float32
    assert default_collate([("a", 1), ("b", 2)])[0] == ["a", "b"]


def test_errors():
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(dataset(), batch_size=0)
    with pytest.raises(ValueError, match="not both"):
        DataLoader(dataset(), generator=np.random.default_rng(), seed=1)
