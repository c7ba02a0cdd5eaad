"""Sliding windows over the spatial dimensions of an (N, C, *spatial) array: the strided
views that convolution and pooling are built on.

``windows(x, ...)`` is a view of shape (N, C, *kernel, *out) whose element
``[n, c, *k, *o]`` is ``x[n, c, *(o * stride + k * dilation)]``: nothing is copied, the
same memory is seen once per window that covers it. Its adjoint, ``add_windows``, adds
such an array back onto the positions it was read from (overlapping windows sum); it
loops over the kernel offsets only (9 steps for a 3x3 kernel), each step one vectorised
add through a strided view.
"""
import math

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


def windows(x, kernel, stride, dilation, out, writeable=False):
    """The view (N, C, *kernel, *out) of the windows of ``x`` (N, C, *spatial).

    ``out`` may ask for more positions along the last dimension than fit: the extra ones
    run on into the next row (the convolution's "wide rows", see ``conv``); ``x`` must
    then have been made by ``pad`` with enough ``tail``.
    """
    spatial = x.strides[2:]
    shape = x.shape[:2] + tuple(kernel) + tuple(out)
    strides = (
        x.strides[:2]
        + tuple(s * d for s, d in zip(spatial, dilation))
        + tuple(s * t for s, t in zip(spatial, stride))
    )
    return as_strided(x, shape, strides, writeable=writeable)


def add_windows(target, pieces, stride, dilation):
    """Add ``pieces`` (N, C, *kernel, *out) onto ``target`` (N, C, *spatial) at the places
    ``windows`` reads them from, in place: the adjoint of ``windows``. For each kernel
    offset the windows do not overlap each other, so each step is one plain add."""
    nd = target.ndim - 2
    kernel, out = pieces.shape[2 : 2 + nd], pieces.shape[2 + nd :]
    view = windows(target, kernel, stride, dilation, out, writeable=True)
    for offset in np.ndindex(*kernel):
        index = (slice(None), slice(None)) + offset
        view[index] += pieces[index]
    return target


def sum_windows(x, kernel, stride, dilation, out):
    """The sum of each window of ``x``: shape (N, C, *out)."""
    view = windows(x, kernel, stride, dilation, out)
    offsets = list(np.ndindex(*kernel))
    total = view[(slice(None), slice(None)) + offsets[0]].copy()
    for offset in offsets[1:]:
        total += view[(slice(None), slice(None)) + offset]
    return total


def pad(x, padding, value=0, tail=0):
    """``x`` (N, C, *spatial) with ``padding`` ((before, after) per spatial dimension)
    filled with ``value``, in a new array followed in memory by ``tail`` more elements
    that wide windows may read. ``x`` itself when there is nothing to add."""
    if not tail and not any(before or after for before, after in padding):
        return x
    shape = x.shape[:2] + tuple(n + before + after for n, (before, after) in zip(x.shape[2:], padding))
    out = filled(shape, x.dtype, value, tail)
    out[interior(x.shape[2:], padding)] = x
    return out


def filled(shape, dtype, value=0, tail=0):
    """A new array of ``shape`` filled with ``value``, followed in memory by ``tail`` zeros."""
    size = math.prod(shape)
    memory = np.zeros(size + tail, dtype=dtype)
    if value != 0:
        memory[:size] = value
    return memory[:size].reshape(shape)


def interior(spatial, padding):
    """The index of the unpadded region inside a padded array."""
    return (slice(None), slice(None)) + tuple(
        slice(before, before + n) for n, (before, _) in zip(spatial, padding)
    )


def check_input(op, x, nd):
    """Raise unless ``x`` is (N, C, *spatial) or unbatched (C, *spatial) with ``nd`` spatial dimensions."""
    if x.ndim not in (nd + 1, nd + 2):
        letters = ", ".join(("L",) if nd == 1 else ("D", "H", "W")[-nd:])
        raise ValueError(
            f"{op}: expected a {nd + 1}-D (C, {letters}) or {nd + 2}-D (N, C, {letters}) input, got shape {tuple(x.shape)}"
        )
