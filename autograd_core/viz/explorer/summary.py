"""A tensor's value or gradient as the explorer page shows it, in a few kilobytes at most:
every number for small tensors; otherwise statistics and a histogram, and a heat map of a
2-D (or 3-D) tensor; a 4-D tensor also as images (the feature maps of the first example,
or a convolution's filters). Pictures are quantised to one byte per pixel."""
import base64

import numpy as np

# Tensors with at most this many elements are shown number by number.
FULL_ELEMENTS = 64
HISTOGRAM_BINS = 24
# Pixels of a heat map; larger matrices are shown every n-th row and column.
HEAT_PIXELS = 128 * 512
# Filters or feature maps shown as images, at most.
MAX_IMAGES = 96


def summarise(array, filters=False):
    """A JSON-ready description of ``array``; ``filters=True`` for a 4-D parameter (its
    images are the filters, one per output and input channel) rather than a batch of
    feature maps (whose images are the channels of the first example)."""
    array = np.asarray(array)
    info = {"shape": list(array.shape), "dtype": array.dtype.name}
    if array.dtype.kind not in "fcbiu":
        return info
    values = array.astype(np.float64, copy=False)
    if array.size <= FULL_ELEMENTS:
        info["values"] = _plain(array)
    else:
        finite = values[np.isfinite(values)]
        info["stats"] = _statistics(values, finite)
        info["histogram"] = _histogram(finite)
        if array.ndim in (2, 3):
            matrix, caption = (values, "") if array.ndim == 2 else (values[0], "[0]: the first example")
            info["heatmap"] = _heatmap(matrix, caption)
    if array.ndim == 4 and array.size:
        info["images"] = _images(values, filters)
    return info


def _number(x):
    """A float for JSON, which has no NaN or infinity: those become strings."""
    x = float(x)
    return x if np.isfinite(x) else str(x)


def _plain(array):
    if array.ndim == 0:
        return _number(array)
    return [_plain(row) for row in array]


def _round(x):
    return float(f"{x:.6g}")


def _statistics(values, finite):
    if finite.size == 0:
        return {"nonfinite": int(values.size)}
    return {
        "min": _round(finite.min()),
        "max": _round(finite.max()),
        "mean": _round(finite.mean()),
        "std": _round(finite.std()),
        "norm": _round(np.linalg.norm(finite)),
        "zeros": _round(np.count_nonzero(finite == 0) / values.size),
        "nonfinite": int(values.size - finite.size),
    }


def _histogram(finite):
    if finite.size == 0:
        return None
    counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS)
    return {"lo": _round(edges[0]), "hi": _round(edges[-1]), "counts": counts.tolist()}


def _range(values):
    """The colour scale: symmetric about 0 (diverging) when the values have both signs."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 0.0, 1.0, False
    lo, hi = float(finite.min()), float(finite.max())
    if lo < 0 < hi:
        m = max(-lo, hi)
        return -m, m, True
    return lo, hi, False


def _quantise(values, lo, hi):
    span = hi - lo
    scaled = np.full(values.shape, 0.5) if span <= 0 else (values - lo) / span
    scaled = np.nan_to_num(scaled, nan=0.5, posinf=1.0, neginf=0.0)
    pixels = np.round(np.clip(scaled, 0, 1) * 255).astype(np.uint8)
    return base64.b64encode(pixels.tobytes()).decode("ascii")


def _heatmap(matrix, caption):
    rows, cols = matrix.shape
    step = max(1, int(np.ceil(np.sqrt(rows * cols / HEAT_PIXELS))))
    if step > 1:
        matrix = matrix[::step, ::step]
        caption = (caption + "; " if caption else "") + f"every {step}th row and column"
    lo, hi, diverging = _range(matrix)
    return {
        "rows": matrix.shape[0], "cols": matrix.shape[1], "lo": _round(lo), "hi": _round(hi),
        "diverging": diverging, "caption": caption, "pixels": _quantise(matrix, lo, hi),
    }


def _images(values, filters):
    if filters:
        stack = values.reshape(-1, *values.shape[2:])
        caption = f"{values.shape[0]} x {values.shape[1]} filters (output x input channel)"
        columns = values.shape[1]
    else:
        stack = values[0]
        caption = f"the {values.shape[1]} channels of the first example"
        columns = min(values.shape[1], 4)
    if len(stack) > MAX_IMAGES:
        caption += f"; the first {MAX_IMAGES}"
        stack = stack[:MAX_IMAGES]
    lo, hi, diverging = _range(stack)
    return {
        "count": len(stack), "height": stack.shape[1], "width": stack.shape[2], "columns": max(1, min(columns, 8)),
        "lo": _round(lo), "hi": _round(hi), "diverging": diverging, "caption": caption,
        "pixels": _quantise(stack, lo, hi),
    }
