"""Residual blocks (He et al., 2016): y = shortcut(x) + F(x), where F is two 3x3
convolutions and the shortcut is the identity (or a 1x1 convolution where the shape
changes).

Why they train when plain deep stacks do not: the Jacobian of y = x + F(x) is I + dF/dx,
so the gradient reaching a block's input is the gradient at its output plus F's
contribution - it can always pass through the identity unchanged, however many blocks
lie above. (A 56-layer plain network trains worse than a 20-layer one; a residual one
does not.)

Two forms:

- original (post-activation, He et al., "Deep residual learning", 2016):
  y = relu(shortcut(x) + BN(conv(relu(BN(conv(x))))));
- pre-activation (He et al., "Identity mappings in deep residual networks", 2016):
  y = shortcut(x) + conv(relu(BN(conv(relu(BN(x)))))) - nothing at all on the identity
  path, not even a ReLU.

Stochastic depth (Huang et al., 2016): in training, each example skips the residual branch
with probability ``stochastic_depth`` (the block is then the identity or the shortcut), and
kept branches are scaled by 1 / (1 - p), so that evaluation, which always keeps the
branch, sees the same expected value. Deep networks give deeper blocks a larger p.
"""
import numpy as np

from autograd_core import Tensor

from . import functional as F
from .batchnorm import BatchNorm2d
from .containers import Sequential
from .conv import Conv2d
from .linear import Identity
from .module import Module


class ResidualBlock(Module):
    """The basic residual block of ResNet-18/34 on (N, in_channels, H, W) input, giving
    (N, out_channels, H / stride, W / stride).

    ``preactivation`` picks the form (see the module docstring); ``batch_norm=False``
    leaves the normalisation out (the convolutions then have biases); ``stochastic_depth``
    is the probability of dropping the residual branch of an example in training.
    """

    def __init__(self, in_channels, out_channels=None, stride=1, preactivation=False, batch_norm=True,
                 stochastic_depth=0.0):
        super().__init__()
        out_channels = in_channels if out_channels is None else out_channels
        if not 0.0 <= stochastic_depth < 1.0:
            raise ValueError(f"ResidualBlock: stochastic_depth must be in [0, 1), got {stochastic_depth}")
        self.preactivation = preactivation
        self.stochastic_depth = stochastic_depth

        def norm(channels):
            return BatchNorm2d(channels) if batch_norm else Identity()

        self.conv1 = Conv2d(in_channels, out_channels, 3, stride, padding=1, bias=not batch_norm)
        self.conv2 = Conv2d(out_channels, out_channels, 3, padding=1, bias=not batch_norm)
        # The first normalisation sees the block's input in the pre-activation form.
        self.bn1 = norm(in_channels if preactivation else out_channels)
        self.bn2 = norm(out_channels)
        if stride != 1 or in_channels != out_channels:
            projection = Conv2d(in_channels, out_channels, 1, stride, bias=not batch_norm)
            self.shortcut = projection if preactivation else Sequential(projection, norm(out_channels))
        else:
            self.shortcut = Identity()

    def branch(self, x):
        """The residual function F(x)."""
        if self.preactivation:
            return self.conv2(F.relu(self.bn2(self.conv1(F.relu(self.bn1(x))))))
        return self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))

    def forward(self, x):
        residual = self.branch(x)
        if self.training and self.stochastic_depth > 0:
            keep = np.ones((residual.shape[0],) + (1,) * (residual.ndim - 1), dtype=residual.dtype)
            residual = residual * F.dropout(Tensor(keep), self.stochastic_depth, training=True)
        out = self.shortcut(x) + residual
        return out if self.preactivation else F.relu(out)

    def extra_repr(self):
        text = f"preactivation={self.preactivation}"
        return text + (f", stochastic_depth={self.stochastic_depth}" if self.stochastic_depth else "")
