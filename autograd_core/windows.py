"""Sliding windows over the spatial dimensions of an (N, C, *spatial) array: the strided
views that convolution and pooling are built on.

``windows(x, ...)`` is a view of shape (N, C, *kernel, *out) whose element
``[n, c, *k, *o]`` is ``x[n, c, *(o * stride + k * dilation)]``: no data is copied, the
same memory is read once per window that covers it. Its adjoint, ``add_windows``, adds
such an array back onto the positions it was read from (overlapping windows sum); it
loops over the kernel offsets only (9 steps for a 3x3 kernel), each step one vectorised
add of a strided slice.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided


def output_size(size, kernel, stride=1, padding=(0, 0), dilation=1, ceil_mode=False):
    """Number of window positions along a dimension of ``size`` padded by
    ``padding = (before, after)``: floor((size + before + after - dilation * (kernel - 1) - 1)
    / stride) + 1, the formula floor((W - F + 2P) / S) + 1. With ``ceil_mode`` the division
    rounds up, but the last window must still start inside the input or its left padding
    (PyTorch's rule)."""
    before, after = padding
    span = size + before + after - dilation * (kernel - 1) - 1
    if span < 0:
        return 0
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    if (out - 1) * stride >= size + before:
        out -= 1
    return out


def windows(x, kernel, stride, dilation, out):
    """The read-only view (N, C, *kernel, *out) of the windows of ``x`` (N, C, *spatial)."""
    spatial = x.strides[2:]
    shape = x.shape[:2] + tuple(kernel) + tuple(out)
    strides = (
        x.strides[:2]
        + tuple(s * d for s, d in zip(spatial, dilation))
        + tuple(s * t for s, t in zip(spatial, stride))
    )
    return as_strided(x, shape, strides, writeable=False)


def _offset_slices(offset, stride, dilation, out):
    """Where the elements picked at kernel ``offset`` by every window lie in the input."""
    return (slice(None), slice(None)) + tuple(
        slice(k * d, k * d + s * (n - 1) + 1, s) for k, s, d, n in zip(offset, stride, dilation, out)
    )


def add_windows(target, pieces, stride, dilation):
    """Add ``pieces`` (N, C, *kernel, *out) onto ``target`` (N, C, *spatial) at the places
    ``windows`` reads them from, in place: the adjoint of ``windows``."""
    nd = target.ndim - 2
    kernel, out = pieces.shape[2 : 2 + nd], pieces.shape[2 + nd :]
    for offset in np.ndindex(*kernel):
        target[_offset_slices(offset, stride, dilation, out)] += pieces[(slice(None), slice(None)) + offset]
    return target


def sum_windows(x, kernel, stride, dilation, out):
    """The sum of each window of ``x``: shape (N, C, *out)."""
    view = windows(x, kernel, stride, dilation, out)
    offsets = list(np.ndindex(*kernel))
    total = view[(slice(None), slice(None)) + offsets[0]].copy()
    for offset in offsets[1:]:
        total += view[(slice(None), slice(None)) + offset]
    return total


def pad(x, padding, value=0):
    """``x`` (N, C, *spatial) with ``padding`` ((before, after) per spatial dimension)
    filled with ``value``; ``x`` itself when there is nothing to add."""
    if not any(before or after for before, after in padding):
        return x
    shape = x.shape[:2] + tuple(n + before + after for n, (before, after) in zip(x.shape[2:], padding))
    out = np.full(shape, value, dtype=x.dtype)
    out[interior(x.shape[2:], padding)] = x
    return out


def interior(spatial, padding):
    """The index of the unpadded region inside a padded array."""
    return (slice(None), slice(None)) + tuple(
        slice(before, before + n) for n, (before, _) in zip(spatial, padding)
    )


def as_tuple(value, n, op, name):
    """``3`` -> ``(3, 3)`` for n = 2; a sequence must have n positive integers."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        values = (int(value),) * n
    else:
        values = tuple(value)
        if len(values) == 1:
            values = values * n
        if len(values) != n or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
            raise ValueError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}")
        values = tuple(int(v) for v in values)
    return values
