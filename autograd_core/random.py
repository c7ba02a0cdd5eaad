"""Random numbers: ``Generator`` and the sampling functions, as ``torch``'s.

Every sampling function takes ``generator=``; without one it draws from the global
generator that ``manual_seed`` reseeds. A ``Generator`` wraps a NumPy ``Generator``
(PCG64); reseeding changes its state in place, so a reference kept to either object
stays live. Samples are not differentiable: results never require grad unless asked.
"""
import secrets

import numpy as np

from .arguments import DEFAULT_FLOAT, as_array
from .tensor import Tensor
from .errors import names_errors

__all__ = [
    "Generator",
    "bernoulli",
    "default_generator",
    "get_rng_state",
    "initial_seed",
    "manual_seed",
    "multinomial",
    "normal",
    "numpy_generator",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "seed",
    "set_rng_state",
]

# A PCG64 state: 128-bit state and increment, and the cached 32-bit half-draw.
_STATE_BYTES = 16 + 16 + 1 + 4


class Generator:
    """A source of random numbers with its own state, as ``torch.Generator``.

    >>> g = Generator().manual_seed(2147483647)
    >>> randint(0, 10, (3,), generator=g)  # the same three numbers on every run
    """

    @names_errors
    def __init__(self, device="cpu"):
        if device != "cpu":
            raise ValueError(f"Generator: only the 'cpu' device exists, got {device!r}")
        self.device = device
        self._initial_seed = secrets.randbits(63)
        self._rng = np.random.Generator(np.random.PCG64(self._initial_seed))

    def manual_seed(self, seed):
        """Reseed in place and return the generator (so ``Generator().manual_seed(s)`` works)."""
        seed = _seed_value(seed)
        self._rng.bit_generator.state = np.random.PCG64(seed).state
        self._initial_seed = seed
        return self

    def seed(self):
        """Reseed from the operating system's entropy; returns the new seed."""
        seed = secrets.randbits(63)
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        """The seed given to the last ``manual_seed`` (or ``seed``)."""
        return self._initial_seed

    def get_state(self):
        """The state as a uint8 tensor, to give back to ``set_state`` (it fits a ``.npz``)."""
        state = self._rng.bit_generator.state
        words = [state["state"]["state"], state["state"]["inc"]]
        raw = b"".join(w.to_bytes(16, "little") for w in words)
        raw += bytes([state["has_uint32"]]) + int(state["uinteger"]).to_bytes(4, "little")
        return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state from ``get_state``; returns the generator."""
        raw = as_array(new_state)
        if raw.dtype != np.uint8 or raw.shape != (_STATE_BYTES,):
            raise ValueError(
                f"Generator.set_state: expected a uint8 tensor of shape ({_STATE_BYTES},) from get_state, "
                f"got {raw.dtype} of shape {raw.shape}"
            )
        raw = raw.tobytes()
        self._rng.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": int.from_bytes(raw[:16], "little"), "inc": int.from_bytes(raw[16:32], "little")},
            "has_uint32": raw[32],
            "uinteger": int.from_bytes(raw[33:], "little"),
        }
        return self

    def __repr__(self):
        return f"<Generator initial_seed={self._initial_seed}>"


def _seed_value(seed):
    if isinstance(seed, Tensor):
        seed = seed.item()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed: the seed must be an integer, got {type(seed).__name__}")
    # PyTorch accepts any 64-bit value, negative ones as their two's complement.
    return int(seed) % 2**64


_default = Generator()


@names_errors
def numpy_generator(generator=None):
    """The NumPy generator behind ``generator`` (a ``Generator``, a NumPy ``Generator``,
    or None for the global one), for code that samples with NumPy directly."""
    if generator is None:
        return _default._rng
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"generator must be an autograd_core.Generator, got {type(generator).__name__}")


@names_errors
def default_generator():
    """The NumPy generator behind the global ``Generator`` (reseeded in place by ``manual_seed``)."""
    return _default._rng


@names_errors
def manual_seed(seed):
    """Reseed the global generator in place; returns it."""
    return _default.manual_seed(seed)


@names_errors
def seed():
    """Reseed the global generator nondeterministically; returns the seed."""
    return _default.seed()


@names_errors
def initial_seed():
    return _default.initial_seed()


@names_errors
def get_rng_state():
    """The global generator's state (a uint8 tensor)."""
    return _default.get_state()


@names_errors
def set_rng_state(new_state):
    _default.set_state(new_state)


def _size(size, op):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    if not all(isinstance(s, (int, np.integer)) and s >= 0 for s in size):
        raise ValueError(f"{op}: size must be non-negative integers, got {size}")
    return tuple(int(s) for s in size)


def _result(array, dtype, requires_grad):
    return Tensor(array.astype(dtype, copy=False), requires_grad=requires_grad)


@names_errors
def rand(*size, generator=None, dtype=None, requires_grad=False):
    """Samples of the uniform distribution on [0, 1)."""
    array = numpy_generator(generator).random(_size(size, "rand"))
    return _result(array, dtype or DEFAULT_FLOAT, requires_grad)


@names_errors
def randn(*size, generator=None, dtype=None, requires_grad=False):
    """Samples of the standard normal distribution."""
    array = numpy_generator(generator).standard_normal(_size(size, "randn"))
    return _result(array, dtype or DEFAULT_FLOAT, requires_grad)


@names_errors
def randint(*args, size=None, generator=None, dtype=None, requires_grad=False):
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise."""
    if size is not None:
        args = args + (size,)
    if len(args) == 2:
        args = (0,) + args
    if len(args) != 3:
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size)")
    low, high, size = args
    size = _size((size,), "randint")
    if high <= low:
        raise ValueError(f"randint: low ({low}) must be smaller than high ({high})")
    array = numpy_generator(generator).integers(low, high, size, dtype=np.int64)
    return _result(array, dtype or np.int64, requires_grad)


@names_errors
def randperm(n, *, generator=None, dtype=np.int64, requires_grad=False):
    """A random permutation of 0, ..., n - 1."""
    if n < 0:
        raise ValueError(f"randperm: n must be non-negative, got {n}")
    return _result(numpy_generator(generator).permutation(n), dtype, requires_grad)


def _like(input, dtype):
    return input.shape, (dtype or as_array(input).dtype)


@names_errors
def rand_like(input, *, dtype=None, requires_grad=False, generator=None):
    shape, dtype = _like(input, dtype)
    return _result(numpy_generator(generator).random(shape), dtype, requires_grad)


@names_errors
def randn_like(input, *, dtype=None, requires_grad=False, generator=None):
    shape, dtype = _like(input, dtype)
    return _result(numpy_generator(generator).standard_normal(shape), dtype, requires_grad)


@names_errors
def randint_like(input, low=0, high=None, *, dtype=None, requires_grad=False, generator=None):
    """Integers in [low, high) of ``input``'s shape and dtype (``randint_like(x, high)`` also works)."""
    if high is None:
        low, high = 0, low
    shape, dtype = _like(input, dtype)
    array = numpy_generator(generator).integers(low, high, shape, dtype=np.int64)
    return _result(array, dtype, requires_grad)


@names_errors
def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, requires_grad=False):
    """Samples of N(mean, std^2): ``mean`` and ``std`` may be tensors (broadcast together),
    or numbers with a ``size``. Not differentiable with respect to mean and std."""
    mean_array, std_array = as_array(mean), as_array(std)
    if np.any(std_array < 0):
        raise ValueError("normal: std must be non-negative")
    if size is not None:
        shape = _size((size,), "normal")
    else:
        shape = np.broadcast_shapes(mean_array.shape, std_array.shape)
    floating = [a.dtype for a in (mean_array, std_array) if a.dtype.kind == "f" and a.ndim]
    dtype = dtype or (floating[0] if floating else DEFAULT_FLOAT)
    array = numpy_generator(generator).normal(mean_array, std_array, shape)
    return _result(array, dtype, requires_grad)


@names_errors
def bernoulli(input, p=None, *, generator=None):
    """1 with probability ``input`` (or ``p``), else 0, in ``input``'s dtype."""
    probs = as_array(input) if p is None else np.broadcast_to(as_array(p), np.shape(input))
    if probs.size and (probs.min() < 0 or probs.max() > 1):
        raise ValueError("bernoulli: probabilities must lie in [0, 1]")
    draws = numpy_generator(generator).random(probs.shape) < probs
    return Tensor._make(draws.astype(as_array(input).dtype))


@names_errors
def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Indices (int64) drawn from each row of non-negative weights ``input`` (1-D or 2-D,
    not necessarily normalised): ``num_samples`` per row, with or without replacement."""
    weights = as_array(input).astype(np.float64)
    if weights.ndim not in (1, 2):
        raise ValueError(f"multinomial: input must be 1-D or 2-D, got shape {weights.shape}")
    rows = np.atleast_2d(weights)
    if rows.size and (not np.isfinite(rows).all() or rows.min() < 0):
        raise ValueError("multinomial: weights must be finite and non-negative")
    totals = rows.sum(axis=1)
    if np.any(totals <= 0):
        raise ValueError("multinomial: every row of weights must have a positive sum")
    if not replacement and num_samples > np.count_nonzero(rows, axis=1).min():
        raise ValueError(
            f"multinomial: cannot draw {num_samples} samples without replacement from a row "
            f"with {np.count_nonzero(rows, axis=1).min()} non-zero weights"
        )
    rng = numpy_generator(generator)
    probs = rows / totals[:, None]
    if replacement:
        # Inverse-CDF sampling of all rows at once.
        cdf = np.cumsum(probs, axis=1)
        cdf[:, -1] = 1.0
        u = rng.random((len(rows), num_samples))
        out = np.stack([np.searchsorted(c, r, side="right") for c, r in zip(cdf, u)])
    else:
        out = np.stack([rng.choice(len(p), num_samples, replace=False, p=p) for p in probs])
    out = out.astype(np.int64).reshape(len(rows), num_samples)
    return Tensor._make(out if weights.ndim == 2 else out[0])


# -- in-place sampling (Tensor methods) ------------------------------------------------
def _fill(tensor, op, values):
    return tensor._inplace(op, lambda data, values: np.copyto(data, values, casting="unsafe"), values)


def uniform_(tensor, from_=0.0, to=1.0, *, generator=None):
    """Fill with samples of U(from, to)."""
    return _fill(tensor, "uniform_", numpy_generator(generator).uniform(from_, to, tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, *, generator=None):
    """Fill with samples of N(mean, std^2)."""
    return _fill(tensor, "normal_", numpy_generator(generator).normal(mean, std, tensor.shape))


def random_(tensor, from_=0, to=None, *, generator=None):
    """Fill with integers drawn uniformly from [from, to): ``random_(to)`` means [0, to);
    without bounds, [0, 2^mantissa] for floating-point tensors, as PyTorch."""
    if to is None:
        if from_ != 0:
            from_, to = 0, from_
        elif tensor.dtype.kind == "f":
            to = 2 ** (np.finfo(tensor.dtype).nmant + 1) + 1
        elif tensor.dtype == np.bool_:
            to = 2
        else:
            to = int(np.iinfo(tensor.dtype).max)
    values = numpy_generator(generator).integers(from_, to, tensor.shape, dtype=np.int64)
    return _fill(tensor, "random_", values)


def bernoulli_(tensor, p=0.5, *, generator=None):
    """Fill with 1 with probability ``p``, else 0."""
    draws = numpy_generator(generator).random(tensor.shape) < as_array(p)
    return _fill(tensor, "bernoulli_", draws)
