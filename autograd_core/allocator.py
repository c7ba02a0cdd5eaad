"""Freed array memory kept for reuse: the malloc thresholds set when the package loads.

A training step allocates and frees arrays of the same sizes at every step. On Linux,
glibc's malloc serves a block above its threshold (128 KiB at first, then raised to the
largest such block freed) with fresh pages mapped from the operating system, and gives
the heap's free top back once it exceeds twice that. So the same few megabytes come back
as fresh pages at every step, a page fault per 4 KiB: 2,770 faults per step of the LSTM
benchmark (hidden 128, 50 steps, batch 32), whose step then took 46 ms instead of 25-32
ms, and 557 per LeNet-5 step (15-20% of it). Whether a process falls into this depends
on the order of its earlier allocations, which made the same program 1.5x slower in one
run than in the next.

``keep_freed_memory`` fixes both thresholds once: blocks under 32 MiB come from the heap,
and up to 256 MiB of freed heap stays with the process for the next step. The price is
memory: the process keeps its largest heap, up to 256 MiB more than it uses at the time,
until it ends. It runs when ``autograd_core`` is imported, unless the environment
variable ``AUTOGRAD_CORE_SYSTEM_MALLOC`` is set (to anything but an empty string), which
leaves malloc as it was. Elsewhere than glibc it does nothing.
"""
import ctypes
import os

__all__ = []

ENVIRONMENT_VARIABLE = "AUTOGRAD_CORE_SYSTEM_MALLOC"

# mallopt's parameter numbers, from glibc's malloc.h.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 256 << 20


def keep_freed_memory():
    """Set glibc's malloc thresholds as the module docstring says. Returns whether they
    were set: False where the C library is not glibc, or when the environment variable
    asks for the system's defaults."""
    if os.environ.get(ENVIRONMENT_VARIABLE) or not _glibc():
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    # mallopt returns 1 on success.
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


def _glibc():
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (AttributeError, ValueError, OSError):  # not a POSIX system, or not GNU
        return False
