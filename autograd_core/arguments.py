"""Arguments as users write them, turned into what the ops compute with: tensors, arrays,
dtypes, dimensions and shapes. Every op reads its arguments through these helpers, so
``x.sum(axis=1)``, ``x.sum(dim=[1])`` and ``x.reshape((2, 3))`` mean the same thing
everywhere, and a bad dimension gets the same error from every op.

PyTorch's rule for 0-d tensors holds throughout: they accept dimension 0 (or -1) as if
they had one dimension.
"""
import numpy as np

from .tensor import Tensor

__all__ = [
    "DEFAULT_FLOAT",
    "as_array",
    "as_tensor",
    "as_tuple",
    "dim_arg",
    "floating_dtype",
    "index_arg",
    "keepdim_arg",
    "normalize_dim",
    "normalize_dims",
    "shape_arg",
]

#: The dtype of Python floats and lists of floats.
DEFAULT_FLOAT = np.float32


def as_array(data, dtype=None):
    """User data as an array: Python floats become float32, arrays keep their dtype,
    a Tensor gives its own array (no copy)."""
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, np.ndarray) and data.dtype.kind not in "OUSV":
        return data if dtype is None else data.astype(dtype, copy=False)
    try:
        array = np.asarray(data, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise type(error)(f"tensor: cannot make a tensor of {type(data).__name__} data ({error})") from None
    if array.dtype.kind in "OUSV":
        raise TypeError(f"tensor: cannot make a tensor of {type(data).__name__} data holding {array.dtype} values (numbers only)")
    if dtype is None and array.dtype == np.float64:
        array = array.astype(DEFAULT_FLOAT)
    return array


def as_tensor(value, dtype=None):
    """``value`` itself if it is a Tensor (of ``dtype``, if given), else a new Tensor
    wrapping it (``as_array``'s rules)."""
    if isinstance(value, Tensor):
        return value if dtype is None else value.to(dtype)
    return Tensor(value, dtype=dtype)


def floating_dtype(array):
    """The dtype of a floating-point result computed from ``array``: its own if it is
    floating-point; integers compute in float64, as NumPy's exp and tanh do."""
    return array.dtype if array.dtype.kind in "fc" else np.float64


def dim_arg(dim, axis=None):
    """PyTorch says ``dim``, NumPy says ``axis``; accept either (lists become tuples)."""
    if dim is None:
        dim = axis
    if isinstance(dim, list):
        dim = tuple(dim)
    if dim is not None and not all(_is_int(d) for d in (dim if isinstance(dim, tuple) else (dim,))):
        raise TypeError(f"dim must be an int or a tuple of ints, got {dim!r}")
    return dim


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def keepdim_arg(keepdim, keepdims=None):
    """``keepdim`` (PyTorch) or ``keepdims`` (NumPy), as a bool."""
    keep = keepdims if keepdims is not None else keepdim
    if not isinstance(keep, (bool, int, np.bool_)):
        raise TypeError(f"keepdim must be a bool, got {type(keep).__name__}")
    return bool(keep)


def normalize_dim(dim, ndim, op=None):
    """``dim`` as a non-negative index into ``ndim`` dimensions (negative counts from the
    end); IndexError naming ``op`` if it is out of range."""
    size = max(ndim, 1)
    prefix = f"{op}: " if op else ""
    if not _is_int(dim):
        raise TypeError(f"{prefix}dim must be an int, got {dim!r}")
    if not -size <= dim < size:
        raise IndexError(f"{prefix}dimension {dim} is out of range for a tensor with {ndim} dimensions")
    return dim % size if ndim else 0


def normalize_dims(dim, ndim, op=None):
    """``dim`` (None for every dimension, an int or a tuple of ints) as a sorted tuple of
    non-negative dimensions; () for a 0-d tensor. ValueError if one is named twice."""
    if ndim == 0:
        if dim is not None:
            for d in dim if isinstance(dim, tuple) else (dim,):
                normalize_dim(d, 0, op)
        return ()
    if dim is None:
        return tuple(range(ndim))
    dims = tuple(normalize_dim(d, ndim, op) for d in (dim if isinstance(dim, tuple) else (dim,)))
    if len(set(dims)) != len(dims):
        prefix = f"{op}: " if op else ""
        raise ValueError(f"{prefix}dim {dim} names a dimension more than once")
    return tuple(sorted(dims))


def shape_arg(shape):
    """``f(2, 3)`` and ``f((2, 3))`` both mean the shape (2, 3)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def as_tuple(value, n, op, name):
    """``3`` -> ``(3, 3)`` for n = 2; a sequence must hold n integers (or one, repeated).
    ValueError naming ``op`` and the argument ``name`` otherwise."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    values = tuple(value)
    if len(values) == 1:
        values = values * n
    if len(values) != n or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        raise ValueError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}")
    return tuple(int(v) for v in values)


def index_arg(index):
    """An index for NumPy: Tensors used as indices become their arrays, lists arrays."""
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index
