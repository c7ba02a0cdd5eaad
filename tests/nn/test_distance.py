"""normalize, cosine_similarity, pairwise_distance (nn/functional/distance.py) and their
modules (nn/distance.py): values and gradients against PyTorch, gradcheck, gradgradcheck."""
import numpy as np
import pytest
import torch

import autograd_core as ag
import nn
import nn.functional as F

RNG = np.random.default_rng(0)

CASES = [
    ("normalize", (RNG.normal(size=(3, 4)),), {}),
    ("normalize", (RNG.normal(size=(3, 4)),), {"p": 1.0, "dim": 0}),
    ("normalize", (RNG.normal(size=(2, 3, 4)),), {"dim": -1}),
    ("normalize", (np.zeros((2, 3)),), {}),
    ("cosine_similarity", (RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))), {}),
    ("cosine_similarity", (RNG.normal(size=(3, 4)), RNG.normal(size=(4,))), {"dim": -1}),
    ("cosine_similarity", (RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 3, 4))), {"dim": 0}),
    ("pairwise_distance", (RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4))), {}),
    ("pairwise_distance", (RNG.normal(size=(3, 4)), RNG.normal(size=(4,))), {"p": 1.0, "keepdim": True}),
    ("pairwise_distance", (RNG.normal(size=(4,)), RNG.normal(size=(4,))), {"p": 3.0}),
]


@pytest.mark.parametrize("name,args,kwargs", CASES, ids=[c[0] for c in CASES])
def test_matches_pytorch(name, args, kwargs):
    ours = [ag.tensor(a, requires_grad=True) for a in args]
    theirs = [torch.tensor(a, requires_grad=True) for a in args]
    out = getattr(F, name)(*ours, **kwargs)
    expected = getattr(torch.nn.functional, name)(*theirs, **kwargs)
    assert out.shape == tuple(expected.shape) and out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-7, atol=1e-12)
    weights = RNG.normal(size=out.shape)
    (out * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=1e-6, atol=1e-10)
    if np.all(args[0] != 0):
        leaves = [ag.tensor(a, requires_grad=True) for a in args]
        assert ag.gradcheck(lambda *xs: getattr(F, name)(*xs, **kwargs), leaves)
        assert ag.gradgradcheck(lambda *xs: getattr(F, name)(*xs, **kwargs), leaves)


def test_modules():
    x1, x2 = RNG.normal(size=(3, 5)), RNG.normal(size=(3, 5))
    cos = nn.CosineSimilarity(dim=1, eps=1e-6)
    np.testing.assert_allclose(
        cos(ag.tensor(x1), ag.tensor(x2)).data,
        torch.nn.CosineSimilarity(dim=1, eps=1e-6)(torch.tensor(x1), torch.tensor(x2)).numpy(),
    )
    dist = nn.PairwiseDistance(p=1.0, keepdim=True)
    np.testing.assert_allclose(
        dist(ag.tensor(x1), ag.tensor(x2)).data,
        torch.nn.PairwiseDistance(p=1.0, keepdim=True)(torch.tensor(x1), torch.tensor(x2)).numpy(),
    )
    assert "dim=1" in repr(cos) and "p=1.0" in repr(dist)
