"""The dense layer's function: y = x W^T + b."""
import autograd_core as ag
from autograd_core.errors import names_errors


@names_errors
def linear(input, weight, bias=None):
    """``input @ weight.T + bias`` with ``weight`` of shape (out_features, in_features),
    as one fused op (one matrix product forward, two backward)."""
    return ag.linear(input, weight, bias)
