"""Transforms (nn/data/transforms.py) against hand computations on small arrays:
standardisation and contrast normalisation, whitening (identity covariance; ZCA the
whitening nearest the input; inverse), flips, crops and shifts moving known pixels;
determinism under a seed; the kind of the input kept; clear errors."""
import numpy as np
import pytest

import autograd_core as ag
from nn.data import DataLoader, TensorDataset
from nn.data import transforms as T


def ramp(n=2, c=1, h=4, w=5):
    return np.arange(n * c * h * w, dtype=np.float32).reshape(n, c, h, w)


def correlated(rng, n=500, d=4):
    mixing = rng.standard_normal((d, d))
    return rng.standard_normal((n, d)) @ mixing + rng.standard_normal(d) * 3


def test_standardize_by_hand():
    X = np.array([[1.0, 2.0, 5.0], [3.0, 2.0, 1.0]])
    t = T.Standardize().fit(X)
    np.testing.assert_allclose(t.mean, [2.0, 2.0, 3.0])
    # The middle feature is constant in training: its scale stays 1.
    np.testing.assert_allclose(t(X), [[-1.0, 0.0, 1.0], [1.0, 0.0, -1.0]])
    np.testing.assert_allclose(t(np.array([4.0, 3.0, 3.0])), [2.0, 1.0, 0.0])
    np.testing.assert_allclose(t.inverse(t(X)), X)


def test_standardize_per_pixel_of_images(rng):
    images = rng.uniform(0, 255, (50, 1, 3, 3)).astype(np.uint8)
    out = T.Standardize().fit(images)(images)
    assert out.shape == images.shape and out.dtype == np.float32
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=0), 1.0, atol=1e-5)


def test_contrast_normalize_per_image():
    images = np.stack([np.array([[0.0, 2.0], [4.0, 6.0]]), np.array([[10.0, 10.0], [10.0, 30.0]])])[:, None]
    out = T.ContrastNormalize(eps=0.0)(images)
    expected0 = (np.array([[0.0, 2.0], [4.0, 6.0]]) - 3.0) / np.sqrt(5.0)
    expected1 = (np.array([[10.0, 10.0], [10.0, 30.0]]) - 15.0) / np.sqrt(75.0)
    np.testing.assert_allclose(out[:, 0], [expected0, expected1])
    # Brightness and contrast no longer matter; a blank image stays finite.
    np.testing.assert_allclose(T.ContrastNormalize()(3 * images[0] + 7), out[0], atol=1e-6)
    np.testing.assert_array_equal(T.ContrastNormalize()(np.ones((2, 2))), np.zeros((2, 2)))


@pytest.mark.parametrize("cls", [T.PCAWhitening, T.ZCAWhitening])
def test_whitened_covariance_is_the_identity(cls, rng):
    X = correlated(rng)
    Z = cls(eps=0.0).fit(X)(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(4), atol=1e-10)
    # eps shrinks each direction's variance to lambda / (lambda + eps).
    t = cls(eps=0.5).fit(X)
    variances = np.sort(np.linalg.eigvalsh(np.cov(t(X), rowvar=False)))
    np.testing.assert_allclose(variances, np.sort(t.explained_variance / (t.explained_variance + 0.5)), rtol=1e-10)


def test_pca_whitening_keeps_the_largest_components(rng):
    X = correlated(rng)
    t = T.PCAWhitening(n_components=2, eps=0.0).fit(X)
    Z = t(X)
    assert Z.shape == (500, 2)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(2), atol=1e-10)
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(X, rowvar=False)))[::-1]
    np.testing.assert_allclose(t.explained_variance, eigenvalues[:2], rtol=1e-10)
    # The inverse is the projection on the two kept axes: applying it twice changes nothing.
    back = t.inverse(Z)
    np.testing.assert_allclose(t.inverse(t(back)), back, atol=1e-10)
    assert t(X[0]).shape == (2,) and t.inverse(Z[0]).shape == (4,)


@pytest.mark.parametrize("cls", [T.PCAWhitening, T.ZCAWhitening])
def test_whitening_inverse(cls, rng):
    X = correlated(rng).reshape(500, 1, 2, 2)
    t = cls(eps=1e-3).fit(X)
    np.testing.assert_allclose(t.inverse(t(X)), X, atol=1e-9)
    np.testing.assert_allclose(t.inverse(t(X[3])), X[3], atol=1e-9)


def test_zca_is_the_whitening_closest_to_the_centred_input(rng):
    X = correlated(rng)
    zca = T.ZCAWhitening(eps=0.0).fit(X)
    centred = X - X.mean(axis=0)
    W = zca.whiten
    np.testing.assert_allclose(W, W.T, atol=1e-12)
    distance = np.sum((zca(X) - centred) ** 2)
    for _ in range(20):
        # Every whitening is R W for an orthogonal R; ZCA's R = I is the nearest.
        rotation, _ = np.linalg.qr(rng.standard_normal((4, 4)))
        other = centred @ (rotation @ W).T
        np.testing.assert_allclose(np.cov(other, rowvar=False), np.eye(4), atol=1e-10)
        assert np.sum((other - centred) ** 2) > distance
    pca = T.PCAWhitening(eps=0.0).fit(X)
    assert np.sum((pca(X) - centred) ** 2) > distance


def test_flip_moves_known_pixels():
    x = ramp()
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=1.0)(x), x[..., ::-1])
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=0.0)(x), x)
    flipped = T.RandomHorizontalFlip(p=0.5, generator=np.random.default_rng(1))(np.repeat(x[:1], 200, axis=0))
    mirrored = (flipped[:, 0, 0, 0] == x[0, 0, 0, -1])
    assert np.all(mirrored | (flipped[:, 0, 0, 0] == x[0, 0, 0, 0]))
    assert 70 < mirrored.sum() < 130
    np.testing.assert_array_equal(flipped[mirrored], x[0, :, :, ::-1][None].repeat(mirrored.sum(), axis=0))


def test_crop_moves_known_pixels():
    x = ramp(n=300)
    crops = T.RandomCrop((2, 3), generator=np.random.default_rng(0))(x)
    assert crops.shape == (300, 1, 2, 3)
    # Each crop is a window of its own image: its top-left pixel fixes all the others.
    for n in range(300):
        (top, left), = np.argwhere(x[n, 0] == crops[n, 0, 0, 0])
        np.testing.assert_array_equal(crops[n, 0], x[n, 0, top : top + 2, left : left + 3])
    corners = {tuple(np.argwhere(x[n, 0] == crops[n, 0, 0, 0])[0]) for n in range(300)}
    assert corners == {(i, j) for i in range(3) for j in range(3)}


def test_crop_with_padding_fill_and_modes():
    x = np.ones((1, 1, 2, 2))
    crops = T.RandomCrop(4, padding=1, fill=-5.0)(x)
    np.testing.assert_array_equal(crops[0, 0], [[-5, -5, -5, -5], [-5, 1, 1, -5], [-5, 1, 1, -5], [-5, -5, -5, -5]])
    image = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(T.RandomCrop(4, padding=1, padding_mode="edge")(image), np.pad(image, 1, mode="edge"))
    asymmetric = T.RandomCrop((2, 6), padding=(2, 0))(image)
    np.testing.assert_array_equal(asymmetric, np.pad(image, ((0, 0), (2, 2))))


def test_shift_keeps_content(rng):
    x = rng.uniform(1, 2, (100, 2, 6, 7)).astype(np.float32)
    shifted = T.RandomShift(2, fill=0.0, generator=np.random.default_rng(3))(x)
    assert shifted.shape == x.shape and shifted.dtype == x.dtype
    offsets = set()
    for n in range(100):
        rows, cols = np.nonzero(shifted[n, 0])
        # A shift down (right) leaves zero rows (columns) at the top (left), a shift up at the bottom.
        dy, dx = rows.min() or rows.max() - 5, cols.min() or cols.max() - 6
        source = x[n, :, max(0, -dy) : 6 - max(0, dy), max(0, -dx) : 7 - max(0, dx)]
        target = shifted[n, :, max(0, dy) : 6 + min(0, dy), max(0, dx) : 7 + min(0, dx)]
        np.testing.assert_array_equal(target, source)
        assert np.count_nonzero(shifted[n]) == source.size
        offsets.add((int(dy), int(dx)))
    assert all(abs(dy) <= 2 and abs(dx) <= 2 for dy, dx in offsets) and len(offsets) > 15


def test_gaussian_noise_statistics():
    x = np.zeros((200, 1, 10, 10), dtype=np.float32)
    noisy = T.GaussianNoise(0.3, generator=np.random.default_rng(0))(x)
    assert noisy.dtype == np.float32
    assert abs(noisy.std() - 0.3) < 0.01 and abs(noisy.mean()) < 0.01
    np.testing.assert_array_equal(T.GaussianNoise(0.0)(x), x)


RANDOM = [
    lambda g: T.RandomHorizontalFlip(generator=g),
    lambda g: T.RandomCrop(3, padding=1, generator=g),
    lambda g: T.RandomShift(1, generator=g),
    lambda g: T.GaussianNoise(0.5, generator=g),
]


@pytest.mark.parametrize("make", RANDOM)
def test_determinism_under_a_seed(make):
    x = ramp(n=16)
    first = make(np.random.default_rng(7))(x)
    np.testing.assert_array_equal(make(np.random.default_rng(7))(x), first)
    np.testing.assert_array_equal(make(ag.Generator().manual_seed(7))(x), make(ag.Generator().manual_seed(7))(x))
    ag.manual_seed(11)
    library = make(None)(x)
    ag.manual_seed(11)
    np.testing.assert_array_equal(make(None)(x), library)
    assert not np.array_equal(make(None)(x), library)


@pytest.mark.parametrize("make", RANDOM)
def test_same_kind_out_and_input_untouched(make):
    x = ramp(n=3)
    before = x.copy()
    out = make(None)(ag.Tensor(x))
    assert isinstance(out, ag.Tensor) and out.shape[:2] == (3, 1)
    assert isinstance(make(None)(x), np.ndarray)
    assert make(None)(x[0, 0]).ndim == 2 and make(None)(x[0]).ndim == 3
    np.testing.assert_array_equal(x, before)


def test_compose_and_fitted_tensor_round_trip(rng):
    X = ag.Tensor(rng.standard_normal((20, 1, 3, 3)).astype(np.float32))
    t = T.Compose([T.Standardize().fit(X), T.RandomHorizontalFlip(p=1.0)])
    out = t(X)
    assert isinstance(out, ag.Tensor) and out.dtype == np.float32
    np.testing.assert_allclose(out.data, ((X.data - X.data.mean(0)) / X.data.std(0))[..., ::-1], rtol=1e-4, atol=1e-5)
    assert "Standardize" in repr(t) and "p=1.0" in repr(t)


def test_transform_argument_of_dataset_and_loader():
    X, y = ramp(n=6), np.arange(6)
    flip = T.RandomHorizontalFlip(p=1.0)
    dataset = TensorDataset(X, y, transform=flip)
    np.testing.assert_array_equal(dataset[2][0], X[2, :, :, ::-1])
    assert dataset[2][1] == 2
    images, labels = next(iter(DataLoader(TensorDataset(X, y), batch_size=4, transform=flip)))
    assert isinstance(images, ag.Tensor)
    np.testing.assert_array_equal(images.data, X[:4, :, :, ::-1])
    np.testing.assert_array_equal(labels.data, y[:4])


def test_errors_name_the_transform():
    with pytest.raises(ValueError, match=r"RandomCrop: expected an image .* got shape \(5,\)"):
        T.RandomCrop(2)(np.zeros(5))
    with pytest.raises(ValueError, match=r"RandomHorizontalFlip: expected .* got shape \(1, 1, 1, 2, 2\)"):
        T.RandomHorizontalFlip()(np.zeros((1, 1, 1, 2, 2)))
    with pytest.raises(ValueError, match=r"ContrastNormalize: expected"):
        T.ContrastNormalize()(np.zeros(3))
    with pytest.raises(ValueError, match=r"RandomCrop: crop size \(8, 8\) is larger than the padded image \(6, 6\)"):
        T.RandomCrop(8, padding=1)(np.zeros((4, 4)))
    with pytest.raises(RuntimeError, match=r"ZCAWhitening: call fit"):
        T.ZCAWhitening()(np.zeros((2, 3)))
    with pytest.raises(RuntimeError, match=r"Standardize: call fit"):
        T.Standardize()(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"PCAWhitening: fitted on examples of shape \(3,\), got an input of shape \(2, 4\)"):
        T.PCAWhitening().fit(np.eye(3))(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"PCAWhitening: n_components must be between 1 and 3"):
        T.PCAWhitening(n_components=4).fit(np.eye(3))
    with pytest.raises(ValueError, match=r"Standardize.fit: expected at least two examples"):
        T.Standardize().fit(np.zeros(3))
    with pytest.raises(TypeError, match=r"GaussianNoise: expected a NumPy array or a Tensor, got str"):
        T.GaussianNoise()("image")
    with pytest.raises(ValueError, match=r"RandomHorizontalFlip: probability p"):
        T.RandomHorizontalFlip(p=1.5)
    with pytest.raises(ValueError, match=r"RandomCrop: padding"):
        T.RandomCrop(2, padding=-1)
    with pytest.raises(ValueError, match=r"RandomShift: max_shift"):
        T.RandomShift(1.5)
    with pytest.raises(ValueError, match=r"GaussianNoise: std"):
        T.GaussianNoise(-1)
