"""``Dropout``: randomly zero units in training (inverted: survivors scaled by
1 / (1 - p)); the identity in evaluation."""
from . import functional as F
from .module import Module


class Dropout(Module):
    """In training, each element is zeroed with probability ``p`` and the others are
    multiplied by 1 / (1 - p), so the expected output equals the input; after
    ``eval()`` the layer passes its input through unchanged."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: probability p must be between 0 and 1, got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
