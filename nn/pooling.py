"""Pooling layers, as PyTorch's: ``MaxPool1d``, ``MaxPool2d``, ``AvgPool1d``,
``AvgPool2d`` and ``AdaptiveAvgPool2d``. No parameters: each window of each channel is
reduced to one value (its maximum or its mean), output size floor((W - F + 2P) / S) + 1
(or rounded up with ``ceil_mode``). Max pooling passes the gradient to each window's
arg-max only; average pooling spreads it evenly."""
from . import functional as F
from .module import Module


class _MaxPoolNd(Module):
    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self):
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool1d(_MaxPoolNd):
    """out[n, c, l] = max of input[n, c, stride * l + dilation * k - padding] over k < kernel_size,
    on (N, C, L) or (C, L) input. ``stride`` defaults to ``kernel_size``."""

    def forward(self, input):
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, self.return_indices)


class MaxPool2d(_MaxPoolNd):
    """out[n, c, i, j] = max of each kernel_size window of input[n, c] (N, C, H, W) or
    (C, H, W), windows ``stride`` apart (default ``kernel_size``: no overlap). The gradient
    flows to the window's arg-max only."""

    def forward(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, self.return_indices)


class _AvgPoolNd(Module):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode, self.count_include_pad = padding, ceil_mode, count_include_pad

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    """out[n, c, l] = mean of the window of ``kernel_size`` at stride * l - padding, on
    (N, C, L) or (C, L) input; zero padding counts when ``count_include_pad``."""

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)


class AvgPool2d(_AvgPoolNd):
    """out[n, c, i, j] = mean of each kernel_size window of input[n, c] (N, C, H, W) or
    (C, H, W); zero padding counts when ``count_include_pad``, ``divisor_override``
    replaces the window size. The gradient is spread evenly over each window."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, input):
        return F.avg_pool2d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad, self.divisor_override
        )


class AdaptiveAvgPool2d(Module):
    """Average pooling to ``output_size`` (an int, a pair, None keeping a dimension) for
    any input size: window i of o along a dimension of size n covers positions
    floor(i n / o) to ceil((i + 1) n / o) - 1. ``AdaptiveAvgPool2d(1)`` is global average
    pooling."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"
