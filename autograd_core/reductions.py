"""Reductions over dimensions: sum, mean, max/min, variance, log-sum-exp, softmax.

``dim`` may be None (every dimension), an int or a tuple of ints; ``keepdim`` keeps the
reduced dimensions with size 1, as in PyTorch.
"""
import numpy as np

from .function import Function
from .tensor import MaxMin, Tensor


def _axes(dim, ndim):
    """``dim`` as a sorted tuple of non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    dims = dim if isinstance(dim, tuple) else (dim,)
    axes = []
    for d in dims:
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(f"dimension {d} is out of range for a tensor with {ndim} dimensions")
        axes.append(d % ndim if ndim else 0)
    if len(set(axes)) != len(axes):
        raise ValueError(f"dim {dim} names a dimension more than once")
    return tuple(sorted(axes))


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _expand_back(grad, shape, axes, keepdim):
    """Spread the gradient of a reduction back over the reduced dimensions."""
    if not keepdim:
        grad = grad.reshape(_kept_shape(shape, axes))
    return grad.expand(shape)


class Sum(Function):
    def forward(self, x, dim=None, keepdim=False):
        self.shape = x.shape
        self.axes = _axes(dim, x.ndim) if x.ndim else ()
        self.keepdim = keepdim
        return x.sum(axis=self.axes, keepdims=keepdim)

    def backward(self, grad):
        return _expand_back(grad, self.shape, self.axes, self.keepdim)


class Mean(Function):
    def forward(self, x, dim=None, keepdim=False):
        self.shape = x.shape
        self.axes = _axes(dim, x.ndim) if x.ndim else ()
        self.keepdim = keepdim
        self.count = int(np.prod([x.shape[a] for a in self.axes]))
        return x.mean(axis=self.axes, keepdims=keepdim)

    def backward(self, grad):
        return _expand_back(grad, self.shape, self.axes, self.keepdim) * (1 / max(self.count, 1))


class Amax(Function):
    """The largest value over ``dim``; ties share the gradient evenly (as ``torch.amax``)."""

    pick = staticmethod(np.max)

    def forward(self, x, dim=None, keepdim=False):
        self.shape = x.shape
        self.axes = _axes(dim, x.ndim) if x.ndim else ()
        self.keepdim = keepdim
        if x.size == 0:
            raise ValueError(f"cannot reduce an empty tensor of shape {x.shape}")
        out = self.pick(x, axis=self.axes, keepdims=True)
        hits = x == out
        self.share = (hits / hits.sum(axis=self.axes, keepdims=True)).astype(x.dtype)
        return out if keepdim else out.reshape([s for i, s in enumerate(x.shape) if i not in self.axes])

    def backward(self, grad):
        return _expand_back(grad, self.shape, self.axes, self.keepdim) * self.share


class Amin(Amax):
    pick = staticmethod(np.min)


def extreme(x, reduction, dim, keepdim):
    """``max``/``min``: a value without ``dim``; with ``dim`` the pair (values, indices),
    the gradient going to the index returned, as in PyTorch."""
    if dim is None or isinstance(dim, tuple):
        return reduction.apply(x, dim=dim, keepdim=keepdim)
    if x.ndim == 0:
        _axes(dim, 0)
        return MaxMin(reduction.apply(x), Tensor._make(np.zeros((), dtype=np.int64)))
    from .indexing import take_along_dim

    pick = np.argmax if reduction is Amax else np.argmin
    indices = ArgExtreme.apply(x, pick=pick, dim=dim, keepdim=True)
    values = take_along_dim(x, indices.data, dim)
    if not keepdim:
        values = values.squeeze(dim)
        indices = indices.squeeze(dim)
    return MaxMin(values, indices)


class ArgExtreme(Function):
    """The index of the largest (``pick=np.argmax``) or smallest value over ``dim``: an
    integer result, not differentiable."""

    name = "arg_extreme"

    def forward(self, data, pick, dim=None, keepdim=False):
        if data.size == 0:
            raise ValueError(f"{pick.__name__}: cannot reduce an empty tensor of shape {data.shape}")
        if dim is None:
            return np.asarray(pick(data)).astype(np.int64).reshape((1,) * data.ndim if keepdim else ())
        _axes(dim, data.ndim)
        if data.ndim == 0:
            return np.zeros((), dtype=np.int64)
        return pick(data, axis=dim, keepdims=keepdim).astype(np.int64, copy=False)


def var(x, dim, unbiased, keepdim, correction):
    """Variance over ``dim``: divides by n - correction (1, unbiased, by default)."""
    if correction is None:
        correction = 0 if unbiased is False else 1
    axes = _axes(dim, x.ndim) if x.ndim else ()
    count = int(np.prod([x.shape[a] for a in axes]))
    centered = x - x.mean(dim=axes, keepdim=True)
    return (centered * centered).sum(dim=axes, keepdim=keepdim) / max(count - correction, 0)


class LogSumExp(Function):
    """log(sum(exp(x))) over ``dim``, computed stably by taking out the maximum first."""

    name = "logsumexp"

    def forward(self, x, dim=None, keepdim=False):
        self.shape = x.shape
        self.axes = _axes(dim, x.ndim) if x.ndim else ()
        self.keepdim = keepdim
        m = np.max(x, axis=self.axes, keepdims=True) if x.size else np.zeros(_kept_shape(x.shape, self.axes), x.dtype)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # the log-sum-exp of nothing is log(0) = -inf
            out = m + np.log(np.sum(np.exp(x - m), axis=self.axes, keepdims=True))
        self.save_for_backward(x)
        return out if keepdim else out.reshape([s for i, s in enumerate(x.shape) if i not in self.axes])

    def backward(self, grad):
        (x,) = self.saved_tensors
        out = x.logsumexp(dim=self.axes, keepdim=True)
        softmax = (x - out).exp()
        return _expand_back(grad, self.shape, self.axes, self.keepdim) * softmax


class Softmax(Function):
    """exp(x) / sum(exp(x)) along ``dim``, stable. Its Jacobian is full, but the
    vector-Jacobian product needs no matrix: s * (g - sum(g * s))."""

    def forward(self, x, dim=-1):
        self.dim = dim
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        out = e / e.sum(axis=dim, keepdims=True)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return out * (grad - (grad * out).sum(dim=self.dim, keepdim=True))


class LogSoftmax(Function):
    """x - logsumexp(x) along ``dim``; backward g - softmax * sum(g)."""

    def forward(self, x, dim=-1):
        self.dim = dim
        shifted = x - np.max(x, axis=dim, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad - out.exp() * grad.sum(dim=self.dim, keepdim=True)
