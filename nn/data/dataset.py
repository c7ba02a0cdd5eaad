"""Data sets: anything with ``__getitem__`` (one example) and ``__len__``."""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor


class Dataset:
    """Base class of map-style data sets: ``dataset[i]`` is the i-th example and
    ``len(dataset)`` the number of examples."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} defines no __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} defines no __len__")


class TensorDataset(Dataset):
    """Examples are the rows of tensors (or arrays) of equal length: ``dataset[i]`` is
    ``(X[i], y[i])`` for ``TensorDataset(X, y)``, as NumPy arrays. ``transform`` (e.g.
    from ``nn.data.transforms``) is applied to the input ``X[i]`` of each example as it
    is read (``DataLoader(transform=...)`` does the same a whole batch at a time)."""

    def __init__(self, *tensors, transform=None):
        if not tensors:
            raise ValueError("TensorDataset: give at least one tensor")
        self.tensors = tuple(t.data if isinstance(t, Tensor) else np.asarray(t) for t in tensors)
        lengths = {len(t) for t in self.tensors}
        if len(lengths) != 1:
            raise ValueError(
                f"TensorDataset: tensors of different lengths {[len(t) for t in self.tensors]}; every tensor "
                "needs one row per example"
            )
        self.transform = transform

    def __getitem__(self, index):
        example = tuple(t[index] for t in self.tensors)
        if self.transform is None:
            return example
        return (self.transform(example[0]),) + example[1:]

    def __len__(self):
        return len(self.tensors[0])


class Subset(Dataset):
    """The examples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = list(indices)

    def __getitem__(self, index):
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into non-overlapping random subsets of the given lengths (or
    fractions summing to 1, as PyTorch), e.g. a training and a validation set."""
    n = len(dataset)
    lengths = list(lengths)
    if all(0 <= f <= 1 for f in lengths) and abs(sum(lengths) - 1) < 1e-9 and sum(lengths) != n:
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n:
        raise ValueError(f"random_split: lengths {lengths} do not add up to the {n} examples")
    order = ag.random.numpy_generator(generator).permutation(n)
    bounds = np.cumsum([0] + lengths)
    return [Subset(dataset, order[start:stop].tolist()) for start, stop in zip(bounds[:-1], bounds[1:])]
