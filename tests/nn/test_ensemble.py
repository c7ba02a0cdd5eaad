"""Ensemble (nn/ensemble.py): each mode against a hand computation; gradients reach every
member; train/eval reach every member; errors."""
import numpy as np
import pytest

import autograd_core as ag
import nn


class Fixed(nn.Module):
    """A model that returns the same logits whatever its input."""

    def __init__(self, logits):
        super().__init__()
        self.logits = ag.Tensor(np.asarray(logits, dtype=np.float64))

    def forward(self, x):
        return self.logits


LOGITS = [[[2.0, 0.0, 0.0], [0.0, 0.0, 0.5]], [[0.0, 3.0, 0.0], [0.0, 0.0, 0.5]], [[1.0, 0.0, 0.0], [9.0, 0.0, 0.0]]]


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_mean_mode():
    out = nn.Ensemble([Fixed(l) for l in LOGITS])(None)
    np.testing.assert_allclose(out.data, np.mean(LOGITS, axis=0))


def test_softmax_mode():
    out = nn.Ensemble([Fixed(l) for l in LOGITS], mode="softmax")(None)
    np.testing.assert_allclose(out.data, np.mean([softmax(np.array(l)) for l in LOGITS], axis=0))
    np.testing.assert_allclose(out.data.sum(axis=1), 1.0)


def test_vote_mode():
    out = nn.Ensemble([Fixed(l) for l in LOGITS], mode="vote")(None)
    # Row 0: votes for classes 0, 1, 0; row 1: 2, 2, 0.
    np.testing.assert_allclose(out.data, [[2 / 3, 1 / 3, 0], [1 / 3, 0, 2 / 3]])
    assert out.data.argmax(axis=1).tolist() == [0, 2]
    # Averaging probabilities can disagree with the vote: model 3 is very sure of class 0 in row 1.
    assert nn.Ensemble([Fixed(l) for l in LOGITS], mode="softmax")(None).data[1].argmax() == 0


def test_gradients_reach_every_member_and_modes_propagate(rng):
    models = [nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.5), nn.Linear(4, 2)) for _ in range(3)]
    ensemble = nn.Ensemble(models, mode="softmax").double()
    x = ag.Tensor(rng.standard_normal((5, 3)))
    ensemble(x).log().mean().backward()
    assert all(m[0].weight.grad is not None and np.abs(m[0].weight.grad).sum() > 0 for m in models)
    assert len(list(ensemble.parameters())) == 12
    ensemble.eval()
    assert not any(m.training for m in ensemble.modules())
    expected = np.mean([softmax(m(x).data) for m in models], axis=0)
    np.testing.assert_allclose(ensemble(x).data, expected, rtol=1e-12)


def test_errors():
    with pytest.raises(ValueError, match="Ensemble: mode must be"):
        nn.Ensemble([nn.Linear(2, 2)], mode="median")
    with pytest.raises(ValueError, match="Ensemble: give at least one model"):
        nn.Ensemble([])
