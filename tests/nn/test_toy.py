"""The toy data sets: shapes, dtypes, balanced labels, seeds, noise, geometry."""
import numpy as np
import pytest

from nn.data import circles, moons, spirals, xor


@pytest.mark.parametrize("make", [moons, circles, spirals])
def test_shapes_dtypes_balance_and_seed(make):
    X, y = make(n_samples=101, noise=0.1, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float32 and y.dtype == np.int64
    assert abs(np.sum(y == 0) - np.sum(y == 1)) <= 1
    X2, y2 = make(n_samples=101, noise=0.1, seed=0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(make(n_samples=101, noise=0.1, seed=1)[0], X)


def test_xor_is_the_truth_table():
    X, y = xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    Xn, yn = xor(n_samples=400, noise=0.1, seed=0)
    assert Xn.shape == (400, 2) and np.abs(Xn - X[np.arange(400) % 4]).max() > 0


def test_geometry_without_noise():
    X, y = circles(n_samples=50, factor=0.3)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), np.where(y == 0, 1.0, 0.3), rtol=1e-6)
    X, y = moons(n_samples=50)
    np.testing.assert_allclose(np.linalg.norm(X[y == 0], axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(X[y == 1] - [1.0, 0.5], axis=1), 1.0, rtol=1e-6)
    X, y = spirals(n_samples=90, n_classes=3)
    assert set(y) == {0, 1, 2} and np.linalg.norm(X, axis=1).max() <= 1.0 + 1e-6


def test_errors():
    with pytest.raises(ValueError, match="noise"):
        moons(noise=-1)
    with pytest.raises(ValueError, match="factor"):
        circles(factor=1.5)
    with pytest.raises(ValueError, match="n_samples"):
        spirals(n_samples=1)
