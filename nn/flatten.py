"""Reshaping layers: ``Flatten`` (e.g. feature maps into the vector a ``Linear`` reads)
and its inverse ``Unflatten``."""
from autograd_core.arguments import normalize_dim

from .module import Module


class Flatten(Module):
    """Merge dimensions ``start_dim`` to ``end_dim`` into one: (N, C, H, W) -> (N, C*H*W)
    by default, keeping the batch dimension."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size``: (N, 784) -> (N, 1, 28, 28)."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        self.dim = dim
        self.unflattened_size = tuple(unflattened_size)

    def forward(self, input):
        dim = normalize_dim(self.dim, input.ndim, "Unflatten")
        return input.reshape(input.shape[:dim] + self.unflattened_size + input.shape[dim + 1 :])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
