"""``GaussianNoise``: noise injection, a regulariser - adding noise to the inputs (or to
hidden units) in training is, for small noise, like a penalty on the network's
sensitivity to them (Bishop, 1995)."""
import autograd_core as ag

from .module import Module


class GaussianNoise(Module):
    """y = x + e, e ~ N(0, std^2) drawn anew for every element in training (from the
    generator ``autograd_core.manual_seed`` seeds); the identity after ``eval()``."""

    def __init__(self, std=0.1):
        super().__init__()
        if std < 0:
            raise ValueError(f"GaussianNoise: std must be non-negative, got {std}")
        self.std = std

    def forward(self, input):
        if not self.training or self.std == 0:
            return input
        return input + ag.default_generator().normal(0.0, self.std, input.shape).astype(input.dtype)

    def extra_repr(self):
        return f"std={self.std}"
