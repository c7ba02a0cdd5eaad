"""Dropout, the inverted form: in training each element is zeroed with probability p
and the survivors are scaled by 1 / (1 - p), so the expected value of every unit is
unchanged and evaluation needs no rescaling. (The older convention keeps the units
unscaled in training and multiplies the weights by 1 - p at test time; the two agree in
expectation.)"""
from autograd_core.arguments import as_tensor
from autograd_core.dropout import dropout_mask
from autograd_core.errors import names_errors


@names_errors
def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p) when
    ``training``; the identity otherwise. Draws from the generator
    ``autograd_core.manual_seed`` seeds."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: probability p must be between 0 and 1, got {p}")
    x = as_tensor(input)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    return x * dropout_mask(x.shape, p, x.dtype)
