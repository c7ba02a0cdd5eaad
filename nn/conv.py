"""Convolution layers, as PyTorch's: ``Conv1d`` and ``Conv2d``.

out[n, o] = bias[o] + sum over c, k of weight[o, c, k] * x[n, c, stride * p + dilation * k - padding]

A cross-correlation (the kernel is not flipped) whose weights are shared by every
position: a convolution is a dense layer with a banded (Toeplitz) weight matrix, and a
shared weight's gradient is the sum of its gradients at every position.
"""
from autograd_core.arguments import as_tuple
from autograd_core.conv import PADDING_MODES

from . import functional as F
from . import init
from .module import Module
from .parameter import register_weight_and_bias


class _ConvNd(Module):
    """What Conv1d and Conv2d share: parameters, initialisation, padding modes."""

    dims = 0

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=True, padding_mode="zeros", dtype=None):
        super().__init__()
        name, nd = type(self).__name__, self.dims
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups})"
            )
        if padding_mode not in PADDING_MODES:
            raise ValueError(f"{name}: padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = as_tuple(kernel_size, nd, name, "kernel_size")
        self.stride = as_tuple(stride, nd, name, "stride")
        self.dilation = as_tuple(dilation, nd, name, "dilation")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: padding must be an int, a tuple, 'valid' or 'same'; got {padding!r}")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(f"{name}: padding='same' is not supported for strided convolutions (stride {self.stride})")
            self.padding = padding
        else:
            self.padding = as_tuple(padding, nd, name, "padding")
        self.groups, self.padding_mode = groups, padding_mode
        register_weight_and_bias(self, (out_channels, in_channels // groups) + self.kernel_size, bias, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's default (``init.layer_default_``), with fan_in = in_channels / groups
        * prod(kernel_size)."""
        init.layer_default_(self.weight, self.bias)

    def forward(self, input):
        convolve = F.conv1d if self.dims == 1 else F.conv2d
        return convolve(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups,
                        padding_mode=self.padding_mode)

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self.dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv1d(_ConvNd):
    """1-D convolution over (N, C_in, L) (or unbatched (C_in, L)) giving (N, C_out, L_out),
    L_out = floor((L + 2 padding - dilation (kernel_size - 1) - 1) / stride) + 1.

    ``weight``: (out_channels, in_channels / groups, kernel_size); ``bias``: (out_channels,).
    ``padding``: int, 'valid' or 'same'; ``padding_mode``: 'zeros', 'reflect', 'replicate'
    or 'circular'; ``groups``: channel groups convolved separately (in_channels is depthwise).
    """

    dims = 1


class Conv2d(_ConvNd):
    """2-D convolution over (N, C_in, H, W) (or unbatched (C_in, H, W)) giving
    (N, C_out, H_out, W_out), with H_out = floor((H + 2 padding - dilation (kh - 1) - 1) /
    stride) + 1, i.e. floor((W - F + 2P) / S) + 1 undilated; W_out likewise.

    ``weight``: (out_channels, in_channels / groups, kh, kw); ``bias``: (out_channels,);
    so out_channels filters of size kh x kw x in_channels have
    out_channels * (in_channels * kh * kw + 1) parameters (six 5x5x3 filters: 456).
    ``kernel_size``, ``stride``, ``padding``, ``dilation``: ints or pairs; ``padding`` also
    'valid' or 'same'. ``padding_mode``: 'zeros', 'reflect', 'replicate' or 'circular'.
    ``groups``: channel groups convolved separately (``groups = in_channels`` is depthwise).
    """

    dims = 2
