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


def _transform_inputs(example, transform):
    """``example`` with ``transform`` applied to its inputs: the first field of a tuple
    or list, else the whole of it."""
    if isinstance(example, (tuple, list)):
        return type(example)([transform(example[0]), *example[1:]])
    return transform(example)


class DataLoader:
    """Batches of ``dataset``: ``for X, y in DataLoader(TensorDataset(X, y), batch_size=128,
    shuffle=True, seed=0)``.

    ``shuffle`` draws a new order each epoch from ``generator`` (a
    ``numpy.random.Generator``), from a generator seeded with ``seed``, or else from the
    one ``autograd_core.manual_seed`` seeds. ``drop_last`` drops a last, smaller batch.
    ``collate_fn`` turns a list of examples into a batch (``default_collate``).
    ``transform`` (e.g. ``nn.data.transforms.RandomCrop(28, padding=2)``) is applied to
    the inputs of each batch, the first field of a tuple batch, all of them at once.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, collate_fn=None, generator=None, seed=None,
                 transform=None):
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
        self.transform = transform
        self._order_in_use = None  # the current epoch's order while an iteration runs
        self._position = 0  # batches of it handed out so far
        self._resume = None  # (order, position) that the next iteration continues from

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self):
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        return ag.random.numpy_generator(self.generator).permutation(n)

    def __iter__(self):
        if self._resume is not None:
            order, position = self._resume
            self._resume = None
        else:
            order, position = self._order(), 0
        self._order_in_use = order
        stop = min(len(self) * self.batch_size, len(order))
        for start in range(position * self.batch_size, stop, self.batch_size):
            indices = order[start : start + self.batch_size]
            batch = self.collate_fn([self.dataset[int(i)] for i in indices])
            if self.transform is not None:
                batch = _transform_inputs(batch, self.transform)
            self._position = start // self.batch_size + 1
            yield batch
        self._order_in_use = None

    def state_dict(self):
        """Where iteration stands, for a checkpoint: the current epoch's order and how many
        of its batches were handed out (while a ``for`` loop over the loader runs), and
        the state of the loader's own shuffling generator. Loading it makes the next
        ``for`` loop continue that epoch with the next batch."""
        state = {"generator": self.generator.bit_generator.state if self.generator is not None else None}
        if self._order_in_use is not None:
            state.update(order=self._order_in_use.copy(), position=self._position)
        return state

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict`` returned (nothing changes if it does not fit)."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"DataLoader.load_state_dict: expected a dict, got {type(state_dict).__name__}")
        resume = None
        if "order" in state_dict:
            order = np.asarray(state_dict["order"])
            position = state_dict.get("position")
            if order.shape != (len(self.dataset),) or order.dtype.kind not in "iu":
                raise ValueError(
                    f"DataLoader.load_state_dict: the saved order has shape {order.shape}, the data set "
                    f"has {len(self.dataset)} examples"
                )
            if not isinstance(position, numbers.Integral) or not 0 <= position <= len(self):
                raise ValueError(f"DataLoader.load_state_dict: position {position!r} is not in 0..{len(self)}")
            resume = (order, int(position))
        generator_state = state_dict.get("generator")
        if (generator_state is None) != (self.generator is None):
            raise ValueError("DataLoader.load_state_dict: the saved loader and this one differ in having their own generator")
        if generator_state is not None:
            self.generator.bit_generator.state = generator_state
        self._resume = resume
