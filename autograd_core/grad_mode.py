"""Switching gradient recording on and off: ``no_grad``, ``enable_grad``, ``is_grad_enabled``."""
import copy
import functools

__all__ = ["enable_grad", "is_grad_enabled", "no_grad", "set_grad_enabled"]

_enabled = True


def is_grad_enabled():
    """True when operations on tensors that require grad are recorded for backward."""
    return _enabled


class _GradMode:
    """Context manager (and decorator) that sets gradient recording to ``self.mode``."""

    mode = True

    def __enter__(self):
        global _enabled
        self._previous = _enabled
        _enabled = self.mode

    def __exit__(self, *exc):
        global _enabled
        _enabled = self._previous
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            # A fresh copy per call (same mode), so nested and recursive calls each
            # restore their own previous state.
            with copy.copy(self):
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):
    """Do not record operations: results never require grad. Use for evaluation and updates."""

    mode = False


class enable_grad(_GradMode):
    """Record operations again inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradMode):
    """Record operations or not, as ``mode`` says (used by the backward pass for ``create_graph``)."""

    def __init__(self, mode):
        self.mode = bool(mode)
