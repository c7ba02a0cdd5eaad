"""Comparisons and logic: ``eq ne gt ge lt le``, ``any all``, ``isnan isinf isfinite``,
``isclose allclose equal``, ``logical_*``.

None of them is differentiable: the results are boolean tensors (or Python bools) that
never require grad, as in PyTorch.
"""
import numpy as np

from .arguments import as_array, as_tensor
from .tensor import Tensor
from .errors import names_errors

__all__ = [
    "all",
    "allclose",
    "any",
    "eq",
    "equal",
    "ge",
    "greater",
    "greater_equal",
    "gt",
    "isclose",
    "isfinite",
    "isin",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "le",
    "less",
    "less_equal",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "lt",
    "ne",
    "not_equal",
]


def _data(value):
    return value.data if isinstance(value, Tensor) else as_array(value)


def _bool(array):
    return Tensor._make(np.asarray(array, dtype=bool))


@names_errors
def eq(input, other):
    return as_tensor(input)._compare(other, np.equal)


@names_errors
def ne(input, other):
    return as_tensor(input)._compare(other, np.not_equal)


@names_errors
def gt(input, other):
    return as_tensor(input)._compare(other, np.greater)


@names_errors
def ge(input, other):
    return as_tensor(input)._compare(other, np.greater_equal)


@names_errors
def lt(input, other):
    return as_tensor(input)._compare(other, np.less)


@names_errors
def le(input, other):
    return as_tensor(input)._compare(other, np.less_equal)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _logical_reduction(input, dim, keepdim, reduce):
    from .arguments import normalize_dims

    data = _data(input)
    axes = normalize_dims(tuple(dim) if isinstance(dim, list) else dim, data.ndim, reduce.__name__) if data.ndim else None
    return _bool(reduce(data.astype(bool), axis=axes, keepdims=keepdim))


@names_errors
def any(input, dim=None, keepdim=False):
    """Whether any element (over ``dim``, an int or tuple, or all) is non-zero."""
    return _logical_reduction(input, dim, keepdim, np.any)


@names_errors
def all(input, dim=None, keepdim=False):
    """Whether every element (over ``dim``, an int or tuple, or all) is non-zero."""
    return _logical_reduction(input, dim, keepdim, np.all)


@names_errors
def isnan(input):
    return _bool(np.isnan(_data(input)))


@names_errors
def isinf(input):
    return _bool(np.isinf(_data(input)))


@names_errors
def isposinf(input):
    return _bool(np.isposinf(_data(input)))


@names_errors
def isneginf(input):
    return _bool(np.isneginf(_data(input)))


@names_errors
def isfinite(input):
    return _bool(np.isfinite(_data(input)))


@names_errors
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|input - other| <= atol + rtol * |other|, elementwise (infinities equal themselves)."""
    return _bool(np.isclose(_data(input), _data(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


@names_errors
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``isclose`` holds everywhere (a Python bool)."""
    return bool(np.allclose(_data(input), _data(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


@names_errors
def equal(input, other):
    """Whether both have the same shape and the same values (a Python bool)."""
    a, b = _data(input), _data(other)
    return a.shape == b.shape and bool(np.array_equal(a, b))


@names_errors
def isin(elements, test_elements, *, invert=False):
    """Whether each element occurs in ``test_elements``."""
    return _bool(np.isin(_data(elements), _data(test_elements), invert=invert))


@names_errors
def logical_not(input):
    return _bool(np.logical_not(_data(input)))


@names_errors
def logical_and(input, other):
    return _bool(np.logical_and(_data(input), _data(other)))


@names_errors
def logical_or(input, other):
    return _bool(np.logical_or(_data(input), _data(other)))


@names_errors
def logical_xor(input, other):
    return _bool(np.logical_xor(_data(input), _data(other)))
