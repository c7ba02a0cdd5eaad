"""Small two-dimensional data sets that no straight line separates: the classic tests
of what a hidden layer adds. Each returns ``(X, y)``: X float32 of shape (n_samples, 2),
y int64 class labels, in a random order; ``noise`` is the standard deviation of Gaussian
noise added to the points and ``seed`` makes the draw reproducible.
"""
import numpy as np


def _finish(points, labels, noise, rng, shuffle=True):
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise}")
    points = points + rng.normal(0.0, noise, points.shape) if noise else points
    order = rng.permutation(len(labels)) if shuffle else np.arange(len(labels))
    return points[order].astype(np.float32), labels[order].astype(np.int64)


def _check(n_samples, minimum, name):
    if n_samples < minimum:
        raise ValueError(f"{name}: n_samples must be at least {minimum}, got {n_samples}")


def xor(n_samples=4, noise=0.0, seed=None):
    """The four corners of the unit square, label x1 XOR x2, cycled ``n_samples`` times:
    ``xor()`` is the truth table; more samples with noise make clouds around the corners.
    A single neuron cannot fit it; a 2-2-1 network can. The corners stay in that
    cyclic order (0,0), (0,1), (1,0), (1,1)."""
    _check(n_samples, 1, "xor")
    rng = np.random.default_rng(seed)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    index = np.arange(n_samples) % 4
    points, labels = corners[index], (corners[index, 0] != corners[index, 1])
    return _finish(points, labels, noise, rng, shuffle=False)


def moons(n_samples=100, noise=0.0, seed=None):
    """Two interleaving half circles: class 0 the upper one centred at (0, 0), class 1
    the lower one centred at (1, 0.5) (as scikit-learn's ``make_moons``)."""
    _check(n_samples, 2, "moons")
    rng = np.random.default_rng(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    outer = np.linspace(0, np.pi, n_outer)
    inner = np.linspace(0, np.pi, n_inner)
    points = np.concatenate([
        np.stack([np.cos(outer), np.sin(outer)], axis=1),
        np.stack([1 - np.cos(inner), 0.5 - np.sin(inner)], axis=1),
    ])
    labels = np.concatenate([np.zeros(n_outer), np.ones(n_inner)])
    return _finish(points, labels, noise, rng)


def circles(n_samples=100, noise=0.0, factor=0.5, seed=None):
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor``."""
    _check(n_samples, 2, "circles")
    if not 0 < factor < 1:
        raise ValueError(f"circles: factor must be between 0 and 1, got {factor}")
    rng = np.random.default_rng(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    outer = np.linspace(0, 2 * np.pi, n_outer, endpoint=False)
    inner = np.linspace(0, 2 * np.pi, n_inner, endpoint=False)
    points = np.concatenate([
        np.stack([np.cos(outer), np.sin(outer)], axis=1),
        factor * np.stack([np.cos(inner), np.sin(inner)], axis=1),
    ])
    labels = np.concatenate([np.zeros(n_outer), np.ones(n_inner)])
    return _finish(points, labels, noise, rng)


def spirals(n_samples=300, noise=0.0, n_classes=2, turns=1.0, seed=None):
    """``n_classes`` interleaved spiral arms from the origin out to radius 1, each
    winding ``turns`` times around it; class k is the arm rotated by 2 pi k / n_classes."""
    _check(n_samples, n_classes, "spirals")
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % n_classes
    radius = np.empty(n_samples)
    for k in range(n_classes):
        members = labels == k
        radius[members] = np.linspace(0.05, 1.0, members.sum())
    angle = 2 * np.pi * (turns * radius + labels / n_classes)
    points = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return _finish(points, labels, noise, rng)
