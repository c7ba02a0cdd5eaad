"""Reductions over dimensions: sum, mean, max/min, variance, log-sum-exp, softmax.

``dim`` may be None (every dimension), an int or a tuple of ints; ``keepdim`` keeps the
reduced dimensions with size 1, as in PyTorch.
"""
import collections
import math

import numpy as np

from .arguments import as_tensor, dim_arg, keepdim_arg, normalize_dim, normalize_dims
from .function import Function
from .tensor import MaxMin, Tensor
from .errors import names_errors

__all__ = [
    "amax", "amin", "argmax", "argmin", "logsumexp", "log_softmax", "max", "mean", "min", "softmax",
    "std", "sum", "var", "aminmax", "count_nonzero", "cumprod", "cumsum", "dist", "norm", "prod",
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
        # Scaled before it is spread: one multiplication instead of one per input element.
        return _spread(self, grad * (1 / count if count else 1.0))

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


def _correction(unbiased, correction):
    if correction is None:
        return 0 if unbiased is False else 1
    return correction


def variance(x, dim, unbiased, keepdim, correction):
    """Variance over ``dim``: divides by n - correction (1, unbiased, by default)."""
    correction = _correction(unbiased, correction)
    axes = normalize_dims(dim, x.ndim, "var")
    count = math.prod(x.shape[a] for a in axes)
    centered = x - x.mean(dim=axes, keepdim=True)
    return (centered * centered).sum(dim=axes, keepdim=keepdim) / (count - correction if count > correction else 0)


def standard_deviation(x, dim, unbiased, keepdim, correction):
    """Standard deviation over ``dim``: the square root of ``variance``."""
    return Std.apply(x, dim=dim, correction=_correction(unbiased, correction), keepdim=keepdim)


class Std(Function):
    """sqrt(sum((x - mean)^2) / (n - correction)) over ``dim``. Its gradient
    (x - mean) / ((n - correction) std) is taken as 0 where std is 0 (a constant input),
    as PyTorch's, where the slope of sqrt at 0 would make it 0 * inf = NaN."""

    def forward(self, x, *, dim=None, correction=1, keepdim=False):
        axes = normalize_dims(dim, x.ndim, "std")
        centered = x - x.mean(axis=axes, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.sqrt((centered * centered).sum(axis=axes, keepdims=keepdim) / self._denominator(x.shape))
        self.save_for_backward(x, out)
        return out

    def _denominator(self, shape):
        """n - correction, or 0 where that is negative (a NaN result, as PyTorch's)."""
        count = math.prod(shape[a] for a in normalize_dims(self.attrs["dim"], len(shape)))
        return count - self.attrs["correction"] if count > self.attrs["correction"] else 0

    def backward(self, grad):
        from .elementwise import where

        x, out = self.saved_tensors
        axes = normalize_dims(self.attrs["dim"], x.ndim)
        if not self.attrs["keepdim"]:
            grad, out = grad.reshape(_kept_shape(x.shape, axes)), out.reshape(_kept_shape(x.shape, axes))
        constant = out.data == 0
        scale = where(constant, 0.0, grad / (where(constant, 1.0, out) * self._denominator(x.shape)))
        return scale * (x - x.mean(dim=axes, keepdim=True))

    def fast_backward(self, grad):
        x, out = self.saved_arrays
        axes = normalize_dims(self.attrs["dim"], x.ndim)
        if not self.attrs["keepdim"]:
            grad, out = grad.reshape(_kept_shape(x.shape, axes)), out.reshape(_kept_shape(x.shape, axes))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(out == 0, 0.0, grad / (out * self._denominator(x.shape)))
        return scale * (x - x.mean(axis=axes, keepdims=True))


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


def _row_max(x, dim):
    """The maximum along ``dim`` (kept), or 0 (the empty sum) for an empty input, which
    has none."""
    return np.max(x, axis=dim, keepdims=True) if x.size else x.sum(axis=dim, keepdims=True)


class Softmax(Function):
    """exp(x) / sum(exp(x)) along ``dim``, stable. Its Jacobian is full, but the
    vector-Jacobian product needs no matrix: s * (g - sum(g * s))."""

    def forward(self, x, *, dim=-1):
        e = np.exp(x - _row_max(x, dim))
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
        shifted = x - _row_max(x, dim)
        out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad - out.exp() * grad.sum(dim=self.attrs["dim"], keepdim=True)

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return grad - np.exp(out) * grad.sum(axis=self.attrs["dim"], keepdims=True)


# -- products, running sums and products, extremes, counts -------------------------------
def _accumulate_dtype(x, dtype):
    """Sums and products of integers and booleans accumulate in int64, as PyTorch's do."""
    if dtype is not None:
        return np.dtype(dtype)
    return np.dtype(np.int64) if x.dtype.kind in "biu" else x.dtype


class Cumsum(Function):
    """Running sum along ``dim``; its backward is the running sum from the other end."""

    def forward(self, x, *, dim):
        return np.cumsum(x, axis=dim)

    def backward(self, grad):
        from .shape import flip

        dim = self.attrs["dim"]
        return flip(flip(grad, dim).cumsum(dim), dim)


class Cumprod(Function):
    """Running product along ``dim``.

    d out_j / d x_i = prod_{k <= j, k != i} x_k for i <= j. Without zeros that is
    out_j / x_i, so the gradient is a reversed running sum of g * out divided by x; with a
    zero, each x_i is in turn replaced by 1 and the running products recomputed (O(n^2),
    but exact and itself differentiable).
    """

    def forward(self, x, *, dim):
        out = np.cumprod(x, axis=dim)
        if self.recording:
            self.save_for_backward(x, out, no_zeros=bool(np.all(x != 0)))
        return out

    def backward(self, grad):
        from .elementwise import where
        from .shape import flip

        x, out = self.saved_tensors
        dim = self.attrs["dim"]
        n = x.shape[dim]
        if n == 0:
            return grad
        if self.saved.no_zeros:
            return flip(flip(grad * out, dim).cumsum(dim), dim) / x
        moved = x.movedim(dim, -1)
        eye = np.eye(n, dtype=bool)
        # others[..., i, j] = prod_{k <= j, k != i} x_k
        others = where(eye, 1.0, moved.unsqueeze(-2).expand(moved.shape[:-1] + (n, n))).cumprod(-1)
        later = np.triu(np.ones((n, n), dtype=bool))
        g = grad.movedim(dim, -1).unsqueeze(-2)
        return (where(later, others, 0.0) * g).sum(-1).movedim(-1, dim)


def _running(op, input, dim, dtype):
    input = as_tensor(input)
    dim = normalize_dim(dim, input.ndim, op.name)
    target = _accumulate_dtype(input, dtype)
    if input.dtype != target:
        input = input.to(target)
    if input.ndim == 0:
        return input * 1
    return op.apply(input, dim=dim)


@names_errors
def cumsum(input, dim, *, dtype=None):
    """Running sum along ``dim`` (integers accumulate in int64)."""
    return _running(Cumsum, input, dim, dtype)


@names_errors
def cumprod(input, dim, *, dtype=None):
    """Running product along ``dim`` (integers accumulate in int64)."""
    return _running(Cumprod, input, dim, dtype)


@names_errors
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """The product of all elements, or along ``dim``; the last running product, so its
    gradient (correct with zeros too) is ``cumprod``'s."""
    input = as_tensor(input)
    target = _accumulate_dtype(input, dtype)
    if dim is None:
        input = input.reshape(-1)
        dim, keepdim, shape = 0, False, ()
    else:
        dim = normalize_dim(dim, input.ndim, "prod")
        if input.ndim == 0:
            return input.to(target) * 1
    if input.shape[dim] == 0:
        shape = _kept_shape(input.shape, (dim,)) if keepdim else input.shape[:dim] + input.shape[dim + 1 :]
        return Tensor._make(np.ones(shape, dtype=target))
    last = cumprod(input, dim, dtype=target).narrow(dim, input.shape[dim] - 1, 1)
    return last if keepdim else last.squeeze(dim)


@names_errors
def amax(input, dim=(), keepdim=False):
    """The largest value over ``dim`` (every dimension by default); ties share the gradient."""
    return Amax.apply(as_tensor(input), dim=_reduction_dims(dim), keepdim=keepdim)


@names_errors
def amin(input, dim=(), keepdim=False):
    """The smallest value over ``dim`` (every dimension by default); ties share the gradient."""
    return Amin.apply(as_tensor(input), dim=_reduction_dims(dim), keepdim=keepdim)


def _reduction_dims(dim):
    if dim is None or dim == () or dim == []:
        return None
    return tuple(dim) if isinstance(dim, list) else dim


MinMax = collections.namedtuple("MinMax", ["min", "max"])


@names_errors
def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) together, over ``dim`` or every element."""
    return MinMax(amin(input, dim, keepdim), amax(input, dim, keepdim))


@names_errors
def count_nonzero(input, dim=None):
    """How many elements are not zero (int64), over ``dim`` (an int or tuple) or all."""
    data = input.data if isinstance(input, Tensor) else np.asarray(input)
    axes = normalize_dims(_reduction_dims(dim), data.ndim, "count_nonzero") if data.ndim else None
    return Tensor._make(np.asarray(np.count_nonzero(data, axis=axes), dtype=np.int64))


@names_errors
def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """``torch.norm``: the vector p-norm over ``dim`` (all elements by default); "fro" is
    the 2-norm. (``linalg.norm`` and ``linalg.vector_norm`` are the newer forms.)"""
    from .linalg import vector_norm

    input = as_tensor(input)
    if p == "fro":
        p = 2
    elif isinstance(p, str):
        raise ValueError(f"norm: p must be a number or 'fro', got {p!r}")
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


@names_errors
def dist(input, other, p=2):
    """The p-norm of input - other (broadcast together)."""
    from .linalg import vector_norm

    return vector_norm(as_tensor(input) - other, p)


@names_errors
def sum(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The sum over ``dim`` (every dimension if None)."""
    return Sum.apply(as_tensor(input), dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


@names_errors
def mean(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The mean over ``dim`` (every dimension if None)."""
    return Mean.apply(as_tensor(input), dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


@names_errors
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """Variance, unbiased (divides by n - 1) by default as in PyTorch; ``correction=0``
    or ``unbiased=False`` gives the biased (population) variance."""
    return variance(as_tensor(input), dim_arg(dim, axis), unbiased, keepdim_arg(keepdim, keepdims), correction)


@names_errors
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """The square root of ``var``; its gradient is 0 where it is 0, as PyTorch's."""
    return standard_deviation(as_tensor(input), dim_arg(dim, axis), unbiased, keepdim_arg(keepdim, keepdims), correction)


@names_errors
def max(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The largest value, or with ``dim`` the pair (values, indices) as in PyTorch."""
    return extreme(as_tensor(input), Amax, dim_arg(dim, axis), keepdim_arg(keepdim, keepdims))


@names_errors
def min(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The smallest value, or with ``dim`` the pair (values, indices) as in PyTorch."""
    return extreme(as_tensor(input), Amin, dim_arg(dim, axis), keepdim_arg(keepdim, keepdims))


@names_errors
def argmax(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The index of the largest value (of the flattened input without ``dim``)."""
    return ArgExtreme.apply(as_tensor(input), pick=np.argmax, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


@names_errors
def argmin(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The index of the smallest value (of the flattened input without ``dim``)."""
    return ArgExtreme.apply(as_tensor(input), pick=np.argmin, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


@names_errors
def logsumexp(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """log(sum(exp(x))) over ``dim``, computed stably."""
    return LogSumExp.apply(as_tensor(input), dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))


@names_errors
def softmax(input, dim=-1, *, axis=None):
    """exp(x) / sum(exp(x)) along ``dim``."""
    return Softmax.apply(as_tensor(input), dim=dim if axis is None else axis)


@names_errors
def log_softmax(input, dim=-1, *, axis=None):
    """x - logsumexp(x) along ``dim``."""
    return LogSoftmax.apply(as_tensor(input), dim=dim if axis is None else axis)
