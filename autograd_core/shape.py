"""Shape operations: reshape, permute, expand, concatenate, pad, and the helpers built
from them (flatten, transpose, squeeze, unsqueeze, stack, split).

Reshape, permute and expand return NumPy views (no copy); their backward is the inverse
view or, for expand, a sum over the broadcast dimensions.
"""
import numpy as np

from .arguments import as_array, as_tensor, normalize_dim, shape_arg
from .engine import sum_to_shape
from .function import Function
from .tensor import Tensor
from .errors import names_errors

__all__ = [
    "cat", "expand", "flatten", "pad", "permute", "reshape", "split", "squeeze", "stack", "swapaxes",
    "transpose", "unsqueeze",
    "broadcast_tensors", "broadcast_to", "chunk", "flip", "fliplr", "flipud", "movedim", "moveaxis", "narrow",
    "repeat_interleave", "roll", "select", "swapdims", "t", "tile", "unbind",
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


@names_errors
def reshape(input, *shape):
    """The same elements in ``shape`` (one -1 is inferred); a view when NumPy can make one."""
    return Reshape.apply(as_tensor(input), shape=shape_arg(shape))


@names_errors
def permute(input, *dims):
    """The dimensions reordered as ``dims`` (a view)."""
    return Permute.apply(as_tensor(input), dims=shape_arg(dims))


@names_errors
def expand(input, *shape):
    """A broadcast view to ``shape`` (-1 keeps a dimension)."""
    return Expand.apply(as_tensor(input), shape=shape_arg(shape))


@names_errors
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


@names_errors
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


@names_errors
def squeeze(input, dim=None):
    """Dimensions of size 1 removed (only those of ``dim``, if given)."""
    x = as_tensor(input)
    if dim is None:
        return x.reshape(tuple(s for s in x.shape if s != 1))
    dims = dim if isinstance(dim, tuple) else (dim,)
    dims = {normalize_dim(d, x.ndim, "squeeze") for d in dims}
    return x.reshape(tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1)))


@names_errors
def unsqueeze(input, dim):
    """A dimension of size 1 inserted at ``dim``."""
    x = as_tensor(input)
    dim = normalize_dim(dim, x.ndim + 1, "unsqueeze")
    return x.reshape(x.shape[:dim] + (1,) + x.shape[dim:])


def _tensor_sequence(tensors, op):
    """``tensors`` as a list, after checking it is a sequence of tensors or arrays."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}: expected a list or tuple of tensors, got {type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, (Tensor, np.ndarray)):
            raise TypeError(f"{op}: element {i} is a {type(t).__name__}, not a Tensor")
    return list(tensors)


@names_errors
def cat(tensors, dim=0):
    """Concatenate tensors along an existing dimension."""
    return Cat.apply(*_tensor_sequence(tensors, "cat"), dim=dim)


@names_errors
def stack(tensors, dim=0):
    """Join tensors of equal shape along a new dimension."""
    tensors = _tensor_sequence(tensors, "stack")
    if not tensors:
        raise ValueError("stack: expected a non-empty sequence of tensors")
    shapes = {tuple(np.shape(t)) for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: every tensor must have the same shape, got {sorted(shapes)}")
    dim = normalize_dim(dim, len(shapes.pop()) + 1, "stack")
    return cat([unsqueeze(t, dim) for t in tensors], dim)


@names_errors
def split(input, split_size_or_sections, dim=0):
    """Split into chunks of ``split_size`` (the last may be smaller) or of the listed sizes."""
    x = as_tensor(input)
    if x.ndim == 0:
        raise ValueError("split: expected a tensor with at least one dimension, got a 0-d tensor")
    dim = normalize_dim(dim, x.ndim, "split")
    length = x.shape[dim]
    if isinstance(split_size_or_sections, bool) or not isinstance(split_size_or_sections, (int, list, tuple)) or (
        not isinstance(split_size_or_sections, int)
        and not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in split_size_or_sections)
    ):
        raise TypeError(f"split: expected a chunk size or a list of sizes >= 0, got {split_size_or_sections!r}")
    if isinstance(split_size_or_sections, int):
        if split_size_or_sections <= 0:
            raise ValueError(f"split: split_size must be positive, got {split_size_or_sections}")
        # A size-0 dimension still splits into one (empty) chunk, as in PyTorch.
        sizes = [min(split_size_or_sections, length - s) for s in range(0, length, split_size_or_sections)] or [0]
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


@names_errors
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


# -- rearranging: flip, roll, repeat, tile, chunk, narrow, unbind, movedim -----------------
def _dims(dims, ndim, op):
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    return tuple(normalize_dim(d, max(ndim, 1), op) for d in dims)


@names_errors
def flip(input, dims):
    """The order of elements reversed along ``dims``."""
    dims = _dims(dims, input.ndim, "flip")
    if input.ndim == 0:
        return input[()]
    return input[tuple(slice(None, None, -1) if i in dims else slice(None) for i in range(input.ndim))]


@names_errors
def fliplr(input):
    return flip(input, 1)


@names_errors
def flipud(input):
    return flip(input, 0)


@names_errors
def roll(input, shifts, dims=None):
    """Elements shifted by ``shifts`` along ``dims``, wrapping around; without ``dims``
    the flattened tensor is rolled and reshaped back."""
    from .indexing import take

    if dims is None:
        return roll(input.flatten(), shifts, 0).reshape(input.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = _dims(dims, input.ndim, "roll")
    if len(shifts) != len(dims):
        raise ValueError(f"roll: {len(shifts)} shifts for {len(dims)} dims")
    for shift, dim in zip(shifts, dims):
        n = input.shape[dim]
        if n:
            input = take(input, (np.arange(n) - shift) % n, dim)
    return input


def repeat(input, *sizes):
    """The tensor repeated ``sizes[i]`` times along dimension i (``Tensor.repeat``); extra
    leading sizes add dimensions."""
    sizes = _shape_sizes(sizes)
    if len(sizes) < input.ndim:
        raise ValueError(
            f"repeat: {len(sizes)} repeat counts for a tensor of {input.ndim} dimensions (need at least {input.ndim})"
        )
    if any(s < 0 for s in sizes):
        raise ValueError(f"repeat: negative repeat count in {sizes}")
    shape = (1,) * (len(sizes) - input.ndim) + tuple(input.shape)
    # Each dimension n becomes (r, n) broadcast, then the pair is merged into r * n.
    interleaved = input.reshape(tuple(x for n in shape for x in (1, n)))
    expanded = interleaved.expand(tuple(x for r, n in zip(sizes, shape) for x in (r, n)))
    return expanded.reshape(tuple(r * n for r, n in zip(sizes, shape)))


@names_errors
def tile(input, *dims):
    """As ``repeat``, with missing leading counts taken as 1."""
    dims = _shape_sizes(dims)
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)


def _shape_sizes(sizes):
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        return tuple(sizes[0])
    return tuple(sizes)


@names_errors
def repeat_interleave(input, repeats, dim=None, *, output_size=None):
    """Each element repeated ``repeats`` times (an int or one count per element) along
    ``dim``, or over the flattened tensor without ``dim``."""
    from .indexing import take

    if dim is None:
        input, dim = input.flatten(), 0
    dim = normalize_dim(dim, input.ndim, "repeat_interleave")
    counts = as_array(repeats)
    n = input.shape[dim]
    if counts.ndim and counts.shape != (n,) and counts.size != 1:
        raise ValueError(f"repeat_interleave: {counts.size} repeat counts for a dimension of size {n}")
    if np.any(counts < 0):
        raise ValueError("repeat_interleave: repeat counts must be non-negative")
    return take(input, np.repeat(np.arange(n), counts.reshape(-1) if counts.ndim else counts), dim)


@names_errors
def chunk(input, chunks, dim=0):
    """Split into at most ``chunks`` pieces of equal size ceil(n / chunks) (the last may be
    smaller, and there may be fewer pieces, as in PyTorch)."""
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    n = input.shape[normalize_dim(dim, input.ndim, "chunk")]
    return split(input, max(-(-n // chunks), 1), dim)


@names_errors
def narrow(input, dim, start, length):
    """The slice ``start : start + length`` of dimension ``dim`` (a view)."""
    dim = normalize_dim(dim, input.ndim, "narrow")
    n = input.shape[dim]
    if start < 0:
        start += n
    if not 0 <= start <= n or length < 0 or start + length > n:
        raise IndexError(f"narrow: start {start} and length {length} do not fit dimension {dim} of size {n}")
    return input[(slice(None),) * dim + (slice(start, start + length),)]


@names_errors
def select(input, dim, index):
    """The slice at ``index`` of dimension ``dim``, which is removed (a view)."""
    dim = normalize_dim(dim, input.ndim, "select")
    n = input.shape[dim]
    if not -n <= index < n:
        raise IndexError(f"select: index {index} is out of range for dimension {dim} of size {n}")
    return input[(slice(None),) * dim + (index,)]


@names_errors
def unbind(input, dim=0):
    """The slices along ``dim``, as a tuple."""
    dim = normalize_dim(dim, input.ndim, "unbind")
    return tuple(select(input, dim, i) for i in range(input.shape[dim]))


@names_errors
def movedim(input, source, destination):
    """Dimensions ``source`` moved to positions ``destination``; the others keep their order."""
    source = _dims(source, input.ndim, "movedim")
    destination = _dims(destination, input.ndim, "movedim")
    if len(source) != len(destination) or len(set(source)) != len(source) or len(set(destination)) != len(destination):
        raise ValueError(f"movedim: source {source} and destination {destination} must be distinct and of equal length")
    order = [d for d in range(input.ndim) if d not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return input.permute(*order)


moveaxis = movedim
swapdims = transpose


@names_errors
def t(input):
    """The transpose of a matrix (0-D and 1-D tensors come back as they are)."""
    if input.ndim > 2:
        raise ValueError(f"t: expects a tensor of at most 2 dimensions, got shape {tuple(input.shape)}")
    return transpose(input, 0, -1) if input.ndim == 2 else input


@names_errors
def broadcast_tensors(*tensors):
    """The tensors expanded to their common broadcast shape (views)."""
    tensors = [as_tensor(t) for t in tensors]
    shape = np.broadcast_shapes(*(t.shape for t in tensors))
    return tuple(t if t.shape == shape else t.expand(shape) for t in tensors)


@names_errors
def broadcast_to(input, size):
    return input.expand(size)
