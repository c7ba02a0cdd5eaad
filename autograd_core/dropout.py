"""Dropout's random mask as an op, so that a traced program (``autograd_core.compile``)
draws a fresh mask each time it runs instead of replaying the one drawn while tracing."""
import numpy as np

from . import random
from .function import Function


class DropoutMask(Function):
    """0 with probability ``p``, else 1 / (1 - p), in an array of ``shape`` and ``dtype``,
    drawn from the generator ``manual_seed`` seeds. Takes no tensor, so it is a constant
    to the graph; ``x * mask`` is inverted dropout."""

    def forward(self, shape, p, dtype):
        keep = random.default_generator().random(shape, dtype=dtype) >= p
        return keep * np.asarray(1.0 / (1.0 - p), dtype=dtype)


def dropout_mask(shape, p, dtype):
    """A fresh mask for inverted dropout (see ``DropoutMask``)."""
    return DropoutMask.apply(shape=tuple(shape), p=float(p), dtype=np.dtype(dtype))
