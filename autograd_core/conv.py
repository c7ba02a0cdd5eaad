"""Convolution, as PyTorch's ``conv1d``/``conv2d``: the cross-correlation (no kernel flip)
of an (N, C, *spatial) input with weights of shape (out_channels, C / groups, *kernel).

How it is fast - im2col and one matrix product:
a strided view lists every window of the zero-padded input without copying
(``windows.windows``); one copy lays the windows out as a matrix of shape
(C * prod(kernel), N * prod(out)), and one BLAS product with the weights, seen as an
(out_channels, C * prod(kernel)) matrix, computes every output at once. Groups are a
stack of such products (depthwise convolution: one per channel).

The backward pass is two more matrix products:

- dL/dweight = dL/dout @ cols^T, with the window matrix rebuilt from the input (keeping
  it would cost prod(kernel) times the input's memory for every layer);
- dL/dinput is the "full" convolution of dL/dout with the flipped kernel, computed one of
  two ways, whichever moves fewer bytes for the shapes at hand: col2im(weight^T @ dL/dout),
  where each column of gradients is added back onto the window it was read from
  (``windows.add_windows``, one read-modify-write pass per kernel offset); or, with
  stride 1, literally as that convolution: the window matrix of dL/dout (one copy) and
  one matrix product with the flipped kernel. The first wins when the layer widens the
  channels a lot (LeNet's 6 -> 16), the second when it does not (16 -> 32: 25% faster).

The padded input, the window matrices and the products consumed within the op are
scratch arrays kept from one step to the next (``workspace``): the padded input's border
is written once, and where malloc gives freed blocks back to the system (see
``allocator``), blocks of this size are not mapped again at every step (a LeNet-5 step
took 1,100-1,460 page faults without the products kept, 557 with them, before
``allocator`` kept freed memory for reuse).

The three maps - output, input gradient, weight gradient - are one ``Function`` each, and
each one's backward is made of the other two, so derivatives of any order work.
"""
import math

import numpy as np

from .function import Function
from .shape import pad as pad_tensor
from .arguments import as_tensor, as_tuple
from .windows import add_windows, check_input, filled, interior, output_size, windows
from .workspace import scratch
from .errors import names_errors

__all__ = ["conv1d", "conv2d"]

_HYPER = ("stride", "padding", "dilation", "groups")

#: Window matrices are built for a slice of the batch at a time, each about as large as
#: the layer's output, but at least CHUNK_ELEMENTS and at most MAX_CHUNK_ELEMENTS elements:
#: the extra memory stays in proportion to what the layer keeps anyway, the matrix is still
#: in cache when the matrix product reads it, and blocks of a few MiB are recycled by the
#: allocator instead of being mapped afresh (measured fastest for 4 to 8 images of 16
#: channels at 28x28).
CHUNK_ELEMENTS = 1 << 18
MAX_CHUNK_ELEMENTS = 1 << 20


def _hyper(attrs):
    return {name: attrs[name] for name in _HYPER}


class _Geometry:
    """The sizes of one convolution and the layout of its window matrices.

    Wide rows: with stride 1, the windows of consecutive outputs of a row are consecutive
    in memory, and so are the rows themselves if each output row is computed over the
    whole padded width. Doing that costs (kernel - 1) * dilation extra columns per row,
    computed and dropped, and in exchange the window matrix is copied in long contiguous
    runs instead of rows of a few pixels, and col2im adds long runs too.
    """

    def __init__(self, input_shape, weight_shape, stride, padding, dilation, groups):
        self.batch, self.channels = input_shape[:2]
        self.out_channels, self.kernel = weight_shape[0], tuple(weight_shape[2:])
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        self.spatial = tuple(input_shape[2:])
        self.padded = tuple(n + before + after for n, (before, after) in zip(self.spatial, padding))
        self.out = tuple(
            output_size(n, k, s, p, d) for n, k, s, p, d in zip(self.spatial, self.kernel, stride, padding, dilation)
        )
        wide = len(self.out) > 1 and all(s == 1 for s in stride)
        self.columns = self.out[:-1] + (self.padded[-1],) if wide else self.out
        self.tail = (self.kernel[-1] - 1) * dilation[-1] if wide else 0
        self.valid = (Ellipsis, slice(0, self.out[-1]))
        per_sample = self.channels * math.prod(self.kernel) * math.prod(self.columns)
        budget = min(max(CHUNK_ELEMENTS, self.batch * self.out_channels * math.prod(self.out)), MAX_CHUNK_ELEMENTS)
        self.chunk = max(1, budget // max(1, per_sample))

    def chunks(self):
        """(start, stop) of each slice of the batch processed at once."""
        return [(start, min(start + self.chunk, self.batch)) for start in range(0, self.batch, self.chunk)]

    def padded_input(self, x):
        """``x`` zero-padded, with the tail that wide rows read past its end: a scratch
        array whose padding is zero from its first use and never written."""
        if not self.tail and not any(before or after for before, after in self.padding):
            return x
        # Keyed by the padding too: the same padded shape with the interior elsewhere
        # would find stale values in its border.
        padded = scratch(("conv padded input", self.padding), x.shape[:2] + self.padded, x.dtype, self.tail)
        padded[interior(self.spatial, self.padding)] = x
        return padded

    def windows_of(self, padded):
        """The windows of the whole padded input (a view, made once per call: each chunk
        slices it)."""
        return windows(padded, self.kernel, self.stride, self.dilation, self.columns)

    def columns_of(self, view, start, stop):
        """The window matrices of samples start:stop of ``view`` (``windows_of``), one
        per group: (groups, C / groups * prod(kernel), samples * prod(columns)); rows are
        ordered (channel, kernel offset), columns (sample, output position). A scratch
        array."""
        nd = len(self.kernel)
        channel_major = view[start:stop].transpose((1, *range(2, 2 + nd), 0, *range(2 + nd, 2 + 2 * nd)))
        columns = scratch("conv columns", channel_major.shape, view.dtype)
        np.copyto(columns, channel_major)
        return columns.reshape(self.groups, -1, (stop - start) * math.prod(self.columns))

    def grad_columns(self, grad, start, stop):
        """dL/dout of samples start:stop as (groups, out / groups, samples * prod(columns)),
        zero in the dropped columns of wide rows."""
        channel_major = grad[start:stop].swapaxes(0, 1)
        if self.columns != self.out:
            # Keyed by the valid width too: only the valid columns are ever written, so the
            # dropped ones stay zero.
            role = ("conv wide gradient", self.out[-1])
            wide = scratch(role, channel_major.shape[:-1] + self.columns[-1:], grad.dtype)
            wide[self.valid] = channel_major
            channel_major = wide
        else:
            channel_major = np.ascontiguousarray(channel_major)
        return channel_major.reshape(self.groups, self.out_channels // self.groups, -1)

    @staticmethod
    def product(role, a, b):
        """A scratch array for the matrix product a @ b of stacks of matrices, consumed
        before the next chunk: a fresh block of this size per chunk would be mapped anew
        by the operating system each time (see ``workspace``)."""
        shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (a.shape[-2], b.shape[-1])
        return scratch(role, shape, np.result_type(a, b))

    def grouped(self, weight):
        """(out, C / groups, *kernel) -> (groups, out / groups, C / groups * prod(kernel))."""
        return weight.reshape(self.groups, self.out_channels // self.groups, -1)


def conv_forward(x, weight, bias, stride, padding, dilation, groups):
    """The convolution on arrays: out[n, o, p] = bias[o] + sum over the channels c of o's
    group and the kernel offsets k of weight[o, c, k] * x_padded[n, c, stride * p + dilation * k]."""
    geometry = _Geometry(x.shape, weight.shape, stride, padding, dilation, groups)
    view = geometry.windows_of(geometry.padded_input(x))
    grouped = geometry.grouped(weight)
    dtype = np.result_type(x, weight) if bias is None else np.result_type(x, weight, bias)
    result = np.empty((geometry.batch, geometry.out_channels) + geometry.out, dtype=dtype)
    if bias is not None:
        bias = bias.reshape((-1,) + (1,) * len(geometry.out))
    for start, stop in geometry.chunks():
        columns = geometry.columns_of(view, start, stop)
        product = np.matmul(grouped, columns, out=geometry.product("conv product", grouped, columns))
        product = product.reshape((geometry.out_channels, stop - start) + geometry.columns)[geometry.valid]
        if bias is None:
            np.copyto(result[start:stop], product.swapaxes(0, 1))
        else:
            np.add(product.swapaxes(0, 1), bias, out=result[start:stop])
    return result


def conv_input_grad(grad, weight, input_shape, stride, padding, dilation, groups):
    """dL/dx of the convolution given dL/dout, on arrays: col2im(weight^T @ dL/dout), or
    the convolution of dL/dout with the flipped kernel where that moves fewer bytes."""
    geometry = _Geometry(input_shape, weight.shape, stride, padding, dilation, groups)
    if _flipped_is_cheaper(geometry):
        return _full_convolution(grad, weight, geometry)
    transposed = geometry.grouped(weight).transpose(0, 2, 1)
    dtype = np.result_type(grad, weight)
    target = filled((geometry.batch, geometry.channels) + geometry.padded, dtype, tail=geometry.tail)
    nd = len(geometry.kernel)
    batch_first = (1 + nd, 0, *range(1, 1 + nd), *range(2 + nd, 2 + 2 * nd))
    for start, stop in geometry.chunks():
        grad_columns = geometry.grad_columns(grad, start, stop)
        columns = np.matmul(transposed, grad_columns, out=geometry.product("conv col2im", transposed, grad_columns))
        columns = columns.reshape((geometry.channels,) + geometry.kernel + (stop - start,) + geometry.columns)
        add_windows(target[start:stop], columns.transpose(batch_first), stride, dilation)
    return target[interior(geometry.spatial, padding)]


#: A read-modify-write add of col2im costs about three times a plain copy of the same
#: element into a window matrix (measured on both LeNet convolutions and a 16 -> 32 one).
ADD_COST = 3


def _flipped_is_cheaper(geometry):
    """Whether dL/dinput as a convolution with the flipped kernel moves fewer bytes than
    col2im: it copies out_channels * prod(kernel) elements per (wide) input position,
    col2im adds channels * prod(kernel) per (wide) output position. It needs stride 1 and
    padding within the kernel's reach (the full convolution's padding is what remains)."""
    if any(s != 1 for s in geometry.stride):
        return False
    if any(max(pair) > d * (k - 1) for pair, k, d in zip(geometry.padding, geometry.kernel, geometry.dilation)):
        return False
    wide_input = math.prod(geometry.spatial[:-1]) * (geometry.spatial[-1] + geometry.tail)
    copied = geometry.out_channels * wide_input
    added = ADD_COST * geometry.channels * math.prod(geometry.columns)
    return copied < added


def _full_convolution(grad, weight, geometry):
    """dL/dinput as the convolution of dL/dout, padded by dilation * (kernel - 1) less the
    forward's padding, with the kernel flipped in space and its channel axes swapped
    (group by group)."""
    groups, nd = geometry.groups, len(geometry.kernel)
    per_group = weight.reshape((groups, geometry.out_channels // groups, -1) + geometry.kernel)
    flipped = per_group.swapaxes(1, 2)[(Ellipsis,) + (slice(None, None, -1),) * nd]
    flipped = np.ascontiguousarray(flipped).reshape((geometry.channels, -1) + geometry.kernel)
    padding = tuple(
        (d * (k - 1) - before, d * (k - 1) - after)
        for k, d, (before, after) in zip(geometry.kernel, geometry.dilation, geometry.padding)
    )
    return conv_forward(grad, flipped, None, geometry.stride, padding, geometry.dilation, groups)


def conv_weight_grad(x, grad, weight_shape, stride, padding, dilation, groups):
    """dL/dweight of the convolution given dL/dout, on arrays: dL/dout @ cols(x)^T,
    summed over the batch."""
    geometry = _Geometry(x.shape, weight_shape, stride, padding, dilation, groups)
    view = geometry.windows_of(geometry.padded_input(x))
    total = None
    for start, stop in geometry.chunks():
        columns = geometry.columns_of(view, start, stop)
        part = np.matmul(geometry.grad_columns(grad, start, stop), columns.transpose(0, 2, 1))
        total = part if total is None else np.add(total, part, out=total)
    if total is None:  # an empty batch
        return np.zeros(weight_shape, dtype=np.result_type(x, grad))
    return total.reshape(weight_shape)


class Conv(Function):
    """The convolution (see ``conv_forward``). Its backward is made of the two adjoint ops
    below, so derivatives of any order work; without a graph of the backward pass it
    calls their array kernels directly."""

    def forward(self, x, weight, bias=None, *, stride, padding, dilation, groups):
        self.save_for_backward(x, weight)
        return conv_forward(x, weight, bias, stride, padding, dilation, groups)

    def backward(self, grad):
        x, weight = self.saved_tensors
        needed = self.needs_input_grad
        hyper = _hyper(self.attrs)
        grad_x = ConvInputGrad.apply(grad, weight, input_shape=x.shape, **hyper) if needed[0] else None
        grad_w = ConvWeightGrad.apply(x, grad, weight_shape=weight.shape, **hyper) if needed[1] else None
        return (grad_x, grad_w, _bias_grad(grad, needed))[: len(needed)]

    def fast_backward(self, grad):
        x, weight = self.saved_arrays
        needed = self.needs_input_grad
        hyper = _hyper(self.attrs)
        grad_x = conv_input_grad(grad, weight, x.shape, **hyper) if needed[0] else None
        grad_w = conv_weight_grad(x, grad, weight.shape, **hyper) if needed[1] else None
        return (grad_x, grad_w, _bias_grad(grad, needed))[: len(needed)]


def _bias_grad(grad, needed):
    """dL/dbias: dL/dout summed over the batch and the positions (a Tensor or an array)."""
    if len(needed) > 2 and needed[2]:
        return grad.sum(axis=(0,) + tuple(range(2, grad.ndim)))
    return None


class ConvInputGrad(Function):
    """dL/dx of ``Conv`` given dL/dout (see ``conv_input_grad``). Linear in both
    arguments; its own derivatives are a convolution and a weight gradient."""

    def forward(self, grad, weight, *, input_shape, stride, padding, dilation, groups):
        self.save_for_backward(grad, weight)
        return conv_input_grad(grad, weight, input_shape, stride, padding, dilation, groups)

    def backward(self, grad_input):
        grad, weight = self.saved_tensors
        hyper = _hyper(self.attrs)
        d_grad = Conv.apply(grad_input, weight, **hyper) if self.needs_input_grad[0] else None
        d_weight = None
        if self.needs_input_grad[1]:
            d_weight = ConvWeightGrad.apply(grad_input, grad, weight_shape=weight.shape, **hyper)
        return d_grad, d_weight


class ConvWeightGrad(Function):
    """dL/dweight of ``Conv`` given dL/dout (see ``conv_weight_grad``). Linear in both
    arguments."""

    def forward(self, x, grad, *, weight_shape, stride, padding, dilation, groups):
        self.save_for_backward(x, grad)
        return conv_weight_grad(x, grad, weight_shape, stride, padding, dilation, groups)

    def backward(self, grad_weight):
        x, grad = self.saved_tensors
        hyper = _hyper(self.attrs)
        d_x = ConvInputGrad.apply(grad, grad_weight, input_shape=x.shape, **hyper) if self.needs_input_grad[0] else None
        d_grad = Conv.apply(x, grad_weight, **hyper) if self.needs_input_grad[1] else None
        return d_x, d_grad


def _padding(op, padding, kernel, stride, dilation):
    """PyTorch's padding argument as (before, after) per spatial dimension. 'same' puts
    the odd pixel, if any, after (right/bottom), as PyTorch does."""
    n = len(kernel)
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{op}: padding='same' is not supported for strided convolutions (stride {stride})")
            totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
            return tuple((t // 2, t - t // 2) for t in totals)
        raise ValueError(f"{op}: padding must be an int, a tuple of {n} ints, 'valid' or 'same'; got {padding!r}")
    sizes = as_tuple(padding, n, op, "padding")
    if any(p < 0 for p in sizes):
        raise ValueError(f"{op}: padding must be non-negative, got {padding!r}")
    return tuple((p, p) for p in sizes)


PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _convolve(op, nd, x, weight, bias, stride, padding, dilation, groups, padding_mode):
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"{op}: padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}")
    x = as_tensor(x)
    weight = as_tensor(weight)
    check_input(op, x, nd)
    if weight.ndim != nd + 2:
        raise ValueError(
            f"{op}: expected a {nd + 2}-D weight (out_channels, in_channels / groups, *kernel_size), "
            f"got shape {tuple(weight.shape)}"
        )
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    stride = as_tuple(stride, nd, op, "stride")
    dilation = as_tuple(dilation, nd, op, "dilation")
    if any(s < 1 for s in stride) or any(d < 1 for d in dilation):
        raise ValueError(f"{op}: stride {stride} and dilation {dilation} must be positive")
    batched = x.ndim == nd + 2
    channels = x.shape[1 if batched else 0]
    out_channels, kernel = weight.shape[0], weight.shape[2:]
    if out_channels % groups:
        raise ValueError(f"{op}: weight of shape {tuple(weight.shape)} has {out_channels} output channels, not divisible by groups={groups}")
    if channels != weight.shape[1] * groups:
        raise ValueError(
            f"{op}: input of shape {tuple(x.shape)} has {channels} channels, but weight of shape "
            f"{tuple(weight.shape)} with groups={groups} expects {weight.shape[1] * groups}"
        )
    if bias is not None and tuple(bias.shape) != (out_channels,):
        raise ValueError(f"{op}: bias of shape {tuple(bias.shape)} does not match {out_channels} output channels")
    pads = _padding(op, padding, kernel, stride, dilation)
    spatial = x.shape[-nd:]
    for n, k, d, (before, after) in zip(spatial, kernel, dilation, pads):
        if n + before + after < d * (k - 1) + 1:
            raise ValueError(
                f"{op}: kernel of size {tuple(kernel)} (dilation {dilation}) is larger than the padded input: "
                f"input of shape {tuple(x.shape)} with padding {tuple(pads)}"
            )
    if not batched:
        x = x.unsqueeze(0)
    if padding_mode != "zeros":
        x = pad_tensor(x, [w for pair in reversed(pads) for w in pair], mode=padding_mode)
        pads = ((0, 0),) * nd
    hyper = dict(stride=stride, padding=pads, dilation=dilation, groups=int(groups))
    out = Conv.apply(x, weight, **hyper) if bias is None else Conv.apply(x, weight, bias, **hyper)
    return out if batched else out.squeeze(0)


@names_errors
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, *, padding_mode="zeros"):
    """1-D convolution (cross-correlation) of ``input`` (N, C, L) or (C, L) with ``weight``
    (out_channels, C / groups, k), as ``torch.nn.functional.conv1d``.

    ``padding`` is an int (zeros on both sides), 'valid' (none) or 'same' (output length
    = input length; stride 1 only). Output length: floor((L + 2P - dilation (k - 1) - 1) / S) + 1.
    ``padding_mode`` ('zeros', 'reflect', 'replicate', 'circular') goes beyond torch's
    functional form, which pads with zeros only, and does what its layers' argument does.
    """
    return _convolve("conv1d", 1, input, weight, bias, stride, padding, dilation, groups, padding_mode)


@names_errors
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, *, padding_mode="zeros"):
    """2-D convolution (cross-correlation) of ``input`` (N, C, H, W) or (C, H, W) with
    ``weight`` (out_channels, C / groups, kh, kw), as ``torch.nn.functional.conv2d``.

    ``stride``, ``padding`` and ``dilation`` are ints or (h, w) pairs; ``padding`` may also be
    'valid' or 'same'. ``groups`` splits the channels into independent convolutions
    (``groups = C`` is depthwise). Output size per dimension:
    floor((W + 2P - dilation (F - 1) - 1) / S) + 1, i.e. floor((W - F + 2P) / S) + 1 undilated.
    ``padding_mode`` ('zeros', 'reflect', 'replicate', 'circular'; keyword only) is the
    layers' argument, which torch's functional form lacks.
    """
    return _convolve("conv2d", 2, input, weight, bias, stride, padding, dilation, groups, padding_mode)
