"""Recurrent layers: one training step (forward over 50 time steps, backprop through time,
Adam update) of a one-layer LSTM and GRU, against torch.nn.LSTM/GRU with torch.optim.Adam."""
import numpy as np

from common import Case, libraries, training_step

INPUT, HIDDEN, STEPS, BATCH = 32, 128, 50, 32


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((STEPS, BATCH, INPUT)).astype(np.float32)
    target = rng.standard_normal((STEPS, BATCH, HIDDEN)).astype(np.float32)
    return x, target


def _mean_squared_error(output, target):
    return ((output[0] - target) ** 2).mean()


def _training_step(layer_name, framework):
    def setup():
        layers, optimizers, as_tensor = libraries(framework)
        model = getattr(layers, layer_name)(INPUT, HIDDEN)
        optimizer = optimizers.Adam(model.parameters(), lr=1e-3)
        x, target = (as_tensor(a) for a in _data())
        return training_step(model, optimizer, _mean_squared_error, x, target)

    return setup


CASES = [
    Case(
        f"rnn: {name} training step (in {INPUT}, hidden {HIDDEN}, {STEPS} steps, batch {BATCH}, Adam)",
        ours=_training_step(name, "ours"),
        reference=_training_step(name, "torch"),
        target=target,
        repeats=15,
    )
    for name, target in (("LSTM", 1.5), ("GRU", 0.8))
]
