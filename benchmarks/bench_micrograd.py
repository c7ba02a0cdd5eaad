"""micrograd's own demo, against micrograd itself: a 2-16-16-1 MLP of scalar neurons (one
graph node per multiply and add), max-margin (hinge) loss with L2 regularisation on a
batch of 32 two-moons points, backward, SGD update - the demo notebook's training step.

Ours runs the same Python on 0-d Tensors, with micrograd's initial weights: the loss and
the update are written once for both; only the value type differs.
"""
import math

import numpy as np

from common import Case

BATCH, SIZES, ALPHA, LEARNING_RATE = 32, (2, 16, 16, 1), 1e-4, 0.5


def _moons():
    """Two interleaving half circles with noise 0.1 (as scikit-learn's ``make_moons``),
    labels -1 and 1."""
    rng = np.random.default_rng(0)
    t = np.linspace(0, math.pi, BATCH // 2)
    outer = np.stack([np.cos(t), np.sin(t)], 1)
    inner = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1)
    x = np.concatenate([outer, inner]) + rng.normal(scale=0.1, size=(BATCH, 2))
    return x.tolist(), [-1.0] * (BATCH // 2) + [1.0] * (BATCH // 2)


def _demo_step(model, parameters, value, x, y, no_grad):
    """The demo's loss (hinge loss and L2 penalty), backward and SGD update."""

    def step():
        inputs = [list(map(value, row)) for row in x]
        scores = list(map(model, inputs))
        losses = [(1 + -label * score).relu() for label, score in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in parameters)
        for p in parameters:
            p.grad = no_grad
        loss.backward()
        for p in parameters:
            p.data -= LEARNING_RATE * p.grad

    return step


def _micrograd_mlp():
    import random

    from micrograd.nn import MLP

    random.seed(1337)
    return MLP(SIZES[0], list(SIZES[1:]))


def reference():
    model = _micrograd_mlp()
    from micrograd.engine import Value

    return _demo_step(model, model.parameters(), Value, *_moons(), no_grad=0)


class _Neuron:
    """micrograd's ``Neuron`` on 0-d Tensors, with a micrograd neuron's weights."""

    def __init__(self, neuron):
        import autograd_core as ag

        self.w = [ag.tensor(w.data, requires_grad=True) for w in neuron.w]
        self.b = ag.tensor(float(neuron.b.data), requires_grad=True)
        self.nonlin = neuron.nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act


def ours():
    import autograd_core as ag

    layers = [[_Neuron(n) for n in layer.neurons] for layer in _micrograd_mlp().layers]

    def model(x):
        for layer in layers:
            out = [neuron(x) for neuron in layer]
            x = out[0] if len(out) == 1 else out
        return x

    parameters = [p for layer in layers for n in layer for p in n.w + [n.b]]
    return _demo_step(model, parameters, ag.tensor, *_moons(), no_grad=None)


CASES = [
    Case(
        f"micrograd: its demo's training step, MLP {'-'.join(map(str, SIZES))} of scalar neurons, hinge loss, "
        f"batch {BATCH}",
        ours=ours,
        reference=reference,
        against="micrograd",
        target=1.0,
        repeats=10,
        warmup=2,
    ),
]
