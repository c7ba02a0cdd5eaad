"""Pooling functions, as ``torch.nn.functional``: max and average pooling over windows,
and adaptive average pooling to a fixed output size. The ops live in
``autograd_core.pooling``."""
import autograd_core as ag
from autograd_core.errors import names_errors


@names_errors
def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Largest value of each window of (N, C, L) ``input``; the gradient goes to the arg-max."""
    return ag.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@names_errors
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Largest value of each window of (N, C, H, W) ``input``; ``stride`` defaults to
    ``kernel_size``. Output size floor((W - F + 2P) / S) + 1 (rounded up with ``ceil_mode``);
    the gradient goes to each window's arg-max only."""
    return ag.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


@names_errors
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean of each window of (N, C, L) ``input``; the gradient is spread evenly."""
    return ag.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)


@names_errors
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
    """Mean of each window of (N, C, H, W) ``input``; zero padding counts when
    ``count_include_pad``. The gradient is spread evenly over each window."""
    return ag.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)


@names_errors
def adaptive_avg_pool2d(input, output_size):
    """Average pooling of (N, C, H, W) ``input`` to ``output_size`` (an int, a pair, None
    keeping a dimension), whatever H and W are: (N, C, 1, 1) is global average pooling."""
    return ag.adaptive_avg_pool2d(input, output_size)
