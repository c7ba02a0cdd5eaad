"""Recurrent layers: one training step (forward over 50 time steps, backprop through time,
Adam update) of a one-layer LSTM and GRU, against torch.nn.LSTM/GRU with torch.optim.Adam."""
import numpy as np

from common import Case

INPUT, HIDDEN, STEPS, BATCH = 32, 128, 50, 32


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((STEPS, BATCH, INPUT)).astype(np.float32)
    target = rng.standard_normal((STEPS, BATCH, HIDDEN)).astype(np.float32)
    return x, target


def _libraries(framework):
    """(layers, optimizers, array-to-tensor) of our library or of PyTorch, seeded."""
    if framework == "ours":
        import autograd_core as ag
        import nn
        import optim

        ag.manual_seed(0)
        return nn, optim, ag.Tensor
    import torch

    torch.manual_seed(0)
    return torch.nn, torch.optim, torch.from_numpy


def _training_step(layer_name, framework):
    def setup():
        layers, optimizers, as_tensor = _libraries(framework)
        model = getattr(layers, layer_name)(INPUT, HIDDEN)
        optimizer = optimizers.Adam(model.parameters(), lr=1e-3)
        x, target = (as_tensor(a) for a in _data())

        def step():
            optimizer.zero_grad()
            output, _ = model(x)
            ((output - target) ** 2).mean().backward()
            optimizer.step()

        return step

    return setup


CASES = [
    Case(
        f"rnn: {name} training step (in {INPUT}, hidden {HIDDEN}, {STEPS} steps, batch {BATCH}, Adam)",
        ours=_training_step(name, "ours"),
        torch=_training_step(name, "torch"),
        target=1.0,
        repeats=15,
    )
    for name in ("LSTM", "GRU")
]
