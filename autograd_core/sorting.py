"""Ordering: sort, argsort, topk, kthvalue, median, mode and unique.

The values come from the input through ``take_along_dim`` (indexing), so their gradient
goes back to the places they were picked from; the indices are int64 and, like every
integer result, never require grad.
"""
import collections

import numpy as np

from .arguments import as_tensor, normalize_dim
from .indexing import take_along_dim
from .tensor import Tensor
from .errors import names_errors

__all__ = ["argsort", "kthvalue", "median", "mode", "msort", "nanmedian", "sort", "topk", "unique"]

ValuesIndices = collections.namedtuple("ValuesIndices", ["values", "indices"])


def _order(data, dim, descending, stable=True):
    """Indices that sort ``data`` along ``dim``; ties keep their order when stable (also
    when descending: the order of equal values is that of the input, as in PyTorch)."""
    kind = "stable" if stable else None
    if not descending:
        return np.argsort(data, axis=dim, kind=kind)
    n = data.shape[dim]
    flipped = np.argsort(np.flip(data, axis=dim), axis=dim, kind="stable")
    return (n - 1) - np.flip(flipped, axis=dim)


def _pick(input, indices, dim, keepdim=True):
    if input.ndim == 0:
        return ValuesIndices(input[()], Tensor._make(np.zeros((), np.int64)))
    values = take_along_dim(input, indices, dim)
    if not keepdim:
        values = values.squeeze(dim)
        indices = indices.squeeze(axis=dim)
    return ValuesIndices(values, Tensor._make(indices.astype(np.int64, copy=False)))


@names_errors
def sort(input, dim=-1, descending=False, stable=False):
    """(values, indices) sorted along ``dim``, ascending unless ``descending``; NaN sorts last."""
    input = as_tensor(input)
    dim = normalize_dim(dim, input.ndim, "sort")
    if input.ndim == 0:
        return _pick(input, None, dim)
    return _pick(input, _order(input.data, dim, descending, stable), dim)


@names_errors
def argsort(input, dim=-1, descending=False, stable=False):
    """The indices (int64) that sort ``input`` along ``dim``."""
    return sort(input, dim, descending, stable).indices


@names_errors
def msort(input):
    """``input`` sorted along its first dimension."""
    return sort(input, 0).values


def _ranked(op, input, ranks, dim, descending, keepdim=True):
    """The values at positions ``ranks`` of the sorted order along ``dim``, with indices."""
    input = as_tensor(input)
    dim = normalize_dim(dim, input.ndim, op)
    n = input.shape[dim] if input.ndim else 1
    if ranks.size and not (0 <= ranks.min() and ranks.max() < n):
        raise ValueError(f"{op}: k ({ranks.max() + 1}) is out of range for dimension {dim} of size {n}")
    if input.ndim == 0:
        return _pick(input, None, dim)
    order = _order(input.data, dim, descending)
    return _pick(input, np.take(order, ranks, axis=dim), dim, keepdim)


@names_errors
def topk(input, k, dim=-1, largest=True, sorted=True):
    """The ``k`` largest (or smallest) values along ``dim`` and their indices."""
    if k < 0:
        raise ValueError(f"topk: k ({k}) must be non-negative")
    return _ranked("topk", input, np.arange(k), dim, descending=largest)


@names_errors
def kthvalue(input, k, dim=-1, keepdim=False):
    """The ``k``-th smallest value along ``dim`` (k counts from 1) and its index."""
    if k < 1:
        raise ValueError(f"kthvalue: k ({k}) must be at least 1")
    return _ranked("kthvalue", input, np.array([k - 1]), dim, False, keepdim)


@names_errors
def median(input, dim=None, keepdim=False):
    """The lower median (the smaller of the two middle values for an even count, as
    PyTorch): of all elements without ``dim``, else (values, indices) along ``dim``."""
    input = as_tensor(input)
    if dim is None:
        if input.numel() == 0:
            return Tensor._make(np.asarray(np.nan, dtype=input.dtype))
        return kthvalue(input.reshape(-1), (input.numel() + 1) // 2, 0).values
    n = input.shape[normalize_dim(dim, input.ndim, "median")] if input.ndim else 1
    return kthvalue(input, (n + 1) // 2, dim, keepdim)


@names_errors
def nanmedian(input, dim=None, keepdim=False):
    """``median`` ignoring NaN (NaN only where every value is NaN)."""
    input = as_tensor(input)
    if dim is None:
        data = input.data.reshape(-1)
        kept = np.flatnonzero(~np.isnan(data)) if data.dtype.kind == "f" else np.arange(data.size)
        if kept.size == 0:
            return Tensor._make(np.asarray(np.nan, dtype=input.dtype))
        return median(input.reshape(-1)[kept])
    dim = normalize_dim(dim, input.ndim, "nanmedian")
    data = input.data
    order = _order(data, dim, descending=False)
    counts = (~np.isnan(data)).sum(axis=dim, keepdims=True) if data.dtype.kind == "f" else data.shape[dim]
    position = np.maximum((np.asarray(counts) + 1) // 2 - 1, 0)
    indices = np.take_along_axis(order, np.broadcast_to(position, np.shape(np.take(order, [0], axis=dim))), axis=dim)
    return _pick(input, indices, dim, keepdim)


@names_errors
def mode(input, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest on a tie) and an index of it."""
    input = as_tensor(input)
    dim = normalize_dim(dim, input.ndim, "mode")
    if input.ndim == 0:
        return _pick(input, None, dim)
    data = np.moveaxis(input.data, dim, -1)
    n = data.shape[-1]
    if n == 0:
        raise ValueError(f"mode: dimension {dim} is empty")
    rows = data.reshape(-1, n)
    chosen = np.empty(len(rows), dtype=np.int64)
    for r, row in enumerate(rows):
        values, counts = np.unique(row, return_counts=True)
        best = values[np.argmax(counts)]
        chosen[r] = np.flatnonzero(row == best)[-1]
    indices = np.moveaxis(chosen.reshape(data.shape[:-1] + (1,)), -1, dim)
    return _pick(input, indices, dim, keepdim)


@names_errors
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), and optionally the inverse indices that rebuild the
    input from them and the count of each; with ``dim``, distinct slices along it.
    Not differentiable."""
    data = input.data if isinstance(input, Tensor) else np.asarray(input)
    if dim is None:
        values, inverse, counts = np.unique(data.reshape(-1), return_inverse=True, return_counts=True)
        inverse = inverse.reshape(data.shape)
    else:
        dim = normalize_dim(dim, data.ndim, "unique")
        values, inverse, counts = np.unique(data, axis=dim, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
    results = [Tensor._make(values)]
    if return_inverse:
        results.append(Tensor._make(inverse.astype(np.int64)))
    if return_counts:
        results.append(Tensor._make(counts.astype(np.int64)))
    return results[0] if len(results) == 1 else tuple(results)
