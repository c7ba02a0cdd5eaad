"""Shape operations: reshape, permute, expand, concatenate, pad, and the helpers built
from them (flatten, transpose, squeeze, unsqueeze, stack, split).

Reshape, permute and expand return NumPy views (no copy); their backward is the inverse
view or, for expand, a sum over the broadcast dimensions.
"""
import numpy as np

from .arguments import as_tensor, normalize_dim, shape_arg
from .engine import sum_to_shape
from .function import Function

__all__ = [
    "cat", "expand", "flatten", "pad", "permute", "reshape", "split", "squeeze", "stack", "swapaxes",
    "transpose", "unsqueeze",
]


class Reshape(Function):
    shares_storage = True

    def forward(self, x, *, shape):
        return x.reshape(shape)

    def backward(self, grad):
        return grad.reshape(self.input_meta[0][0])

    fast_backward = backward


class Permute(Function):
    shares_storage = True

    def forward(self, x, *, dims):
        if sorted(d % max(x.ndim, 1) for d in dims) != list(range(x.ndim)):
            raise ValueError(f"permute: {dims} is not a permutation of the {x.ndim} dimensions")
        return x.transpose(dims)

    def backward(self, grad):
        return grad.permute(*self._inverse())

    def fast_backward(self, grad):
        return grad.transpose(self._inverse())

    def _inverse(self):
        dims = self.attrs["dims"]
        return tuple(np.argsort([d % len(dims) for d in dims]))


class Expand(Function):
    """A broadcast view to ``shape`` (-1 keeps a dimension); backward sums it back."""

    shares_storage = True

    def forward(self, x, *, shape):
        lead = len(shape) - x.ndim
        if lead < 0:
            raise ValueError(f"expand: cannot expand shape {x.shape} to fewer dimensions {shape}")
        if -1 in shape[:lead]:
            raise ValueError(f"expand: -1 cannot size a new leading dimension in {shape} (shape {x.shape})")
        shape = tuple(x.shape[i - lead] if s == -1 else s for i, s in enumerate(shape))
        return np.broadcast_to(x, shape)

    def backward(self, grad):
        return sum_to_shape(grad, self.input_meta[0][0], self.name)

    fast_backward = backward


class Cat(Function):
    """Concatenate along ``dim``; backward slices the gradient into the pieces."""

    def forward(self, *arrays, dim=0):
        if not arrays:
            raise ValueError("cat: expected a non-empty sequence of tensors")
        axis = normalize_dim(dim, arrays[0].ndim, self.name)
        self.save_for_backward(sizes=[a.shape[axis] for a in arrays])
        return np.concatenate(arrays, axis=axis)

    def backward(self, grad):
        axis = normalize_dim(self.attrs["dim"], grad.ndim, self.name)
        pieces = []
        start = 0
        for size, needed in zip(self.saved.sizes, self.needs_input_grad):
            index = (slice(None),) * axis + (slice(start, start + size),)
            pieces.append(grad[index] if needed else None)
            start += size
        return tuple(pieces)

    fast_backward = backward


class ConstantPad(Function):
    """Pad with a constant; backward crops the gradient back."""

    def forward(self, x, *, widths, value=0.0):
        return np.pad(x, widths, mode="constant", constant_values=value)

    def backward(self, grad):
        shape = self.input_meta[0][0]
        return grad[tuple(slice(before, before + n) for (before, _), n in zip(self.attrs["widths"], shape))]

    fast_backward = backward


def reshape(input, *shape):
    """The same elements in ``shape`` (one -1 is inferred); a view when NumPy can make one."""
    return Reshape.apply(as_tensor(input), shape=shape_arg(shape))


def permute(input, *dims):
    """The dimensions reordered as ``dims`` (a view)."""
    return Permute.apply(as_tensor(input), dims=shape_arg(dims))


def expand(input, *shape):
    """A broadcast view to ``shape`` (-1 keeps a dimension)."""
    return Expand.apply(as_tensor(input), shape=shape_arg(shape))


def flatten(input, start_dim=0, end_dim=-1):
    """Dimensions start_dim to end_dim merged into one."""
    x = as_tensor(input)
    if x.ndim == 0:
        return x.reshape(1)
    start = normalize_dim(start_dim, x.ndim, "flatten")
    end = normalize_dim(end_dim, x.ndim, "flatten")
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    shape = x.shape[:start] + (-1,) + x.shape[end + 1 :]
    if 0 in x.shape[start : end + 1]:
        shape = x.shape[:start] + (int(np.prod(x.shape[start : end + 1])),) + x.shape[end + 1 :]
    return x.reshape(shape)


def transpose(input, dim0=-2, dim1=-1):
    """Dimensions ``dim0`` and ``dim1`` swapped (a view)."""
    x = as_tensor(input)
    if x.ndim < 2 and dim0 in (-2, -1, 0) and dim1 in (-2, -1, 0):
        return x
    dims = list(range(x.ndim))
    a, b = normalize_dim(dim0, x.ndim, "transpose"), normalize_dim(dim1, x.ndim, "transpose")
    dims[a], dims[b] = dims[b], dims[a]
    return x.permute(*dims)


swapaxes = transpose


def squeeze(input, dim=None):
    """Dimensions of size 1 removed (only those of ``dim``, if given)."""
    x = as_tensor(input)
    if dim is None:
        return x.reshape(tuple(s for s in x.shape if s != 1))
    dims = dim if isinstance(dim, tuple) else (dim,)
    dims = {normalize_dim(d, x.ndim, "squeeze") for d in dims}
    return x.reshape(tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1)))


def unsqueeze(input, dim):
    """A dimension of size 1 inserted at ``dim``."""
    x = as_tensor(input)
    dim = normalize_dim(dim, x.ndim + 1, "unsqueeze")
    return x.reshape(x.shape[:dim] + (1,) + x.shape[dim:])


def cat(tensors, dim=0):
    """Concatenate tensors along an existing dimension."""
    return Cat.apply(*tensors, dim=dim)


def stack(tensors, dim=0):
    """Join tensors of equal shape along a new dimension."""
    tensors = list(tensors)
    if not tensors:
        raise ValueError("stack: expected a non-empty sequence of tensors")
    shapes = {tuple(np.shape(t)) for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: every tensor must have the same shape, got {sorted(shapes)}")
    dim = normalize_dim(dim, len(shapes.pop()) + 1, "stack")
    return cat([unsqueeze(t, dim) for t in tensors], dim)


def split(input, split_size_or_sections, dim=0):
    """Split into chunks of ``split_size`` (the last may be smaller) or of the listed sizes."""
    x = as_tensor(input)
    if x.ndim == 0:
        raise ValueError("split: expected a tensor with at least one dimension, got a 0-d tensor")
    dim = normalize_dim(dim, x.ndim, "split")
    length = x.shape[dim]
    if isinstance(split_size_or_sections, int):
        if split_size_or_sections <= 0:
            raise ValueError(f"split: split_size must be positive, got {split_size_or_sections}")
        sizes = [min(split_size_or_sections, length - s) for s in range(0, length, split_size_or_sections)]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != length:
            raise ValueError(f"split: sizes {sizes} do not add up to {length}, the size of dimension {dim}")
    pieces = []
    start = 0
    for size in sizes:
        pieces.append(x[(slice(None),) * dim + (slice(start, start + size),)])
        start += size
    return tuple(pieces)


def pad(input, pad, mode="constant", value=0.0):
    """Pad as ``torch.nn.functional.pad``: ``pad`` is flat, last dimension first,
    ``(left, right, top, bottom, ...)``; modes 'constant', 'reflect', 'replicate', 'circular'."""
    x = as_tensor(input)
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: padding {tuple(pad)} does not fit a tensor of shape {tuple(x.shape)}")
    if any(p < 0 for p in pad):
        raise ValueError(f"pad: negative padding {tuple(pad)} is not supported")
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    if mode == "constant":
        return ConstantPad.apply(x, widths=widths, value=value)
    from .indexing import take

    for axis, (before, after) in enumerate(widths):
        if before or after:
            x = take(x, _pad_indices(x.shape[axis], before, after, mode), axis)
    return x


def _pad_indices(n, before, after, mode):
    """Which input position each padded position copies, for index-based padding modes."""
    positions = np.arange(-before, n + after)
    if mode == "replicate":
        return np.clip(positions, 0, n - 1)
    if mode == "circular":
        if before > n or after > n:
            raise ValueError(f"pad: circular padding ({before}, {after}) is larger than the size {n}")
        return positions % n
    if mode == "reflect":
        if before >= n or after >= n:
            raise ValueError(
                f"pad: reflect padding ({before}, {after}) must be smaller than the size {n} it pads"
            )
        period = 2 * (n - 1) if n > 1 else 1
        folded = np.abs(positions) % period
        return np.where(folded < n, folded, period - folded)
    raise ValueError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}")
