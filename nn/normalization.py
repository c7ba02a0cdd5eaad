"""Per-example normalisation: ``LayerNorm`` (over the trailing feature dimensions) and
``GroupNorm`` (over groups of channels). Neither depends on the batch, so training and
evaluation compute the same thing."""
import numpy as np

from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


def register_affine(module, shape, dtype, weight=True, bias=True):
    """Register the learned scale ``weight`` (ones) and shift ``bias`` (zeros) of
    ``shape`` that follow a normalisation, or None for each one switched off."""
    dtype = np.float32 if dtype is None else dtype
    if weight:
        module.weight = Parameter(np.ones(shape, dtype=dtype))
    else:
        module.register_parameter("weight", None)
    if bias:
        module.bias = Parameter(np.zeros(shape, dtype=dtype))
    else:
        module.register_parameter("bias", None)


def reset_affine(module):
    """Scale 1 and shift 0 again (those the module has)."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class LayerNorm(Module):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, mean and biased variance taken
    over the last dimensions given by ``normalized_shape``, separately for each example;
    ``weight`` and ``bias`` have shape ``normalized_shape``."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        register_affine(self, self.normalized_shape, dtype, elementwise_affine, elementwise_affine and bias)

    def reset_parameters(self):
        """weight 1, bias 0."""
        reset_affine(self)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """y = (x - mean) / sqrt(var + eps) * weight + bias for (N, C, *) inputs, statistics
    taken per example over each of ``num_groups`` groups of C / num_groups channels;
    ``weight`` and ``bias`` are per channel. One group is layer norm over (C, *); C
    groups is instance norm."""

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, dtype=None):
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels {num_channels} is not divisible by num_groups {num_groups}")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        register_affine(self, num_channels, dtype, affine, affine)

    def reset_parameters(self):
        """weight 1, bias 0."""
        reset_affine(self)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
