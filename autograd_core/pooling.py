"""Pooling, as PyTorch's ``max_pool1d/2d``, ``avg_pool1d/2d`` and ``adaptive_avg_pool2d``.

Max pooling keeps the largest value of each window. The forward pass walks the kernel
offsets (4 steps for a 2x2 window), each step one vectorised comparison of a strided view
(``windows.windows``) against the best so far, remembering which offset won. The backward
pass routes each gradient to that arg-max only, with one indexed assignment (the windows
do not overlap) or one ``bincount`` (they do).

Average pooling sums each window the same way and divides by the window's size; its
backward spreads each gradient evenly over the window (``windows.add_windows``), which is
average pooling's adjoint - and the adjoint of that is average pooling again, so second
derivatives come for free.
"""
import math

import numpy as np

from .function import Function
from .shape import pad as pad_tensor
from .arguments import as_tensor, as_tuple
from .tensor import Tensor
from .windows import add_windows, check_input, filled, interior, output_size, pad, sum_windows, windows
from .errors import names_errors

__all__ = ["adaptive_avg_pool2d", "avg_pool1d", "avg_pool2d", "max_pool1d", "max_pool2d"]


def _geometry(spatial, kernel, stride, padding, dilation, ceil_mode):
    """Output size, and the padding (before, after) per dimension - after includes the
    overhang of ceil_mode's last window."""
    out = tuple(
        output_size(n, k, s, (p, p), d, ceil_mode) for n, k, s, p, d in zip(spatial, kernel, stride, padding, dilation)
    )
    pads = tuple(
        (p, max(p, (o - 1) * s + d * (k - 1) + 1 - n - p))
        for n, k, s, p, d, o in zip(spatial, kernel, stride, padding, dilation, out)
    )
    return out, pads


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _max_and_winner(x, kernel_size, stride, padding, dilation, ceil_mode, keep_winner):
    """Window maxima of ``x`` (padded with -inf), and, if asked, the number of the winning
    kernel offset per window; on ties the first offset wins, as in PyTorch."""
    out, pads = _geometry(x.shape[2:], kernel_size, stride, padding, dilation, ceil_mode)
    view = windows(pad(x, pads, _lowest(x.dtype)), kernel_size, stride, dilation, out)
    offsets = list(np.ndindex(*kernel_size))
    best = view[(slice(None), slice(None)) + offsets[0]].copy()
    winner = np.zeros(best.shape, dtype=np.min_scalar_type(len(offsets))) if keep_winner else None
    change = np.empty_like(winner) if keep_winner else None
    for number, offset in enumerate(offsets[1:], 1):
        candidate = view[(slice(None), slice(None)) + offset]
        if keep_winner:
            # winner += (number - winner) * (candidate > best), without branches: a
            # masked assignment is several times slower on random masks.
            np.subtract(number, winner, out=change, casting="unsafe")
            change *= (candidate > best).view(np.uint8).astype(change.dtype, copy=False)
            winner += change
        np.maximum(best, candidate, out=best)
    return best, winner


def _argmax_index(winner, kernel_size, stride, dilation, padded):
    """For each window, the position of its arg-max in the flattened padded input plane."""
    pitch = [int(np.prod(padded[axis + 1 :])) for axis in range(len(padded))]
    offset_position = np.array(
        [sum(k * d * p for k, d, p in zip(offset, dilation, pitch)) for offset in np.ndindex(*kernel_size)], dtype=np.intp
    )
    nd = len(padded)
    start = 0
    for axis in range(nd):
        steps = np.arange(winner.shape[2 + axis]) * (stride[axis] * pitch[axis])
        start = start + steps.reshape((-1,) + (1,) * (nd - 1 - axis))
    return offset_position[winner] + start


def _padded_plane(spatial, pads):
    return tuple(n + before + after for n, (before, after) in zip(spatial, pads))


def _argmax_positions(winner, input_shape, kernel_size, stride, padding, dilation, ceil_mode):
    """For each window, its arg-max's position in the flattened padded input plane, and
    the padding ((before, after) per dimension) of that plane."""
    _, pads = _geometry(input_shape[2:], kernel_size, stride, padding, dilation, ceil_mode)
    padded = _padded_plane(input_shape[2:], pads)
    return _argmax_index(winner, kernel_size, stride, dilation, padded), pads


def _flat_positions(index, input_shape, pads):
    """``index`` (positions in each padded plane) as positions in the whole padded input."""
    padded = input_shape[:2] + _padded_plane(input_shape[2:], pads)
    planes, plane_size = math.prod(padded[:2]), math.prod(padded[2:])
    return (index.reshape(planes, -1) + np.arange(0, planes * plane_size, plane_size)[:, None]).ravel()


def _scatter(grad, flat, input_shape, pads, disjoint):
    """dL/dout added onto the arg-max positions ``flat`` of a zero padded input, cropped."""
    padded = input_shape[:2] + _padded_plane(input_shape[2:], pads)
    size = math.prod(padded)
    if disjoint:
        out = np.zeros(size, dtype=grad.dtype)
        out[flat] = grad.ravel()
    else:
        out = np.bincount(flat, weights=grad.ravel(), minlength=size).astype(grad.dtype)
    return out.reshape(padded)[interior(input_shape[2:], pads)]


class MaxPool(Function):
    """out[n, c, p] = max over the window at p; dL/dx routes to the arg-max only."""

    def forward(self, x, *, kernel_size, stride, padding, dilation, ceil_mode, return_indices=False):
        # The arg-max is only needed for a backward pass or the indices: else skipped.
        hyper = dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation, ceil_mode=ceil_mode)
        best, winner = _max_and_winner(x, keep_winner=self.recording or return_indices, **hyper)
        self.save_for_backward(winner=winner)
        if not return_indices:
            return best
        index, pads = _argmax_positions(winner, x.shape, **hyper)
        index = np.unravel_index(index, _padded_plane(x.shape[2:], pads))
        # An arg-max lands in the padding only if a whole window is -inf; keep it inside.
        coordinates = [np.clip(i - p, 0, n - 1) for i, p, n in zip(index, padding, x.shape[2:])]
        return best, np.ravel_multi_index(coordinates, x.shape[2:]).astype(np.int64)

    def _routing(self):
        a = {name: value for name, value in self.attrs.items() if name != "return_indices"}
        input_shape = self.input_meta[0][0]
        index, pads = _argmax_positions(self.saved.winner, input_shape, **a)
        disjoint = all(s >= d * (k - 1) + 1 for k, s, d in zip(a["kernel_size"], a["stride"], a["dilation"]))
        return index, input_shape, pads, disjoint

    def backward(self, grad):
        index, input_shape, pads, disjoint = self._routing()
        return MaxPoolGrad.apply(grad, index=index, input_shape=input_shape, padding=pads, disjoint=disjoint)

    def fast_backward(self, grad):
        index, input_shape, pads, disjoint = self._routing()
        return _scatter(grad, _flat_positions(index, input_shape, pads), input_shape, pads, disjoint)


class MaxPoolGrad(Function):
    """Scatter dL/dout to the arg-max positions ``index`` (in each padded input plane):
    max pooling's backward. Linear in ``grad``; its own backward gathers from the same
    positions."""

    def forward(self, grad, *, index, input_shape, padding, disjoint):
        flat = _flat_positions(index, input_shape, padding)
        self.save_for_backward(flat=flat)
        return _scatter(grad, flat, input_shape, padding, disjoint)

    def backward(self, grad_input):
        widths = [w for before, after in reversed(self.attrs["padding"]) for w in (before, after)]
        padded = pad_tensor(grad_input, widths) if any(widths) else grad_input
        return padded.reshape(-1)[self.saved.flat].reshape(self.input_meta[0][0])


def _divisor(spatial, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, dtype):
    """What each window's sum is divided by: ``divisor_override``, or the number of input
    elements the window covers (plus the zero padding it covers, if count_include_pad);
    ceil_mode's overhang never counts."""
    if divisor_override:
        return divisor_override
    ones = (1,) * len(spatial)
    out, pads = _geometry(spatial, kernel_size, stride, padding, ones, ceil_mode)
    counted = padding if count_include_pad else (0,) * len(spatial)
    mask = np.ones((1, 1) + tuple(n + 2 * c for n, c in zip(spatial, counted)), dtype=dtype)
    mask = pad(mask, tuple((before - c, after - c) for (before, after), c in zip(pads, counted)))
    return sum_windows(mask, kernel_size, stride, ones, out)


def _avg_pool_grad(grad, input_shape, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    """dL/dout spread evenly over each window, on arrays: average pooling's adjoint."""
    spatial, nd = input_shape[2:], len(kernel_size)
    ones = (1,) * nd
    out, pads = _geometry(spatial, kernel_size, stride, padding, ones, ceil_mode)
    share = grad / _divisor(spatial, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, grad.dtype)
    pieces = np.broadcast_to(share.reshape(share.shape[:2] + ones + out), share.shape[:2] + tuple(kernel_size) + out)
    target = filled(input_shape[:2] + _padded_plane(spatial, pads), share.dtype)
    add_windows(target, pieces, stride, ones)
    return target[interior(spatial, pads)]


class AvgPool(Function):
    """out[n, c, p] = sum over the window at p / divisor."""

    def forward(self, x, *, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
        ones = (1,) * len(kernel_size)
        out, pads = _geometry(x.shape[2:], kernel_size, stride, padding, ones, ceil_mode)
        total = sum_windows(pad(x, pads), kernel_size, stride, ones, out)
        divisor = _divisor(x.shape[2:], kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, x.dtype)
        return np.divide(total, divisor, out=total, casting="unsafe")

    def backward(self, grad):
        return AvgPoolGrad.apply(grad, input_shape=self.input_meta[0][0], **self.attrs)

    def fast_backward(self, grad):
        return _avg_pool_grad(grad, self.input_meta[0][0], **self.attrs)


class AvgPoolGrad(Function):
    """Spread dL/dout evenly over each window: average pooling's backward (its adjoint).
    Linear; its own backward is average pooling."""

    def forward(self, grad, *, input_shape, **hyper):
        return _avg_pool_grad(grad, input_shape, **hyper)

    def backward(self, grad_input):
        attrs = {name: value for name, value in self.attrs.items() if name != "input_shape"}
        return AvgPool.apply(grad_input, **attrs)


def _pool_arguments(op, nd, x, kernel_size, stride, padding, dilation):
    """Check the input and normalise the window arguments to tuples of ``nd`` ints."""
    x = as_tensor(x)
    check_input(op, x, nd)
    kernel_size = as_tuple(kernel_size, nd, op, "kernel_size")
    stride = kernel_size if stride is None or stride == () or stride == [] else as_tuple(stride, nd, op, "stride")
    padding = as_tuple(padding, nd, op, "padding")
    dilation = as_tuple(dilation, nd, op, "dilation")
    if min(kernel_size + stride + dilation) < 1 or min(padding) < 0:
        raise ValueError(
            f"{op}: kernel_size {kernel_size}, stride {stride} and dilation {dilation} must be positive "
            f"and padding {padding} non-negative"
        )
    for k, p, d in zip(kernel_size, padding, dilation):
        if 2 * p > d * (k - 1) + 1:
            raise ValueError(f"{op}: padding {padding} should be at most half of the kernel size {kernel_size}")
    return x, kernel_size, stride, padding, dilation


def _check_output(op, x, out):
    if min(out) < 1:
        raise ValueError(f"{op}: input of shape {tuple(x.shape)} is too small: the output size would be {out}")


def _batched(x, nd, run):
    """Run ``run`` on a batched input; an unbatched (C, *spatial) one gets a batch of 1."""
    if x.ndim == nd + 2:
        return run(x)
    return run(x.unsqueeze(0)).squeeze(0)


def _max_pool(op, nd, x, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    x, kernel_size, stride, padding, dilation = _pool_arguments(op, nd, x, kernel_size, stride, padding, dilation)
    hyper = dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation, ceil_mode=bool(ceil_mode))
    out, _ = _geometry(x.shape[-nd:], kernel_size, stride, padding, dilation, ceil_mode)
    _check_output(op, x, out)
    if not return_indices:
        return _batched(x, nd, lambda batch: MaxPool.apply(batch, **hyper))
    batched = x.ndim == nd + 2
    values, indices = MaxPool.apply(x if batched else x.unsqueeze(0), return_indices=True, **hyper)
    return (values, indices) if batched else (values.squeeze(0), indices.squeeze(0))


@names_errors
def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The largest value of each window of ``input`` (N, C, L) or (C, L), as
    ``torch.nn.functional.max_pool1d``. ``stride`` defaults to ``kernel_size``; padding is
    -inf and at most half the kernel. Output length floor((L + 2P - dilation (k - 1) - 1) / S) + 1
    (rounded up with ``ceil_mode``). The gradient goes to each window's arg-max only."""
    return _max_pool("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@names_errors
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The largest value of each window of ``input`` (N, C, H, W) or (C, H, W), as
    ``torch.nn.functional.max_pool2d``. Output size per dimension
    floor((W - F + 2P) / S) + 1 (dilation as in conv2d; rounded up with ``ceil_mode``).
    With ``return_indices`` also returns, per output, the arg-max's index in its flattened
    input plane. The gradient goes to each window's arg-max only."""
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def _avg_pool(op, nd, x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override):
    x, kernel_size, stride, padding, _ = _pool_arguments(op, nd, x, kernel_size, stride, padding, 1)
    if divisor_override is not None and (not isinstance(divisor_override, (int, np.integer)) or divisor_override < 1):
        raise ValueError(f"{op}: divisor_override must be a positive int, got {divisor_override!r}")
    out, _ = _geometry(x.shape[-nd:], kernel_size, stride, padding, (1,) * nd, ceil_mode)
    _check_output(op, x, out)
    hyper = dict(
        kernel_size=kernel_size,
        stride=stride,
        padding=padding,
        ceil_mode=bool(ceil_mode),
        count_include_pad=bool(count_include_pad),
        divisor_override=divisor_override,
    )
    return _batched(x, nd, lambda batch: AvgPool.apply(batch, **hyper))


@names_errors
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """The mean of each window of ``input`` (N, C, L) or (C, L), as
    ``torch.nn.functional.avg_pool1d``; zero padding counts in the mean when
    ``count_include_pad``. The gradient is spread evenly over each window."""
    return _avg_pool("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)


@names_errors
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """The mean of each window of ``input`` (N, C, H, W) or (C, H, W), as
    ``torch.nn.functional.avg_pool2d``; zero padding counts in the mean when
    ``count_include_pad``, and ``divisor_override`` replaces the window size. The gradient
    is spread evenly over each window."""
    return _avg_pool("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


def _averaging_matrix(size, out, dtype):
    """(size, out) matrix whose column i averages input positions
    floor(i * size / out) to ceil((i + 1) * size / out) - 1: the adaptive pooling windows."""
    matrix = np.zeros((size, out), dtype=dtype)
    for i in range(out):
        start, stop = (i * size) // out, -(-(i + 1) * size // out)
        matrix[start:stop, i] = 1.0 / (stop - start)
    return matrix


@names_errors
def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed output size (oh, ow) whatever the input size, as
    ``torch.nn.functional.adaptive_avg_pool2d``; ``None`` in ``output_size`` keeps that
    dimension. Window i along a dimension of size n covers floor(i n / o) to
    ceil((i + 1) n / o) - 1; the windows are separable, so this is A_h^T @ x @ A_w with
    two constant averaging matrices (and its gradient comes from matmul's)."""
    x = as_tensor(input)
    check_input("adaptive_avg_pool2d", x, 2)
    sizes = (output_size, output_size) if output_size is None or isinstance(output_size, (int, np.integer)) else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError(f"adaptive_avg_pool2d: output_size must be an int or a pair, got {output_size!r}")
    height, width = x.shape[-2:]
    out_h = height if sizes[0] is None else int(sizes[0])
    out_w = width if sizes[1] is None else int(sizes[1])
    if min(out_h, out_w, height, width) < 1:
        raise ValueError(f"adaptive_avg_pool2d: cannot pool an input of shape {tuple(x.shape)} to {(out_h, out_w)}")
    dtype = x.dtype if x.dtype.kind == "f" else np.float32
    rows = Tensor(_averaging_matrix(height, out_h, dtype).T)
    columns = Tensor(_averaging_matrix(width, out_w, dtype))
    return rows @ (x @ columns)
