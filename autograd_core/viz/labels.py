"""Short text for what a drawing or a chain-rule line shows: values, shapes and the
hyper-parameters of an op, kept to a few characters each so that graphs stay readable."""
import functools
import inspect

import numpy as np

MAX_ATTR_CHARS = 40


def shape_text(shape, dtype):
    """``(2, 3) float32``, or ``scalar float32`` for a 0-d tensor."""
    dims = "scalar" if len(shape) == 0 else str(tuple(shape))
    return f"{dims} {np.dtype(dtype).name}"


def array_text(array, max_elements):
    """The values of a small array on one line (``None`` if it has more than
    ``max_elements`` elements): ``2.0000`` or ``[1.0000, -0.5000]``."""
    array = np.asarray(array)
    if array.size > max_elements:
        return None
    if array.ndim == 0:
        value = array.item()
        return f"{value:.4f}" if isinstance(value, float) else str(value)
    text = np.array2string(array, precision=4, separator=", ", floatmode="fixed", max_line_width=10_000)
    return " ".join(text.split()).replace("[ ", "[")


def summary_text(array, max_elements):
    """What a drawing writes for a value or gradient: its values if it has at most
    ``max_elements`` elements, else its norm."""
    return array_text(array, max_elements) or norm_text(array)


def norm_text(array):
    """``‖·‖ = 1.234``: a one-number summary of a large gradient."""
    return f"\u2016\u00b7\u2016 = {float(np.linalg.norm(np.asarray(array, dtype=np.float64))):.4g}"


def op_attrs(node):
    """The hyper-parameters ``node``'s op was called with, as ``["dim=1", "keepdim=True"]``:
    those left at the op's defaults (or None) are left out, long values shortened."""
    defaults = _forward_defaults(getattr(node, "op_class", type(node)))  # a TracedNode names its op
    items = []
    for key, value in getattr(node, "attrs", {}).items():
        if value is None or _is_default(value, defaults.get(key, inspect.Parameter.empty)):
            continue
        items.append(f"{key}={_shorten(value_text(value))}")
    return items


@functools.lru_cache(maxsize=None)
def _forward_defaults(op):
    try:
        parameters = inspect.signature(op.forward).parameters.values()
    except (TypeError, ValueError):
        return {}
    return {p.name: p.default for p in parameters if p.default is not inspect.Parameter.empty}


def _is_default(value, default):
    if default is inspect.Parameter.empty or isinstance(value, np.ndarray) or isinstance(default, np.ndarray):
        return False
    try:
        return type(value) is type(default) and bool(value == default)
    except (TypeError, ValueError):
        return False


def value_text(value):
    """A hyper-parameter value as it would be written in Python, shortened for arrays
    and indices: ``(0, 2)``, ``[:, 1:3]``, ``array(shape=(5,))``."""
    if isinstance(value, np.ndarray):
        small = array_text(value, 6)
        return small if small is not None else f"array(shape={value.shape})"
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return np.dtype(value).name
    if isinstance(value, slice):
        return _slice_text(value)
    if value is Ellipsis:
        return "..."
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        inner = ", ".join(value_text(v) for v in value)
        if any(isinstance(v, slice) or v is Ellipsis for v in value):
            return f"[{inner}]"
        if isinstance(value, tuple):
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"[{inner}]"
    return repr(value)


def _slice_text(s):
    parts = ["" if s.start is None else str(s.start), "" if s.stop is None else str(s.stop)]
    if s.step is not None:
        parts.append(str(s.step))
    return ":".join(parts)


def _shorten(text):
    return text if len(text) <= MAX_ATTR_CHARS else text[: MAX_ATTR_CHARS - 1] + "\u2026"
