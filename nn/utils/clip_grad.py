"""Gradient clipping, the cure for exploding gradients (in recurrent networks above all):
rescale all gradients together when their norm is too large, or clamp each value."""
import math

import numpy as np

from autograd_core import Tensor


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Scale the gradients of ``parameters`` in place so that their total norm (the norm
    of all of them concatenated into one vector) is at most ``max_norm``.

    Returns the total norm before clipping. ``norm_type`` may be ``inf``. With
    ``error_if_nonfinite``, a NaN or infinite norm raises (and nothing is changed).
    """
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return Tensor(np.array(0.0, dtype=np.float32))
    if math.isinf(norm_type):
        norms = [np.abs(g).max() if g.size else 0.0 for g in grads]
        total = float(max(norms))
    else:
        total = float(sum(np.sum(np.abs(g, dtype=np.float64) ** norm_type) for g in grads) ** (1.0 / norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}; "
            "set error_if_nonfinite=False to clip anyway"
        )
    # As PyTorch: the factor is capped at 1 and a small epsilon keeps it finite.
    factor = min(max_norm / (total + 1e-6), 1.0)
    if factor < 1.0:
        for g in grads:
            g *= g.dtype.type(factor)
    return Tensor(np.array(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters, clip_value):
    """Clamp every gradient value of ``parameters`` to [-clip_value, clip_value] in place."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        np.clip(g, -clip_value, clip_value, out=g)

