"""The bootstrap: resample a data set with replacement, the basis of bagging."""
import autograd_core as ag

from .dataset import Subset


def bootstrap(dataset, generator=None):
    """A bootstrap sample of ``dataset``: as many examples as it has, drawn uniformly
    with replacement, so some appear several times and about 1/e (37%) of them not at
    all (those are ``set(range(len(dataset))) - set(sample.indices)``, the out-of-bag
    examples). Draws from ``generator`` or the generator ``autograd_core.manual_seed``
    seeds. Train one model per sample and average them: bagging."""
    n = len(dataset)
    if n == 0:
        raise ValueError("bootstrap: the data set is empty")
    indices = ag.random.numpy_generator(generator).integers(0, n, n)
    return Subset(dataset, indices.tolist())
