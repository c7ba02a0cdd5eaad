"""Preprocessing and data augmentation, as torchvision's and scikit-learn's transforms.

Every transform takes a NumPy array or a Tensor and returns the same kind (a Tensor
result is a new leaf, outside any graph: preprocessing is not differentiated). Images
follow torchvision: one image is (H, W) or (C, H, W), a batch is (N, C, H, W). Every
transform works on a whole batch at once, with NumPy operations over the batch, and the
random ones draw a different choice for each image of it.

- fitted on training data (``fit(X)``, then called on any batch or single example):
  ``Standardize`` (per feature), ``PCAWhitening`` and ``ZCAWhitening``;
- per image: ``ContrastNormalize``;
- random (augmentation): ``RandomShift``, ``RandomHorizontalFlip``, ``RandomCrop``,
  ``GaussianNoise``. Each draws from ``generator`` if given (an
  ``autograd_core.Generator`` or a ``numpy.random.Generator``), else from the one ``autograd_core.manual_seed`` seeds, so ``manual_seed`` makes a run
  repeatable.

``Compose([...])`` chains them. Give one to ``DataLoader(..., transform=t)`` (applied to
each batch of inputs: fast) or ``TensorDataset(X, y, transform=t)`` (applied to each
example).
"""
import numbers

import numpy as np

import autograd_core as ag
from autograd_core import Tensor


def _unwrap(x, name):
    """The array behind ``x`` and a function that gives a result back in ``x``'s kind."""
    if isinstance(x, Tensor):
        return x.data, Tensor
    if isinstance(x, (np.ndarray, np.generic, numbers.Number, list, tuple)):
        return np.asarray(x), np.asarray
    raise TypeError(f"{name}: expected a NumPy array or a Tensor, got {type(x).__name__}")


def _floating(array):
    return array if array.dtype.kind == "f" else array.astype(np.float32)


def _as_batch(array, name):
    """An image or batch of images as (N, C, H, W), and a function undoing that."""
    if array.ndim == 4:
        return array, lambda batch: batch
    if array.ndim in (2, 3):
        shape = array.shape
        return array.reshape((1,) * (4 - array.ndim) + shape), lambda batch: batch.reshape(batch.shape[-array.ndim:])
    raise ValueError(
        f"{name}: expected an image (H, W) or (C, H, W) or a batch (N, C, H, W), got shape {array.shape}"
    )


def _pair(value, name, what):
    if isinstance(value, numbers.Integral):
        return int(value), int(value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, numbers.Integral) for v in value):
        return int(value[0]), int(value[1])
    raise ValueError(f"{name}: {what} must be an integer or a pair of integers, got {value!r}")


class Transform:
    """Base class: a callable from an array or Tensor to the same kind. Subclasses define
    ``apply(array)`` on NumPy arrays."""

    def __call__(self, x):
        array, wrap = _unwrap(x, type(self).__name__)
        return wrap(self.apply(array))

    def apply(self, array):
        raise NotImplementedError(f"{type(self).__name__} defines no apply")

    def __repr__(self):
        return f"{type(self).__name__}({self.extra_repr()})"

    def extra_repr(self):
        return ""


class RandomTransform(Transform):
    """A transform drawing from ``generator``, or from the library's seeded generator."""

    def __init__(self, generator=None):
        self.generator = generator

    def rng(self):
        return ag.random.numpy_generator(self.generator)


class Compose(Transform):
    """Apply ``transforms`` one after the other: ``Compose([RandomCrop(28, padding=2),
    RandomHorizontalFlip()])``."""

    def __init__(self, transforms):
        self.transforms = list(transforms)
        for t in self.transforms:
            if not callable(t):
                raise TypeError(f"Compose: every transform must be callable, got {type(t).__name__}")

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x

    def __repr__(self):
        return "Compose(\n" + "".join(f"    {t!r},\n" for t in self.transforms) + ")"


class FittedTransform(Transform):
    """A transform with statistics learned by ``fit(X)`` from training examples, the rows
    of ``X`` (N, *feature shape). Called on a batch (N, *feature shape) or on a single
    example (*feature shape)."""

    feature_shape = None

    def fit(self, X):
        """Learn the statistics from the examples ``X``; returns ``self``."""
        X, _ = _unwrap(X, type(self).__name__)
        if X.ndim < 2 or len(X) < 2:
            raise ValueError(f"{type(self).__name__}.fit: expected at least two examples (N, ...), got shape {X.shape}")
        self.feature_shape = X.shape[1:]
        self.fit_rows(X.reshape(len(X), -1).astype(np.float64))
        return self

    def rows(self, array, shape=None):
        """``array`` as rows of features (n, D), and whether it was a single example."""
        name = type(self).__name__
        if self.feature_shape is None:
            raise RuntimeError(f"{name}: call fit(X) on training data before transforming")
        shape = self.feature_shape if shape is None else shape
        if array.shape == shape:
            return array.reshape(1, -1), True
        if array.shape[1:] == shape:
            return array.reshape(len(array), -1), False
        raise ValueError(f"{name}: fitted on examples of shape {shape}, got an input of shape {array.shape}")


class Standardize(FittedTransform):
    """(x - mean) / std for every feature (pixel), the mean and standard deviation taken
    over the training examples by ``fit``. A feature constant in training (a border pixel
    always 0) keeps the scale 1, as scikit-learn's ``StandardScaler``."""

    def fit_rows(self, X):
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0, std, 1.0)

    def apply(self, array):
        X, _ = self.rows(array)
        out = ((X - self.mean) / self.std).astype(_floating(array).dtype)
        return out.reshape(array.shape)

    def inverse(self, x):
        """The input that standardises to ``x``."""
        array, wrap = _unwrap(x, "Standardize.inverse")
        X, _ = self.rows(array)
        return wrap((X * self.std + self.mean).astype(_floating(array).dtype).reshape(array.shape))


class ContrastNormalize(Transform):
    """Global contrast normalisation of each image: x' = (x - mean) / sqrt(var + eps),
    mean and variance over that image's pixels (all channels), so every image has mean 0
    and standard deviation about 1 whatever its brightness and contrast. ``eps`` keeps a
    blank image finite."""

    def __init__(self, eps=1e-8):
        if eps < 0:
            raise ValueError(f"ContrastNormalize: eps must be non-negative, got {eps}")
        self.eps = eps

    def apply(self, array):
        batch, restore = _as_batch(_floating(array), "ContrastNormalize")
        mean = batch.mean(axis=(1, 2, 3), keepdims=True)
        var = batch.var(axis=(1, 2, 3), keepdims=True)
        return restore(((batch - mean) / np.sqrt(var + self.eps)).astype(batch.dtype))

    def extra_repr(self):
        return f"eps={self.eps}"


class PCAWhitening(FittedTransform):
    """Project on the principal axes of the training data and scale each to unit variance:
    z = diag(1 / sqrt(lambda + eps)) U^T (x - mean), with C = U diag(lambda) U^T the
    covariance of the training examples (divided by N - 1, as ``numpy.cov``). The output
    has ``n_components`` features (all by default), largest variance first; its
    covariance over the training data is the identity (up to eps). ``eps`` keeps
    directions of (near) zero variance from blowing up."""

    def __init__(self, n_components=None, eps=1e-5):
        if eps < 0:
            raise ValueError(f"{type(self).__name__}: eps must be non-negative, got {eps}")
        self.n_components = n_components
        self.eps = eps

    def fit_rows(self, X):
        n, d = X.shape
        k = d if self.n_components is None else self.n_components
        if not isinstance(k, numbers.Integral) or not 1 <= k <= d:
            raise ValueError(f"{type(self).__name__}: n_components must be between 1 and {d}, got {k!r}")
        self.mean = X.mean(axis=0)
        centred = X - self.mean
        variances, axes = np.linalg.eigh(centred.T @ centred / (n - 1))
        order = np.argsort(variances)[::-1][:k]
        self.explained_variance = np.maximum(variances[order], 0.0)
        self.components = axes[:, order].T
        scale = np.sqrt(self.explained_variance + self.eps)
        self.whiten = self.components / scale[:, None]
        self.unwhiten = self.components.T * scale

    def apply(self, array):
        X, single = self.rows(array)
        Z = ((X - self.mean) @ self.whiten.T).astype(_floating(array).dtype)
        return Z[0] if single else Z

    def inverse(self, z):
        """The input whose whitening is ``z`` (exact with all components; with fewer, the
        projection on the kept ones)."""
        array, wrap = _unwrap(z, f"{type(self).__name__}.inverse")
        Z, single = self.rows(array, (len(self.components),))
        X = (Z @ self.unwhiten.T + self.mean).astype(_floating(array).dtype)
        return wrap(X[0].reshape(self.feature_shape) if single else X.reshape((len(X),) + self.feature_shape))

    def extra_repr(self):
        return f"n_components={self.n_components}, eps={self.eps}"


class ZCAWhitening(PCAWhitening):
    """Zero-phase whitening: PCA whitening rotated back into pixel space,
    x' = U diag(1 / sqrt(lambda + eps)) U^T (x - mean). Of all the whitening transforms
    it is the one whose output stays closest to the centred input (Bell and Sejnowski,
    1997), so a whitened image still looks like an image, its edges enhanced. The
    output has the input's shape."""

    def __init__(self, eps=1e-5):
        super().__init__(None, eps)

    def fit_rows(self, X):
        super().fit_rows(X)
        self.whiten = self.components.T @ self.whiten
        self.unwhiten = self.unwhiten @ self.components

    def apply(self, array):
        X, _ = self.rows(array)
        return ((X - self.mean) @ self.whiten.T).astype(_floating(array).dtype).reshape(array.shape)

    def inverse(self, z):
        """The input whose whitening is ``z``."""
        array, wrap = _unwrap(z, "ZCAWhitening.inverse")
        X, _ = self.rows(array)
        return wrap((X @ self.unwhiten.T + self.mean).astype(_floating(array).dtype).reshape(array.shape))

    def extra_repr(self):
        return f"eps={self.eps}"


def _padding(padding, name):
    """torchvision's padding (an int, (left/right, top/bottom) or (left, top, right,
    bottom)) as (left, top, right, bottom)."""
    if isinstance(padding, numbers.Integral):
        padding = (padding,) * 4
    elif isinstance(padding, (tuple, list)) and len(padding) == 2:
        padding = (padding[0], padding[1], padding[0], padding[1])
    if not (isinstance(padding, (tuple, list)) and len(padding) == 4
            and all(isinstance(p, numbers.Integral) and p >= 0 for p in padding)):
        raise ValueError(f"{name}: padding must be non-negative integers (1, 2 or 4 of them), got {padding!r}")
    return tuple(int(p) for p in padding)


def _random_windows(batch, size, padding, fill, padding_mode, rng, name):
    """A random ``size`` window of each image of ``batch`` (N, C, H, W), padded first."""
    left, top, right, bottom = padding
    n, _, height, width = batch.shape
    h, w = size
    if h > height + top + bottom or w > width + left + right:
        raise ValueError(
            f"{name}: crop size {tuple(size)} is larger than the padded image "
            f"({height + top + bottom}, {width + left + right}) (image {(height, width)}, padding {padding})"
        )
    widths = ((0, 0), (0, 0), (top, bottom), (left, right))
    if padding_mode == "constant":
        padded = np.pad(batch, widths, constant_values=fill)
    else:
        padded = np.pad(batch, widths, mode=padding_mode)
    tops = rng.integers(0, padded.shape[2] - h + 1, n)
    lefts = rng.integers(0, padded.shape[3] - w + 1, n)
    rows = tops[:, None, None] + np.arange(h)[None, :, None]
    cols = lefts[:, None, None] + np.arange(w)[None, None, :]
    # Advanced indices on both sides of the channel slice put the batch axes first: the
    # gather is (N, h, w, C), moved back to (N, C, h, w).
    crops = padded[np.arange(n)[:, None, None], :, rows, cols]
    return np.ascontiguousarray(crops.transpose(0, 3, 1, 2))


class RandomCrop(RandomTransform):
    """A random ``size`` (h, w) window of each image, after padding it by ``padding`` on
    every side (an int, or (left/right, top/bottom), or (left, top, right, bottom), as
    torchvision) with ``fill`` (``padding_mode="constant"``) or as NumPy's ``pad`` modes
    ``"edge"``, ``"reflect"``, ``"symmetric"``. Each image of a batch gets its own window."""

    def __init__(self, size, padding=0, fill=0, padding_mode="constant", generator=None):
        super().__init__(generator)
        self.size = _pair(size, "RandomCrop", "size")
        if min(self.size) < 1:
            raise ValueError(f"RandomCrop: size must be positive, got {size!r}")
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError(f"RandomCrop: padding_mode must be constant, edge, reflect or symmetric, got {padding_mode!r}")
        self.padding = _padding(padding, "RandomCrop")
        self.fill = fill
        self.padding_mode = padding_mode

    def apply(self, array):
        batch, restore = _as_batch(array, "RandomCrop")
        return restore(_random_windows(batch, self.size, self.padding, self.fill, self.padding_mode, self.rng(),
                                       "RandomCrop"))

    def extra_repr(self):
        return f"size={self.size}, padding={self.padding}"


class RandomShift(RandomTransform):
    """Shift each image by a random whole number of pixels, up to ``max_shift`` in each
    direction (independently across and down), filling the uncovered border with
    ``fill``: the content moves, nothing is scaled. (A window of the image's own size
    from the image padded by ``max_shift``.)"""

    def __init__(self, max_shift=2, fill=0, generator=None):
        super().__init__(generator)
        if not isinstance(max_shift, numbers.Integral) or max_shift < 0:
            raise ValueError(f"RandomShift: max_shift must be a non-negative integer, got {max_shift!r}")
        self.max_shift = int(max_shift)
        self.fill = fill

    def apply(self, array):
        batch, restore = _as_batch(array, "RandomShift")
        return restore(_random_windows(batch, batch.shape[2:], (self.max_shift,) * 4, self.fill, "constant",
                                       self.rng(), "RandomShift"))

    def extra_repr(self):
        return f"max_shift={self.max_shift}, fill={self.fill}"


class RandomHorizontalFlip(RandomTransform):
    """Mirror each image left to right with probability ``p``."""

    def __init__(self, p=0.5, generator=None):
        super().__init__(generator)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"RandomHorizontalFlip: probability p must be between 0 and 1, got {p}")
        self.p = p

    def apply(self, array):
        batch, restore = _as_batch(array, "RandomHorizontalFlip")
        flip = self.rng().random(len(batch)) < self.p
        return restore(np.where(flip[:, None, None, None], batch[..., ::-1], batch))

    def extra_repr(self):
        return f"p={self.p}"


class GaussianNoise(RandomTransform):
    """x + noise, the noise drawn from N(0, std^2) independently for every element."""

    def __init__(self, std=0.1, generator=None):
        super().__init__(generator)
        if std < 0:
            raise ValueError(f"GaussianNoise: std must be non-negative, got {std}")
        self.std = std

    def apply(self, array):
        array = _floating(array)
        return array + self.rng().normal(0.0, self.std, array.shape).astype(array.dtype)

    def extra_repr(self):
        return f"std={self.std}"
