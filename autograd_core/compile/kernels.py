"""What compiled code calls for an op it does not write out as NumPy: the engine's own
``forward`` and vector-Jacobian product of the op, on arrays.

``kernel(Conv, x, w, b, stride=(1, 1), ...)`` is the op's output array;
``kernel_with_node`` also returns the graph node, which keeps what the op's backward
needs; ``vjp(node, grad)`` is that backward (``engine.node_vjp``), one array (or None)
per input.
"""
import numpy as np

from ..engine import node_vjp
from ..grad_mode import no_grad, set_grad_enabled
from ..tensor import Tensor


def kernel(cls, *args, **attrs):
    """The output array of op ``cls`` on ``args`` (arrays or Python values)."""
    with no_grad():
        result = cls.apply(*args, **attrs)
    return tuple(r.data for r in result) if isinstance(result, tuple) else result.data


def kernel_with_node(cls, *args, needs, **attrs):
    """``(output array, node)`` (or ``(output, extras..., node)`` for an op that also
    returns non-differentiable extras): the op run on ``args`` with a graph node
    recorded, the inputs marked by ``needs`` wanting a gradient."""
    inputs = [Tensor._make(np.asarray(a), True) if need else a for a, need in zip(args, needs)]
    with set_grad_enabled(True):
        result = cls.apply(*inputs, **attrs)
    if isinstance(result, tuple):
        return (*(r.data for r in result), result[0].grad_fn)
    return result.data, result.grad_fn


def vjp(node, grad):
    """The gradient of each input of ``node`` given dL/d(its output) ``grad`` (arrays)."""
    with no_grad():
        grads = node_vjp(node, Tensor._make(grad))
    return tuple(None if g is None else g.data for g in grads)
