"""Dataset, TensorDataset, Subset and random_split."""
import numpy as np
import pytest

import autograd_core as ag
from nn.data import Dataset, TensorDataset, random_split


def test_tensor_dataset_rows():
    X, y = np.arange(12.0).reshape(6, 2), np.arange(6)
    data = TensorDataset(ag.Tensor(X), y)
    assert len(data) == 6
    x3, y3 = data[3]
    np.testing.assert_array_equal(x3, [6.0, 7.0])
    assert y3 == 3
    with pytest.raises(ValueError, match="different lengths"):
        TensorDataset(X, y[:5])


def test_base_class_asks_for_the_two_methods():
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Dataset()[0]


def test_random_split_partitions():
    data = TensorDataset(np.arange(10))
    train, valid = random_split(data, [7, 3], generator=np.random.default_rng(0))
    assert len(train) == 7 and len(valid) == 3
    seen = sorted(int(train[i][0]) for i in range(7)) + sorted(int(valid[i][0]) for i in range(3))
    assert sorted(seen) == list(range(10))
    parts = random_split(data, [0.5, 0.5])
    assert [len(p) for p in parts] == [5, 5]
    with pytest.raises(ValueError, match="add up"):
        random_split(data, [3, 3])
