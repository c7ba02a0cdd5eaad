"""Optimizer step speed: Adam over a 1M-parameter model split across 20 tensors, against
PyTorch's multi-tensor (``foreach``) Adam. Gradients are set once; only ``step()`` is timed."""
import numpy as np

from common import Case

# Ten weight matrices and ten bias-sized vectors: 10 * 250 * 392 + 10 * 2000 = 1,000,000.
SHAPES = [(250, 392)] * 10 + [(2000,)] * 10


def _arrays():
    rng = np.random.default_rng(0)
    params = [rng.standard_normal(s, dtype=np.float32) for s in SHAPES]
    grads = [rng.standard_normal(s, dtype=np.float32) for s in SHAPES]
    return params, grads


def ours_adam():
    import autograd_core as ag
    import optim

    params, grads = _arrays()
    tensors = [ag.Tensor(p, requires_grad=True) for p in params]
    for t, g in zip(tensors, grads):
        t.grad = g
    return optim.Adam(tensors, lr=1e-3).step


def torch_adam():
    import torch

    params, grads = _arrays()
    tensors = [torch.tensor(p, requires_grad=True) for p in params]
    for t, g in zip(tensors, grads):
        t.grad = torch.tensor(g)
    return torch.optim.Adam(tensors, lr=1e-3, foreach=True).step


CASES = [
    Case("optim: Adam step, 1M params in 20 tensors", ours=ours_adam, reference=torch_adam, target=1.5),
]
