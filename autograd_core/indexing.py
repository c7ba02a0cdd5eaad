"""Indexing: ``x[index]`` with basic (ints, slices, None, ...) and advanced (integer
or boolean arrays) indices, and its adjoint, adding a gradient into the indexed places.

With advanced indices a position may be picked more than once; the backward pass then
accumulates every contribution (``np.add.at``), as PyTorch does.
"""
import numpy as np

from .function import Function


def _is_basic(index):
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


class GetItem(Function):
    def forward(self, x, index):
        self.index = index
        self.input_shape = x.shape
        self.basic = _is_basic(index)
        # Basic indexing returns a view of the input; advanced indexing a copy.
        self.shares_storage = self.basic
        return x[index]

    def backward(self, grad):
        return IndexAdd.apply(grad, index=self.index, shape=self.input_shape, basic=self.basic)


class IndexAdd(Function):
    """A zero tensor of ``shape`` with ``grad`` added at ``index`` (the adjoint of GetItem)."""

    def forward(self, grad, index, shape, basic):
        self.index = index
        out = np.zeros(shape, dtype=grad.dtype)
        if basic:
            out[index] = grad
        else:
            np.add.at(out, index, grad)
        return out

    def backward(self, grad):
        return grad[self.index]


def take(x, indices, axis):
    """Pick ``indices`` along ``axis`` (repeats allowed); the other axes are kept."""
    index = (slice(None),) * axis + (np.asarray(indices),)
    return x[index]


def take_along_dim(x, indices, dim):
    """``x`` at ``indices`` along ``dim``, where ``indices`` has x's shape except along dim
    (like ``numpy.take_along_axis``)."""
    dim = dim % x.ndim
    grids = np.ogrid[tuple(slice(n) for n in indices.shape)]
    index = tuple(indices if axis == dim else grids[axis] for axis in range(x.ndim))
    return x[index]
