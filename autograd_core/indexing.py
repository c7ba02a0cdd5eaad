"""Indexing: ``x[index]`` with basic (ints, slices, None, ...) and advanced (integer
or boolean arrays) indices, and its adjoint, adding a gradient into the indexed places.

With advanced indices a position may be picked more than once; the backward pass then
accumulates every contribution (``np.add.at``), as PyTorch does.
"""
import numpy as np

from .arguments import as_tensor, normalize_dim
from .function import Function

__all__ = ["take_along_dim"]


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


def take_along_dim(x, indices, dim):
    """``x`` at ``indices`` along ``dim``, where ``indices`` has x's shape except along dim
    (like ``numpy.take_along_axis``)."""
    x = as_tensor(x)
    dim = normalize_dim(dim, x.ndim, "take_along_dim")
    grids = np.ogrid[tuple(slice(n) for n in indices.shape)]
    index = tuple(indices if axis == dim else grids[axis] for axis in range(x.ndim))
    return x[index]
