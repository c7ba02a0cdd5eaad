"""Switching gradient recording on and off: ``no_grad``, ``enable_grad``, ``is_grad_enabled``."""
import copy
import functools
from .errors import names_errors

__all__ = ["enable_grad", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "no_grad", "set_grad_enabled"]

_enabled = True


@names_errors
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


class inference_mode(_GradMode):
    """As ``no_grad`` (PyTorch's faster variant; here the two are the same):
    ``inference_mode(False)`` records again."""

    _inside = False

    def __init__(self, mode=True):
        self.mode = not mode
        self.inference = bool(mode)

    def __enter__(self):
        super().__enter__()
        self._previous_inference = inference_mode._inside
        inference_mode._inside = self.inference

    def __exit__(self, *exc):
        inference_mode._inside = self._previous_inference
        return super().__exit__(*exc)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(self.inference):
                return fn(*args, **kwargs)

        return wrapper


@names_errors
def is_inference_mode_enabled():
    return inference_mode._inside
