"""Activation functions, as ``torch.nn.functional``: value and derivative of each.

Elementwise activations have diagonal Jacobians, so their backward passes multiply by
the local derivative (the engine's ops); softmax's Jacobian is full, but its
vector-Jacobian product needs no matrix either. ``inplace`` is accepted for
compatibility with PyTorch's signatures; results are always new tensors, since the
engine records every value it needs for the backward pass.
"""
import warnings

import numpy as np

import autograd_core as ag
from autograd_core.arguments import as_tensor
from autograd_core.errors import names_errors

# Klambauer et al. (2017): the constants that make SELU self-normalising.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946



@names_errors
def relu(input, inplace=False):
    """max(x, 0); the derivative at 0 is 0."""
    return as_tensor(input).relu()


@names_errors
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, else negative_slope * x."""
    return as_tensor(input).leaky_relu(negative_slope)


@names_errors
def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, else alpha (exp(x) - 1); derivative y + alpha for x <= 0."""
    return as_tensor(input).elu(alpha)


@names_errors
def selu(input, inplace=False):
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al."""
    return as_tensor(input).elu(SELU_ALPHA) * SELU_SCALE


@names_errors
def gelu(input, approximate="none"):
    """x Phi(x) with Phi the standard normal CDF (``approximate="tanh"`` for the tanh form)."""
    return ag.gelu(as_tensor(input), approximate)


@names_errors
def sigmoid(input):
    """1 / (1 + exp(-x)); derivative s (1 - s), at most 1/4."""
    return as_tensor(input).sigmoid()


@names_errors
def tanh(input):
    """tanh(x); derivative 1 - tanh(x)^2, at most 1."""
    return as_tensor(input).tanh()


@names_errors
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]; the derivative is 1 strictly inside, 0 elsewhere
    (also at the two corners, as PyTorch's hardtanh)."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val {min_val} is greater than max_val {max_val}")
    x = as_tensor(input)
    inside = (x.data > min_val) & (x.data < max_val)
    return ag.where(inside, x, np.clip(x.data, min_val, max_val))


@names_errors
def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, a smooth ReLU; linear where beta x > threshold."""
    return as_tensor(input).softplus(beta, threshold)


@names_errors
def silu(input, inplace=False):
    """x sigmoid(x) (also called swish)."""
    x = as_tensor(input)
    return x * x.sigmoid()


@names_errors
def logsigmoid(input):
    """log sigmoid(x) = -softplus(-x), computed without overflow."""
    return -(-as_tensor(input)).softplus()


def _softmax_dim(name, ndim, dim):
    if dim is not None:
        return dim
    warnings.warn(
        f"{name}: implicit dimension choice is deprecated (as in PyTorch); pass dim=", stacklevel=3
    )
    return 0 if ndim in (0, 1, 3) else 1


def _cast(x, dtype):
    x = as_tensor(x)
    return x if dtype is None else x.to(dtype)


@names_errors
def softmax(input, dim=None, dtype=None):
    """exp(x) / sum(exp(x)) along ``dim``, computed stably (the maximum is taken out first)."""
    x = _cast(input, dtype)
    return x.softmax(_softmax_dim("softmax", x.ndim, dim))


@names_errors
def log_softmax(input, dim=None, dtype=None):
    """x - logsumexp(x) along ``dim``: the log-probabilities, without overflow or log(0)."""
    x = _cast(input, dtype)
    return x.log_softmax(_softmax_dim("log_softmax", x.ndim, dim))
