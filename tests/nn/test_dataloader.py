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


def test_state_dict_mid_epoch_continues_with_the_next_batch():
    dataset = TensorDataset(np.arange(10.0))
    loader = DataLoader(dataset, batch_size=3, shuffle=True, seed=4)
    batches = iter(loader)
    next(batches)
    state = loader.state_dict()
    assert state["position"] == 1
    rest = [b[0].data.tolist() for b in batches]
    following_epoch = [b[0].data.tolist() for b in loader]
    other = DataLoader(dataset, batch_size=3, shuffle=True, seed=99)
    other.load_state_dict(state)
    assert [b[0].data.tolist() for b in other] == rest
    assert [b[0].data.tolist() for b in other] == following_epoch


def test_state_dict_between_epochs_and_bad_states():
    dataset = TensorDataset(np.arange(10.0))
    loader = DataLoader(dataset, batch_size=4, shuffle=True, seed=1)
    list(loader)
    state = loader.state_dict()
    assert "order" not in state
    expected = [b[0].data.tolist() for b in loader]
    other = DataLoader(dataset, batch_size=4, shuffle=True, seed=2)
    other.load_state_dict(state)
    assert [b[0].data.tolist() for b in other] == expected
    with pytest.raises(ValueError, match="DataLoader.load_state_dict: the saved order"):
        other.load_state_dict({"generator": state["generator"], "order": np.arange(3), "position": 0})
    with pytest.raises(ValueError, match="position 9"):
        other.load_state_dict({"generator": state["generator"], "order": np.arange(10), "position": 9})
    with pytest.raises(TypeError, match="DataLoader.load_state_dict"):
        other.load_state_dict(None)
    with pytest.raises(ValueError, match="own generator"):
        DataLoader(dataset, shuffle=True).load_state_dict(state)
