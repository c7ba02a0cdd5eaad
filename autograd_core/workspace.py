"""Scratch arrays kept from one call to the next, per shape: the padded inputs and window
matrices of convolutions, which a training loop asks for in the same shapes at every
step.

Kept, a block costs its memory once: a padded input's border stays zero from its first
use, so each step writes only the interior, and the block is not allocated again. Where
malloc hands freed blocks of a few MiB back to the operating system (elsewhere than glibc,
or with ``allocator``'s setting turned off), allocated afresh they would also be mapped
again at every step, a page fault per 4 KiB touched. A scratch array never leaves the
operation that asked for it: it is overwritten by the next call of the same kind.
"""
import collections
import threading

import numpy as np

#: How many scratch arrays a thread keeps (the least recently used go first). A
#: convolution asks for up to seven per shape it meets (padded input, window matrices and
#: products, the last chunk of the batch having its own): LeNet-5's step uses 16.
LIMIT = 32

_local = threading.local()


def scratch(role, shape, dtype, tail=0):
    """An array of ``shape`` and ``dtype`` for ``role``, followed in memory by ``tail``
    elements; the same one as the last call with the same arguments, contents and all.
    The first call zero-fills it, so a caller that only ever writes the same region
    (the interior of a zero-padded array) finds the rest still zero."""
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = collections.OrderedDict()
    key = (role, tuple(shape), np.dtype(dtype), tail)
    array = cache.pop(key, None)
    if array is None:
        size = int(np.prod(shape, dtype=np.int64))
        array = np.zeros(size + tail, dtype=dtype)[:size].reshape(shape)
    cache[key] = array
    while len(cache) > LIMIT:
        cache.popitem(last=False)
    return array
