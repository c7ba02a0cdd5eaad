"""Making tensors: from data, filled with a constant, ranges, identity, and random ones.

Every function takes ``dtype`` (default float32 for floating-point values) and
``requires_grad``, as their PyTorch namesakes do.
"""
import numpy as np

from .arguments import DEFAULT_FLOAT, as_array, shape_arg
from .tensor import Tensor

__all__ = [
    "arange", "default_generator", "eye", "from_numpy", "full", "manual_seed", "ones", "ones_like", "rand",
    "randn", "tensor", "zeros", "zeros_like",
]

_generator = np.random.default_rng()


def manual_seed(seed):
    """Seed the generator behind ``randn``/``rand`` (and the library's other random draws)."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_generator():
    """The ``numpy.random.Generator`` that ``manual_seed`` seeds."""
    return _generator


def _new(array, requires_grad):
    return Tensor(array, requires_grad=requires_grad)


def tensor(data, dtype=None, requires_grad=False, name=None):
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array or a Tensor)."""
    array = np.array(as_array(data, dtype), copy=True)
    return Tensor(array, requires_grad=requires_grad, name=name)


def from_numpy(array):
    """A tensor sharing memory with ``array`` (no copy)."""
    return Tensor(np.asarray(array))


def zeros(*size, dtype=DEFAULT_FLOAT, requires_grad=False):
    return _new(np.zeros(shape_arg(size), dtype=dtype), requires_grad)


def ones(*size, dtype=DEFAULT_FLOAT, requires_grad=False):
    return _new(np.ones(shape_arg(size), dtype=dtype), requires_grad)


def full(size, fill_value, dtype=None, requires_grad=False):
    size = (size,) if isinstance(size, int) else tuple(size)
    array = np.full(size, fill_value, dtype=dtype if dtype is not None else as_array(fill_value).dtype)
    return _new(array, requires_grad)


def zeros_like(t, dtype=None, requires_grad=False):
    return _new(np.zeros_like(as_array(t), dtype=dtype), requires_grad)


def ones_like(t, dtype=None, requires_grad=False):
    return _new(np.ones_like(as_array(t), dtype=dtype), requires_grad)


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


def eye(n, m=None, dtype=DEFAULT_FLOAT, requires_grad=False):
    return _new(np.eye(n, m, dtype=dtype), requires_grad)


def randn(*size, dtype=DEFAULT_FLOAT, requires_grad=False, generator=None):
    """Samples of the standard normal distribution."""
    rng = generator if generator is not None else _generator
    return _new(rng.standard_normal(shape_arg(size)).astype(dtype), requires_grad)


def rand(*size, dtype=DEFAULT_FLOAT, requires_grad=False, generator=None):
    """Samples of the uniform distribution on [0, 1)."""
    rng = generator if generator is not None else _generator
    return _new(rng.random(shape_arg(size)).astype(dtype), requires_grad)
