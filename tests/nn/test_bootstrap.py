"""bootstrap (nn/data/bootstrap.py): same size, drawn with replacement, about 1 - 1/e
of the examples present, seeded."""
import numpy as np
import pytest

import autograd_core as ag
from nn.data import TensorDataset, bootstrap


def test_size_and_replacement_statistics():
    n = 2000
    dataset = TensorDataset(np.arange(n), np.arange(n) % 3)
    sample = bootstrap(dataset, generator=np.random.default_rng(0))
    assert len(sample) == n
    indices = np.array(sample.indices)
    assert indices.min() >= 0 and indices.max() < n
    # Each example is left out with probability (1 - 1/n)^n, about 1/e.
    unique = len(np.unique(indices))
    expected = n * (1 - (1 - 1 / n) ** n)
    assert abs(unique - expected) < 4 * np.sqrt(n * 0.25)
    assert unique < n
    counts = np.bincount(indices, minlength=n)
    # The number of copies of one example is Binomial(n, 1/n), close to Poisson(1).
    assert abs(counts.mean() - 1) < 1e-12 and abs(counts.var() - 1) < 0.15
    x, y = sample[5]
    assert x == indices[5] and y == indices[5] % 3


def test_seeded_and_different_draws():
    dataset = TensorDataset(np.arange(50))
    a = bootstrap(dataset, generator=np.random.default_rng(1)).indices
    assert bootstrap(dataset, generator=np.random.default_rng(1)).indices == a
    ag.manual_seed(3)
    first, second = bootstrap(dataset).indices, bootstrap(dataset).indices
    assert first != second
    ag.manual_seed(3)
    assert bootstrap(dataset).indices == first


def test_empty():
    with pytest.raises(ValueError, match="bootstrap: the data set is empty"):
        bootstrap(TensorDataset(np.zeros((0, 2))))
