"""``DataLoader``: iterate over a data set in mini-batches, shuffled anew each epoch.

Mini-batch SGD, as the notes describe it: shuffle, then cycle through batches; each
example is seen exactly once per epoch.
"""
import math
import numbers

import numpy as np

import autograd_core as ag
from autograd_core import Tensor


def default_collate(examples):
    """Stack a list of examples into a batch: arrays and numbers become Tensors with a
    leading batch dimension; tuples, lists and dicts are collated field by field."""
    first = examples[0]
    if isinstance(first, (tuple, list)):
        return type(first)(default_collate(list(field)) for field in zip(*examples))
    if isinstance(first, dict):
        return {key: default_collate([e[key] for e in examples]) for key in first}
    if isinstance(first, Tensor):
        return Tensor(np.stack([e.data for e in examples]))
    if isinstance(first, (np.ndarray, np.generic, numbers.Number)):
        batch = np.stack([np.asarray(e) for e in examples])
        if batch.dtype == np.float64 and isinstance(first, float):
            batch = batch.astype(np.float32)
        return Tensor(batch)
    return list(examples)


class DataLoader:
    """Batches of ``dataset``: ``for X, y in DataLoader(TensorDataset(X, y), batch_size=128,
    shuffle=True, seed=0)``.

    ``shuffle`` draws a new order each epoch from ``generator`` (a
    ``numpy.random.Generator``), from a generator seeded with ``seed``, or else from the
    one ``autograd_core.manual_seed`` seeds. ``drop_last`` drops a last, smaller batch.
    ``collate_fn`` turns a list of examples into a batch (``default_collate``).
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, collate_fn=None, generator=None, seed=None):
        if not isinstance(batch_size, numbers.Integral) or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        if generator is not None and seed is not None:
            raise ValueError("DataLoader: give generator or seed, not both")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.collate_fn = collate_fn or default_collate
        self.generator = np.random.default_rng(seed) if seed is not None else generator

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self):
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        return ag.random.numpy_generator(self.generator).permutation(n)

    def __iter__(self):
        order = self._order()
        stop = len(self) * self.batch_size
        for start in range(0, min(stop, len(order)), self.batch_size):
            indices = order[start : start + self.batch_size]
            yield self.collate_fn([self.dataset[int(i)] for i in indices])
