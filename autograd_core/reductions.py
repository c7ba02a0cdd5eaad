"""Reductions over dimensions: sum, mean, max/min, variance, log-sum-exp, softmax.

``dim`` may be None (every dimension), an int or a tuple of ints; ``keepdim`` keeps the
reduced dimensions with size 1, as in PyTorch.
"""
import math

import numpy as np

from .arguments import as_tensor, dim_arg, keepdim_arg, normalize_dim, normalize_dims
from .function import Function
from .tensor import MaxMin, Tensor

__all__ = [
    "amax", "amin", "argmax", "argmin", "logsumexp", "log_softmax", "max", "mean", "min", "softmax",
    "std", "sum", "var",
]


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _reduced_shape(shape, axes):
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _expand_back(grad, shape, axes, keepdim):
    """Spread the gradient of a reduction back over the reduced dimensions (a Tensor or
    an array)."""
    if not keepdim:
        grad = grad.reshape(_kept_shape(shape, axes))
    return grad.expand(shape) if isinstance(grad, Tensor) else np.broadcast_to(grad, shape)


def _spread(node, grad):
    """The gradient of the output of ``node``, a reduction over ``dim``, spread back over
    the input's shape."""
    shape = node.input_meta[0][0]
    return _expand_back(grad, shape, normalize_dims(node.attrs["dim"], len(shape)), node.attrs["keepdim"])


class Sum(Function):
    def forward(self, x, *, dim=None, keepdim=False):
        return x.sum(axis=normalize_dims(dim, x.ndim), keepdims=keepdim)

    def backward(self, grad):
        return _spread(self, grad)

    fast_backward = backward


class Mean(Function):
    def forward(self, x, *, dim=None, keepdim=False):
        return x.mean(axis=normalize_dims(dim, x.ndim), keepdims=keepdim)

    def backward(self, grad):
        shape = self.input_meta[0][0]
        count = math.prod(shape[a] for a in normalize_dims(self.attrs["dim"], len(shape)))
        return _spread(self, grad) * (1 / count if count else 1.0)

    fast_backward = backward


class Amax(Function):
    """The largest value over ``dim``; ties share the gradient evenly (as ``torch.amax``)."""

    pick = staticmethod(np.max)

    def forward(self, x, *, dim=None, keepdim=False):
        axes = normalize_dims(dim, x.ndim)
        if x.size == 0:
            raise ValueError(f"cannot reduce an empty tensor of shape {x.shape}")
        out = self.pick(x, axis=axes, keepdims=True)
        if self.recording:
            hits = x == out
            self.save_for_backward(share=(hits / hits.sum(axis=axes, keepdims=True)).astype(x.dtype))
        return out if keepdim else out.reshape(_reduced_shape(x.shape, axes))

    def backward(self, grad):
        return _spread(self, grad) * self.saved.share

    fast_backward = backward


class Amin(Amax):
    pick = staticmethod(np.min)


def extreme(x, reduction, dim, keepdim):
    """``max``/``min``: a value without ``dim``; with ``dim`` the pair (values, indices),
    the gradient going to the index returned, as in PyTorch."""
    if dim is None or isinstance(dim, tuple):
        return reduction.apply(x, dim=dim, keepdim=keepdim)
    if x.ndim == 0:
        normalize_dim(dim, 0)
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
        normalize_dim(dim, data.ndim)
        if data.ndim == 0:
            return np.zeros((), dtype=np.int64)
        return pick(data, axis=dim, keepdims=keepdim).astype(np.int64, copy=False)


def variance(x, dim, unbiased, keepdim, correction):
    """Variance over ``dim``: divides by n - correction (1, unbiased, by default)."""
    if correction is None:
        correction = 0 if unbiased is False else 1
    axes = normalize_dims(dim, x.ndim)
    count = math.prod(x.shape[a] for a in axes)
    centered = x - x.mean(dim=axes, keepdim=True)
    return (centered * centered).sum(dim=axes, keepdim=keepdim) / (count - correction if count > correction else 0)


class LogSumExp(Function):
    """log(sum(exp(x))) over ``dim``, computed stably by taking out the maximum first."""

    name = "logsumexp"

    def forward(self, x, *, dim=None, keepdim=False):
        axes = normalize_dims(dim, x.ndim)
        m = np.max(x, axis=axes, keepdims=True) if x.size else np.zeros(_kept_shape(x.shape, axes), x.dtype)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # the log-sum-exp of nothing is log(0) = -inf
            out = m + np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True))
        self.save_for_backward(x, out)
        return out if keepdim else out.reshape(_reduced_shape(x.shape, axes))

    def backward(self, grad):
        x, _ = self.saved_tensors
        softmax = (x - x.logsumexp(dim=self.attrs["dim"], keepdim=True)).exp()
        return _spread(self, grad) * softmax

    def fast_backward(self, grad):
        x, out = self.saved_arrays
        return _spread(self, grad) * np.exp(x - out)


class Softmax(Function):
    """exp(x) / sum(exp(x)) along ``dim``, stable. Its Jacobian is full, but the
    vector-Jacobian product needs no matrix: s * (g - sum(g * s))."""

    def forward(self, x, *, dim=-1):
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        out = e / e.sum(axis=dim, keepdims=True)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return out * (grad - (grad * out).sum(dim=self.attrs["dim"], keepdim=True))

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return out * (grad - (grad * out).sum(axis=self.attrs["dim"], keepdims=True))


class LogSoftmax(Function):
    """x - logsumexp(x) along ``dim``; backward g - softmax * sum(g)."""

    def forward(self, x, *, dim=-1):
        shifted = x - np.max(x, axis=dim, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad - out.exp() * grad.sum(dim=self.attrs["dim"], keepdim=True)

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return grad - np.exp(out) * grad.sum(axis=self.attrs["dim"], keepdims=True)


def sum(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The sum over ``dim`` (every dimension if None)."""
    return Sum.apply(as_tensor(input), dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


def mean(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The mean over ``dim`` (every dimension if None)."""
    return Mean.apply(as_tensor(input), dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """Variance, unbiased (divides by n - 1) by default as in PyTorch; ``correction=0``
    or ``unbiased=False`` gives the biased (population) variance."""
    return variance(as_tensor(input), dim_arg(dim, axis), unbiased, keepdim_arg(keepdim, keepdims), correction)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """The square root of ``var``."""
    return var(input, dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims).sqrt()


def amax(input, dim=None, keepdim=False):
    """The largest value over ``dim``; ties share the gradient evenly."""
    return Amax.apply(as_tensor(input), dim=dim_arg(dim), keepdim=keepdim)


def amin(input, dim=None, keepdim=False):
    """The smallest value over ``dim``; ties share the gradient evenly."""
    return Amin.apply(as_tensor(input), dim=dim_arg(dim), keepdim=keepdim)


def max(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The largest value, or with ``dim`` the pair (values, indices) as in PyTorch."""
    return extreme(as_tensor(input), Amax, dim_arg(dim, axis), keepdim_arg(keepdim, keepdims))


def min(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The smallest value, or with ``dim`` the pair (values, indices) as in PyTorch."""
    return extreme(as_tensor(input), Amin, dim_arg(dim, axis), keepdim_arg(keepdim, keepdims))


def argmax(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The index of the largest value (of the flattened input without ``dim``)."""
    return ArgExtreme.apply(as_tensor(input), pick=np.argmax, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


def argmin(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The index of the smallest value (of the flattened input without ``dim``)."""
    return ArgExtreme.apply(as_tensor(input), pick=np.argmin, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


def logsumexp(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """log(sum(exp(x))) over ``dim``, computed stably."""
    return LogSumExp.apply(as_tensor(input), dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


def softmax(input, dim=-1, *, axis=None):
    """exp(x) / sum(exp(x)) along ``dim``."""
    return Softmax.apply(as_tensor(input), dim=dim if axis is None else axis)


def log_softmax(input, dim=-1, *, axis=None):
    """x - logsumexp(x) along ``dim``."""
    return LogSoftmax.apply(as_tensor(input), dim=dim if axis is None else axis)
