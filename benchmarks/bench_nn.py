"""The nn toolkit: one training step of a multilayer perceptron (forward, cross-entropy,
backward, SGD update) against the same in PyTorch, at the Fashion-MNIST example's size and
at micrograd's (2-16-16-2, where per-op overhead is all there is)."""
import numpy as np

from common import Case, libraries, training_step


def _data(sizes, batch):
    rng = np.random.default_rng(0)
    return rng.standard_normal((batch, sizes[0])).astype(np.float32), rng.integers(0, sizes[-1], batch)


def _mlp_step(framework, sizes, batch):
    def setup():
        layers, optimizers, as_tensor = libraries(framework)
        stack = []
        for fan_in, fan_out in zip(sizes, sizes[1:]):
            stack += [layers.Linear(fan_in, fan_out), layers.ReLU()]
        model = layers.Sequential(*stack[:-1])
        optimizer = optimizers.SGD(model.parameters(), lr=0.01)
        x, y = (as_tensor(a) for a in _data(sizes, batch))
        return training_step(model, optimizer, layers.CrossEntropyLoss(), x, y)

    return setup


def _case(sizes, batch, target, repeats):
    return Case(
        f"nn: MLP {'-'.join(map(str, sizes))} training step (batch {batch}, ReLU, CE, float32)",
        ours=_mlp_step("ours", sizes, batch),
        reference=_mlp_step("torch", sizes, batch),
        target=target,
        repeats=repeats,
        warmup=5,
    )


CASES = [_case((784, 256, 256, 10), 128, 0.9, 50), _case((2, 16, 16, 2), 32, None, 200)]
