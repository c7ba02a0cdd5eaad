"""Lengths and angles between vectors: ``normalize``, ``cosine_similarity`` and
``pairwise_distance``, as ``torch.nn.functional``'s, composed of the engine's norms."""
import autograd_core as ag
from autograd_core.errors import names_errors

__all__ = ["cosine_similarity", "normalize", "pairwise_distance"]


@names_errors
def normalize(input, p=2.0, dim=1, eps=1e-12):
    """v / max(||v||_p, eps) for each vector v along ``dim``."""
    norm = ag.linalg.vector_norm(input, p, dim, keepdim=True)
    return input / norm.clamp_min(eps).expand_as(input)


@names_errors
def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between x1 and x2 along ``dim`` (broadcast together):
    sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps))."""
    x1, x2 = ag.broadcast_tensors(x1, x2)
    unit1 = x1 / ag.linalg.vector_norm(x1, 2, dim, keepdim=True).clamp_min(eps)
    unit2 = x2 / ag.linalg.vector_norm(x2, 2, dim, keepdim=True).clamp_min(eps)
    return (unit1 * unit2).sum(dim)


@names_errors
def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p along the last dimension (eps keeps the gradient finite when
    the two are equal)."""
    return ag.linalg.vector_norm(x1 - x2 + eps, p, -1, keepdim)
