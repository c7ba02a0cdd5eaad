"""Max-norm constraints: after each update, rescale every unit's incoming weight vector
whose norm exceeds a bound back onto it (Srivastava et al., 2014, who pair it with
dropout and large learning rates)."""
import numpy as np

from autograd_core import Tensor, no_grad


def max_norm_(weight, max_value, dim=0, norm_type=2.0):
    """Scale in place each slice ``weight.select(dim, i)`` whose ``norm_type``-norm is
    above ``max_value`` to norm ``max_value`` (as ``torch.renorm(weight, norm_type, dim,
    max_value)``, with its small epsilon); slices within the bound are left alone.

    With ``dim=0`` the slices of a ``Linear`` weight (out, in) are the rows, the weights
    into one unit, and those of a ``Conv2d`` weight the filters. ``weight`` may also be a
    list of tensors, each constrained the same way; to keep the constraint during
    training, call it after every optimizer step::

        weights = [m.weight for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
        optimizer.step()
        nn.utils.max_norm_(weights, 3.0)

    Returns ``weight``.
    """
    if max_value < 0:
        raise ValueError(f"max_norm_: max_value must be non-negative, got {max_value}")
    for w in [weight] if isinstance(weight, Tensor) else weight:
        if not isinstance(w, Tensor):
            raise TypeError(f"max_norm_: expected a Tensor or a list of Tensors, got a {type(w).__name__}")
        if w.ndim < 1 or not -w.ndim <= dim < w.ndim:
            raise IndexError(f"max_norm_: dim {dim} is out of range for a weight of shape {w.shape}")
        others = tuple(d for d in range(w.ndim) if d != dim % w.ndim)
        norms = np.sum(np.abs(w.data.astype(np.float64)) ** norm_type, axis=others, keepdims=True) ** (1 / norm_type)
        factor = np.where(norms > max_value, max_value / (norms + 1e-7), 1.0)
        with no_grad():
            w.mul_(factor.astype(w.dtype))
    return weight
