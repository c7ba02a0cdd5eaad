"""Convolution functions, as ``torch.nn.functional.conv1d`` / ``conv2d``: cross-correlation
of an (N, C, *spatial) input with (out_channels, C / groups, *kernel) weights. The op itself
(im2col + one matrix product) lives in ``autograd_core.conv``."""
import autograd_core as ag
from autograd_core.errors import names_errors


@names_errors
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, *, padding_mode="zeros"):
    """1-D convolution of (N, C, L) or (C, L) ``input``; ``padding`` is an int, 'valid' or
    'same'. Output length floor((L + 2P - dilation (k - 1) - 1) / stride) + 1.
    ``padding_mode`` (keyword only, not in torch's functional form) as in ``Conv1d``."""
    return ag.conv1d(input, weight, bias, stride, padding, dilation, groups, padding_mode=padding_mode)


@names_errors
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1, *, padding_mode="zeros"):
    """2-D convolution of (N, C, H, W) or (C, H, W) ``input``; ``stride``, ``padding``,
    ``dilation`` are ints or pairs, ``padding`` may be 'valid' or 'same'; ``groups = C`` is
    depthwise. Output size floor((W - F + 2P) / S) + 1 per dimension (undilated).
    ``padding_mode`` (keyword only, not in torch's functional form) as in ``Conv2d``."""
    return ag.conv2d(input, weight, bias, stride, padding, dilation, groups, padding_mode=padding_mode)
