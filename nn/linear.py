"""Dense layers: ``Linear`` (y = x W^T + b) and ``Identity`` (y = x)."""


from . import functional as F
from . import init
from .module import Module
from .parameter import register_weight_and_bias


class Identity(Module):
    """y = x. Accepts and ignores any constructor arguments, as PyTorch's, so it can
    stand in for a layer that is switched off."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """y = x W^T + b, with ``weight`` W of shape (out_features, in_features) and ``bias``
    b of shape (out_features,): one unit per row of W.

    Initialised as PyTorch's: W ~ U(-1/sqrt(in_features), 1/sqrt(in_features)) (which is
    ``kaiming_uniform_(W, a=sqrt(5))``) and b from the same range.
    """

    def __init__(self, in_features, out_features, bias=True, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        register_weight_and_bias(self, (out_features, in_features), bias, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights and bias with PyTorch's default initialisation."""
        init.layer_default_(self.weight, self.bias)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
