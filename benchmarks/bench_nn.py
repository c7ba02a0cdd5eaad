"""The nn toolkit: one training step of a multilayer perceptron, as in the Fashion-MNIST
example (forward, cross-entropy, backward, SGD update), against the same in PyTorch."""
import numpy as np

from common import Case

SIZES = (784, 256, 256, 10)
BATCH = 128


def _data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((BATCH, SIZES[0])).astype(np.float32), rng.integers(0, SIZES[-1], BATCH)


def ours_mlp_step():
    import autograd_core as ag
    import nn
    import optim

    ag.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(SIZES[0], SIZES[1]), nn.ReLU(), nn.Linear(SIZES[1], SIZES[2]), nn.ReLU(), nn.Linear(SIZES[2], SIZES[3])
    )
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    x, y = _data()
    x = ag.Tensor(x)

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    return step


def torch_mlp_step():
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(), torch.nn.Linear(SIZES[1], SIZES[2]), torch.nn.ReLU(),
        torch.nn.Linear(SIZES[2], SIZES[3]),
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = _data()
    x, y = torch.from_numpy(x), torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    return step


CASES = [
    Case(
        "nn: MLP 784-256-256-10 training step (batch 128, ReLU, CE, float32)",
        ours=ours_mlp_step,
        torch=torch_mlp_step,
        target=0.8,
        repeats=50,
        warmup=5,
    ),
]
