"""EarlyStopping: patience, min_delta, modes, and restoring the best state."""
import numpy as np
import pytest

import autograd_core as ag
from optim import SGD, EarlyStopping


class Weights:
    """The smallest object with state_dict()/load_state_dict(): one array."""

    def __init__(self):
        self.w = ag.tensor(np.zeros(3), requires_grad=True)

    def state_dict(self):
        return {"w": self.w.data}

    def load_state_dict(self, state):
        with ag.no_grad():
            self.w.copy_(state["w"])


def test_stops_after_patience_bad_epochs_and_restores_the_best_weights():
    """A U-shaped validation curve: the best epoch is 3; with patience 3 training stops at
    epoch 6, and the weights of epoch 3 come back."""
    model = Weights()
    stopper = EarlyStopping(model, patience=3)
    curve = [5.0, 3.0, 2.0, 1.5, 1.6, 1.8, 2.5, 3.0]
    stops = []
    for epoch, loss in enumerate(curve):
        with ag.no_grad():
            model.w.fill_(epoch)
        stops.append(stopper.step(loss))
        if stops[-1]:
            break
    assert stops == [False] * 6 + [True]
    assert stopper.best == 1.5 and stopper.best_epoch == 3 and stopper.should_stop
    np.testing.assert_array_equal(model.w.data, 6.0)
    assert stopper.restore_best() is model
    np.testing.assert_array_equal(model.w.data, 3.0)


def test_the_best_state_is_a_copy_not_a_view():
    model = Weights()
    stopper = EarlyStopping(model)
    stopper.step(1.0)
    with ag.no_grad():
        model.w.add_(5.0)
    np.testing.assert_array_equal(stopper.best_state["w"], 0.0)


def test_min_delta_and_max_mode():
    model = Weights()
    stopper = EarlyStopping(model, patience=2, min_delta=0.1, mode="max")
    assert not stopper.step(0.50)
    assert not stopper.step(0.55)  # not better by more than 0.1: a bad epoch
    assert not stopper.step(0.70)  # better: the counter resets
    assert stopper.best == 0.70 and stopper.num_bad_epochs == 0
    assert not stopper.step(0.75)
    assert stopper.step(float("nan"))


def test_works_with_an_optimizer_and_a_tensor_metric():
    w = ag.tensor(np.ones(2), requires_grad=True)
    optimizer = SGD([w], lr=0.1)
    stopper = EarlyStopping(optimizer, patience=1)
    stopper.step(ag.tensor(1.0))
    optimizer.param_groups[0]["lr"] = 0.5
    assert stopper.step(ag.tensor(2.0))
    stopper.restore_best()
    assert optimizer.param_groups[0]["lr"] == 0.1


def test_bad_arguments():
    with pytest.raises(TypeError, match="EarlyStopping: list has no state_dict"):
        EarlyStopping([])
    with pytest.raises(ValueError, match="patience must be an integer >= 0, got -1"):
        EarlyStopping(Weights(), patience=-1)
    with pytest.raises(ValueError, match="min_delta must be >= 0"):
        EarlyStopping(Weights(), min_delta=-0.1)
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        EarlyStopping(Weights(), mode="up")
    with pytest.raises(RuntimeError, match="no metric has improved yet"):
        EarlyStopping(Weights()).restore_best()
