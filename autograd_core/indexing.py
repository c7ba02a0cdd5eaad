"""Indexing: ``x[index]`` with basic (ints, slices, None, ...) and advanced (integer
or boolean arrays) indices, and its adjoint, adding a gradient into the indexed places.

With advanced indices a position may be picked more than once; the backward pass then
accumulates every contribution (``np.add.at``), as PyTorch does.
"""
import numpy as np

from .arguments import as_tensor, normalize_dim
from .function import Function
from .errors import names_errors

__all__ = [
    "argwhere", "gather", "index_add", "index_select", "masked_fill", "masked_select", "nonzero", "scatter",
    "scatter_add", "take_along_dim",
]


def _is_basic(index):
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


def _index_add(grad, index, shape):
    """A zero array of ``shape`` with ``grad`` added at ``index`` (repeats accumulate)."""
    out = np.zeros(shape, dtype=grad.dtype)
    if _is_basic(index):
        out[index] = grad
    else:
        np.add.at(out, index, grad)
    return out


class GetItem(Function):
    def forward(self, x, *, index):
        return x[index]

    @property
    def shares_storage(self):
        # Basic indexing returns a view of the input; advanced indexing a copy.
        return _is_basic(self.attrs["index"])

    def backward(self, grad):
        return IndexAdd.apply(grad, index=self.attrs["index"], shape=self.input_meta[0][0])

    def fast_backward(self, grad):
        return _index_add(grad, self.attrs["index"], self.input_meta[0][0])


class IndexAdd(Function):
    """A zero tensor of ``shape`` with ``grad`` added at ``index`` (the adjoint of GetItem)."""

    def forward(self, grad, *, index, shape):
        return _index_add(grad, index, shape)

    def backward(self, grad):
        return grad[self.attrs["index"]]

    fast_backward = backward


def take(x, indices, axis):
    """Pick ``indices`` along ``axis`` (repeats allowed); the other axes are kept."""
    index = (slice(None),) * axis + (np.asarray(indices),)
    return x[index]


@names_errors
def take_along_dim(x, indices, dim):
    """``x`` at ``indices`` along ``dim``, where ``indices`` has x's shape except along dim
    (like ``numpy.take_along_axis``)."""
    x = as_tensor(x)
    dim = normalize_dim(dim, x.ndim, "take_along_dim")
    grids = np.ogrid[tuple(slice(n) for n in indices.shape)]
    index = tuple(indices if axis == dim else grids[axis] for axis in range(x.ndim))
    return x[index]


# -- gather and scatter, selections by index and by mask ---------------------------------
def _index_data(index, op):
    from .tensor import Tensor

    array = index.data if isinstance(index, Tensor) else np.asarray(index)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{op}: index must be an integer tensor, got {array.dtype}")
    return array


def _along(x_shape, index, dim, op):
    """The advanced index that reads ``index`` along ``dim`` and position i elsewhere
    (``index`` may be smaller than ``x`` in every dimension), checked against x's shape."""
    ndim = len(x_shape)
    if index.ndim != ndim:
        raise ValueError(f"{op}: index has {index.ndim} dimensions, the tensor {ndim}")
    dim = normalize_dim(dim, ndim, op)
    for axis, (i, n) in enumerate(zip(index.shape, x_shape)):
        if axis != dim and i > n:
            raise ValueError(f"{op}: index of shape {index.shape} is larger than the tensor's {x_shape} in dimension {axis}")
    n = x_shape[dim] if ndim else 1
    if index.size and (index.min() < -n or index.max() >= n):
        raise IndexError(f"{op}: index out of range for dimension {dim} of size {n}")
    if ndim == 0:
        return ()
    grids = np.ogrid[tuple(slice(s) for s in index.shape)]
    return tuple(index if axis == dim else grids[axis] for axis in range(ndim))


@names_errors
def gather(input, dim, index):
    """out[i][j] = input[index[i][j]][j] for dim 0 (and so on): values picked along ``dim``.
    The gradient adds back into the picked places."""
    return input[_along(input.shape, _index_data(index, "gather"), dim, "gather")]


class Scatter(Function):
    """A copy of ``input`` with ``src`` written at ``index`` (a tuple of index arrays).
    The written places take no gradient from ``input``; ``src`` gets the gradient there."""

    def forward(self, input, src, *, index):
        out = input.copy()
        out[index] = src
        if self.recording:
            written = np.zeros(input.shape, dtype=bool)
            written[index] = True
            self.save_for_backward(written=written)
        return out

    def backward(self, grad):
        from .elementwise import where

        return where(self.saved.written, 0.0, grad), grad[self.attrs["index"]]


def _scatter_source(src, index, dtype):
    from .tensor import Tensor

    if isinstance(src, Tensor):
        return src[tuple(slice(0, s) for s in index.shape)]
    return np.broadcast_to(np.asarray(src, dtype=dtype), index.shape)


@names_errors
def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """A copy of ``input`` with ``src`` (a tensor, or a number ``value``) written at
    ``index`` along ``dim``: out[index[i][j]][j] = src[i][j] for dim 0. ``reduce="add"``
    or ``"multiply"`` combines instead of writing (then only "add" is differentiable)."""
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter: give src (a tensor) or value (a number)")
    index = _index_data(index, "scatter")
    where_ = _along(input.shape, index, dim, "scatter")
    source = _scatter_source(src, index, input.dtype)
    if reduce is None:
        return Scatter.apply(input, source, index=where_)
    if reduce == "add":
        return scatter_add(input, dim, index, source)
    if reduce == "multiply":
        from .tensor import Tensor

        out = input.data.copy()
        np.multiply.at(out, where_, source.data if isinstance(source, Tensor) else source)
        return Tensor._make(out)
    raise ValueError(f"scatter: reduce must be None, 'add' or 'multiply', got {reduce!r}")


@names_errors
def scatter_add(input, dim, index, src):
    """``input`` plus ``src`` added at ``index`` along ``dim`` (repeated indices accumulate)."""
    index = _index_data(index, "scatter_add")
    where_ = _along(input.shape, index, dim, "scatter_add")
    source = _scatter_source(src, index, input.dtype)
    return input + IndexAdd.apply(source, index=where_, shape=input.shape)


@names_errors
def index_select(input, dim, index):
    """The slices of dimension ``dim`` at the 1-D integer ``index`` (repeats allowed)."""
    index = _index_data(index, "index_select")
    if index.ndim > 1:
        raise ValueError(f"index_select: index must be 1-D, got shape {index.shape}")
    dim = normalize_dim(dim, input.ndim, "index_select")
    n = input.shape[dim] if input.ndim else 1
    if index.size and (index.min() < -n or index.max() >= n):
        raise IndexError(f"index_select: index out of range for dimension {dim} of size {n}")
    if input.ndim == 0:
        return input.reshape(1)[index.reshape(-1)].reshape(index.shape)
    return take(input, index.reshape(-1), dim)


@names_errors
def index_add(input, dim, index, source, *, alpha=1):
    """``input`` with ``alpha * source`` added at the slices ``index`` of dimension ``dim``."""
    index = _index_data(index, "index_add")
    dim = normalize_dim(dim, input.ndim, "index_add")
    if index.ndim != 1 or np.shape(source)[dim] != len(index):
        raise ValueError(
            f"index_add: index of shape {index.shape} does not fit source of shape {tuple(np.shape(source))} in dimension {dim}"
        )
    place = (slice(None),) * dim + (index,)
    if alpha != 1:
        source = source * alpha
    return input + IndexAdd.apply(source, index=place, shape=input.shape)


@names_errors
def masked_fill(input, mask, value):
    """``value`` where ``mask`` (broadcast to input) is true, else ``input``; the gradient
    passes where the mask is false (and to ``value`` if it is a tensor)."""
    from .elementwise import where
    from .tensor import Tensor

    mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(f"masked_fill: mask must be a boolean tensor, got {mask.dtype}")
    if np.broadcast_shapes(mask.shape, input.shape) != input.shape:
        raise ValueError(f"masked_fill: mask of shape {mask.shape} does not broadcast to {tuple(input.shape)}")
    if not isinstance(value, Tensor):
        value = np.asarray(value, dtype=input.dtype)
    elif value.ndim:
        raise ValueError(f"masked_fill: value must be a number or a 0-d tensor, got shape {tuple(value.shape)}")
    return where(mask, value, input)


@names_errors
def masked_select(input, mask):
    """The elements where ``mask`` is true, as a 1-D tensor (both broadcast together)."""
    from .tensor import Tensor

    mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if mask.dtype != np.bool_:
        raise TypeError(f"masked_select: mask must be a boolean tensor, got {mask.dtype}")
    shape = np.broadcast_shapes(mask.shape, input.shape)
    if shape != input.shape:
        input = input.expand(shape)
    return input[np.broadcast_to(mask, shape)]


@names_errors
def take_flat(input, index):
    """``torch.take``: the elements of the flattened input at ``index`` (result of index's shape)."""
    index = _index_data(index, "take")
    n = input.numel()
    if index.size and (index.min() < -n or index.max() >= n):
        raise IndexError(f"take: index out of range for a tensor of {n} elements")
    return input.reshape(-1)[index]


@names_errors
def nonzero(input, *, as_tuple=False):
    """The indices of the non-zero elements: an (n, ndim) int64 tensor, or one 1-D tensor
    per dimension with ``as_tuple=True``."""
    from .tensor import Tensor

    data = input.data if isinstance(input, Tensor) else np.asarray(input)
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return Tensor._make(np.argwhere(data).astype(np.int64))


@names_errors
def argwhere(input):
    return nonzero(input)
