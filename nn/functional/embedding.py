"""Embedding lookup and one-hot encoding.

Looking up row i of a weight matrix is the same as multiplying the one-hot vector of i
by it, without building the one-hot vector: the gradient of a row is the sum of the
gradients of every position that looked it up.
"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core.errors import names_errors


def _indices(input, op, size):
    indices = input.data if isinstance(input, Tensor) else np.asarray(input)
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, got {indices.dtype}")
    if indices.size and (indices.min() < 0 or indices.max() >= size):
        bad = indices.min() if indices.min() < 0 else indices.max()
        raise IndexError(f"{op}: index {bad} is out of range for {size} rows")
    return indices


@names_errors
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0):
    """Rows of ``weight`` (num_embeddings, embedding_dim) at the integer ``input``
    indices: output shape ``input.shape + (embedding_dim,)``.

    Rows at ``padding_idx`` get no gradient. With ``max_norm``, the rows looked up whose
    ``norm_type``-norm exceeds it are rescaled to that norm in place first, as PyTorch.
    """
    num_embeddings = weight.shape[0]
    indices = _indices(input, "embedding", num_embeddings)
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise ValueError(f"embedding: padding_idx {padding_idx} is out of range for {num_embeddings} rows")
        padding_idx %= num_embeddings
    if max_norm is not None:
        rows = np.unique(indices)
        norms = np.linalg.norm(weight.data[rows], ord=norm_type, axis=1, keepdims=True)
        scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        with ag.no_grad():
            weight[rows] = weight.data[rows] * scale
    looked_up = weight[indices]
    if padding_idx is None:
        return looked_up
    keep = (indices != padding_idx)[..., None]
    return ag.where(keep, looked_up, weight.data[indices])


@names_errors
def one_hot(tensor, num_classes=-1):
    """Integer class indices (any shape) as one-hot vectors along a new last dimension,
    int64 as ``torch.nn.functional.one_hot``; ``num_classes=-1`` means max + 1."""
    indices = tensor.data if isinstance(tensor, Tensor) else np.asarray(tensor)
    if num_classes == -1:
        num_classes = int(indices.max()) + 1 if indices.size else 0
    indices = _indices(indices, "one_hot", num_classes)
    return Tensor(np.eye(num_classes, dtype=np.int64)[indices])
