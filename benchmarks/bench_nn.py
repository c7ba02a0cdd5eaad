"""The nn toolkit: one training step of a multilayer perceptron, as in the Fashion-MNIST
example (forward, cross-entropy, backward, SGD update), against the same in PyTorch."""
import numpy as np

from common import Case, libraries, training_step

SIZES = (784, 256, 256, 10)
BATCH = 128


def _data():
    rng = np.random.default_rng(0)
    return rng.standard_normal((BATCH, SIZES[0])).astype(np.float32), rng.integers(0, SIZES[-1], BATCH)


def _mlp_step(framework):
    def setup():
        layers, optimizers, as_tensor = libraries(framework)
        model = layers.Sequential(
            layers.Linear(SIZES[0], SIZES[1]), layers.ReLU(),
            layers.Linear(SIZES[1], SIZES[2]), layers.ReLU(),
            layers.Linear(SIZES[2], SIZES[3]),
        )
        optimizer = optimizers.SGD(model.parameters(), lr=0.01)
        x, y = (as_tensor(a) for a in _data())
        return training_step(model, optimizer, layers.CrossEntropyLoss(), x, y)

    return setup


CASES = [
    Case(
        "nn: MLP 784-256-256-10 training step (batch 128, ReLU, CE, float32)",
        ours=_mlp_step("ours"),
        torch=_mlp_step("torch"),
        target=0.8,
        repeats=50,
        warmup=5,
    ),
]
