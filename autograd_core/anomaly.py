"""Anomaly detection, as PyTorch's ``torch.autograd.detect_anomaly``: find the operation
where NaN or inf first appears.

While it is on, an op whose output holds NaN or inf although its inputs are finite, and
a backward that turns a finite gradient into a non-finite one, raise
``FloatingPointError`` naming the op, its scope (the module path, such as
``features.3``), the input shapes and the file and line of the code that created the op.
The stack is read only while detection is on; when it is off the engine tests one flag
per op and does nothing else. It slows every op down, so turn it on to hunt a NaN, not
for training::

    with ag.detect_anomaly():
        loss = model(x).sum()
        loss.backward()
"""
import os
import sys

import numpy as np

from . import scope
from .errors import names_errors

__all__ = ["detect_anomaly", "is_anomaly_enabled", "set_detect_anomaly"]

_enabled = False
# Frames from these folders are the library's own; the user's line is the first frame
# outside them.
_LIBRARY = tuple(os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep + name + os.sep for name in ("autograd_core", "nn", "optim"))


@names_errors
def set_detect_anomaly(mode):
    """Turn anomaly detection on (True) or off (False) for everything that follows."""
    global _enabled
    _enabled = bool(mode)


@names_errors
def is_anomaly_enabled():
    return _enabled


class detect_anomaly:
    """Context manager (and decorator) that turns anomaly detection on inside its block."""

    def __enter__(self):
        self._previous = _enabled
        set_detect_anomaly(True)
        return self

    def __exit__(self, *exc):
        set_detect_anomaly(self._previous)
        return False

    def __call__(self, function):
        def detecting(*args, **kwargs):
            with detect_anomaly():
                return function(*args, **kwargs)

        return detecting


def user_line():
    """``file:line`` of the innermost frame on the stack outside the library."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_LIBRARY):
        frame = frame.f_back
    if frame is None:
        return "an unknown line"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _finite(value):
    data = getattr(value, "data", value)
    return not isinstance(data, np.ndarray) or data.dtype.kind not in "fc" or bool(np.isfinite(data).all())


def _what(array):
    return "NaN" if np.isnan(array).any() else "inf"


def check_forward(node, args, out):
    """Raise if ``out`` is not finite although every input is; remember where ``node``
    was created, for a backward check later."""
    node.created_at = user_line()
    if out.dtype.kind in "fc" and not np.isfinite(out).all() and all(_finite(a) for a in args):
        shapes = ", ".join(str(tuple(a.shape)) for a in args if hasattr(a, "shape")) or "scalars"
        raise FloatingPointError(
            f"{node.name}: produced {_what(out)} from finite inputs (scope {scope._current or 'top level'}, input shapes "
            f"{shapes}), created at {node.created_at}"
        )


def check_backward(node, grad, input_grads):
    """Raise if ``node``'s backward turned the finite ``grad`` into a non-finite gradient."""
    if not _finite(grad):
        return
    for i, g in enumerate(input_grads):
        if g is not None and not _finite(g):
            shapes = ", ".join(str(m[0]) for m in node.input_meta if m is not None)
            raise FloatingPointError(
                f"{node.name}: its backward produced {_what(g.data)} in the gradient of input {i} from a finite "
                f"gradient (scope {node_scope(node)}, input shapes {shapes}), created at "
                f"{getattr(node, 'created_at', 'an unknown line (made before anomaly detection was on)')}"
            )


def node_scope(node):
    return getattr(node, "scope", None) or "top level"
