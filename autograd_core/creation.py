"""Making tensors: from data, filled with a constant, ranges and identity (random ones are
in ``random``).

Every function takes ``dtype`` (default float32 for floating-point values) and
``requires_grad``, as their PyTorch namesakes do.
"""
import functools

import numpy as np

from .arguments import DEFAULT_FLOAT, as_array, shape_arg
from .tensor import Tensor
from .errors import names_errors

__all__ = [
    "arange", "as_tensor", "empty", "empty_like", "eye", "from_numpy", "full", "full_like", "is_tensor",
    "linspace", "logspace", "numel", "ones", "ones_like", "tensor", "zeros", "zeros_like",
]


def _named(function):
    """Errors NumPy raises for bad arguments (``dtype="x"``, a zero step) name the function."""

    @functools.wraps(function)
    def named(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (TypeError, ValueError, ZeroDivisionError) as error:
            if str(error).startswith(function.__name__ + ":"):
                raise
            raise (TypeError if isinstance(error, TypeError) else ValueError)(f"{function.__name__}: {error}") from None

    return named


def _shape(size, op):
    """``f(2, 3)`` and ``f((2, 3))`` both mean the shape (2, 3); sizes must be integers >= 0."""
    size = shape_arg(size)
    for s in size:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{op}: sizes must be integers, got {tuple(size)!r}")
        if s < 0:
            raise RuntimeError(f"{op}: negative dimension {s} in size {tuple(size)}")
    return tuple(size)


def _new(array, requires_grad):
    return Tensor(array, requires_grad=requires_grad)


@names_errors
@_named
def tensor(data, dtype=None, requires_grad=False, name=None):
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array or a Tensor)."""
    array = np.array(as_array(data, dtype), copy=True)
    return Tensor(array, requires_grad=requires_grad, name=name)


@names_errors
@_named
def from_numpy(array):
    """A tensor sharing memory with ``array`` (no copy)."""
    return Tensor(np.asarray(array))


@names_errors
@_named
def zeros(*size, dtype=DEFAULT_FLOAT, requires_grad=False):
    return _new(np.zeros(_shape(size, "zeros"), dtype=dtype), requires_grad)


@names_errors
@_named
def ones(*size, dtype=DEFAULT_FLOAT, requires_grad=False):
    return _new(np.ones(_shape(size, "ones"), dtype=dtype), requires_grad)


@names_errors
@_named
def full(size, fill_value, dtype=None, requires_grad=False):
    size = _shape((tuple(size),) if isinstance(size, (tuple, list)) else (size,), "full")
    array = np.full(size, fill_value, dtype=dtype if dtype is not None else as_array(fill_value).dtype)
    return _new(array, requires_grad)


@names_errors
@_named
def zeros_like(t, dtype=None, requires_grad=False):
    return _new(np.zeros_like(as_array(t), dtype=dtype), requires_grad)


@names_errors
@_named
def ones_like(t, dtype=None, requires_grad=False):
    return _new(np.ones_like(as_array(t), dtype=dtype), requires_grad)


@names_errors
@_named
def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    """Values from ``start`` (default 0) up to but excluding ``end``; integers stay int64,
    floats become float32."""
    if end is None:
        start, end = 0, start
    array = np.arange(start, end, step)
    if dtype is not None:
        array = array.astype(dtype)
    elif array.dtype.kind == "f":
        array = array.astype(DEFAULT_FLOAT)
    return _new(array, requires_grad)


@names_errors
@_named
def eye(n, m=None, dtype=DEFAULT_FLOAT, requires_grad=False):
    _shape((n,) if m is None else (n, m), "eye")
    return _new(np.eye(n, m, dtype=dtype), requires_grad)


@names_errors
def empty(*size, dtype=DEFAULT_FLOAT, requires_grad=False):
    """A tensor whose values are not set (NumPy's ``empty``): fill it before reading it."""
    return _new(np.empty(shape_arg(size), dtype=dtype), requires_grad)


@names_errors
def empty_like(input, dtype=None, requires_grad=False):
    return _new(np.empty_like(as_array(input), dtype=dtype), requires_grad)


@names_errors
def full_like(input, fill_value, dtype=None, requires_grad=False):
    """``input``'s shape filled with ``fill_value``, in ``input``'s dtype unless told otherwise."""
    return _new(np.full_like(as_array(input), fill_value, dtype=dtype), requires_grad)


@names_errors
def linspace(start, end, steps, dtype=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included (float32)."""
    if steps < 0:
        raise ValueError(f"linspace: steps must be non-negative, got {steps}")
    array = np.linspace(float(start), float(end), int(steps))
    return _new(array.astype(dtype or DEFAULT_FLOAT), requires_grad)


@names_errors
def logspace(start, end, steps, base=10.0, dtype=None, requires_grad=False):
    """``base ** linspace(start, end, steps)``."""
    if steps < 0:
        raise ValueError(f"logspace: steps must be non-negative, got {steps}")
    array = np.power(float(base), np.linspace(float(start), float(end), int(steps)))
    return _new(array.astype(dtype or DEFAULT_FLOAT), requires_grad)


@names_errors
def as_tensor(data, dtype=None):
    """``data`` as a tensor, sharing memory with it when it already is an array or a tensor
    of the right dtype (a copy otherwise)."""
    if isinstance(data, Tensor) and (dtype is None or np.dtype(dtype) == data.dtype):
        return data
    return Tensor(as_array(data, dtype))


@names_errors
def is_tensor(obj):
    return isinstance(obj, Tensor)


@names_errors
def numel(input):
    """The number of elements of ``input``."""
    return int(np.size(as_array(input)))
