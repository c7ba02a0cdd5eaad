"""``EarlyStopping``: stop training when the validation metric stops improving, and keep
the best model seen so far."""
import copy
import math
import numbers


class EarlyStopping:
    """Watch a validation metric once per epoch; keep a copy of the best state; say when to stop.

    ``target`` is anything with ``state_dict()`` and ``load_state_dict()`` (a model, or an
    optimizer). ``step(metric)`` returns True once the metric has gone ``patience`` epochs
    in a row without improving on the best value by more than ``min_delta`` (lower is
    better in ``mode="min"``, higher in ``"max"``; a NaN never improves). ``restore_best()``
    loads the best state back into ``target``::

        stopper = EarlyStopping(model, patience=5)
        for epoch in range(max_epochs):
            train_one_epoch(model, optimizer)
            if stopper.step(validation_loss(model)):
                break
        stopper.restore_best()

    Attributes: ``best`` (the best metric), ``best_epoch`` (0-based count of ``step``
    calls), ``num_bad_epochs``, ``should_stop``, ``best_state`` (a deep copy of
    ``target.state_dict()`` at the best epoch).
    """

    def __init__(self, target, patience=5, min_delta=0.0, mode="min"):
        if not (hasattr(target, "state_dict") and hasattr(target, "load_state_dict")):
            raise TypeError(
                f"EarlyStopping: {type(target).__name__} has no state_dict()/load_state_dict() to save and restore"
            )
        if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 0:
            raise ValueError(f"EarlyStopping: patience must be an integer >= 0, got {patience!r}")
        if not min_delta >= 0:
            raise ValueError(f"EarlyStopping: min_delta must be >= 0, got {min_delta!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' or 'max', got {mode!r}")
        self.target = target
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = None
        self.best_state = None
        self.num_bad_epochs = 0
        self.epoch = -1
        self.should_stop = False

    def is_improvement(self, metric):
        """Whether ``metric`` beats the best value so far by more than ``min_delta``."""
        if self.mode == "min":
            return metric < self.best - self.min_delta
        return metric > self.best + self.min_delta

    def step(self, metric):
        """Record this epoch's metric (a number or one-element tensor); True means stop."""
        metric = float(metric)
        self.epoch += 1
        if self.is_improvement(metric):
            self.best = metric
            self.best_epoch = self.epoch
            self.best_state = copy.deepcopy(self.target.state_dict())
            self.num_bad_epochs = 0
            self.should_stop = False
        else:
            self.num_bad_epochs += 1
            self.should_stop = self.num_bad_epochs >= self.patience
        return self.should_stop

    def restore_best(self):
        """Load the best state seen into ``target`` (and return ``target``)."""
        if self.best_state is None:
            raise RuntimeError("EarlyStopping.restore_best: no metric has improved yet, so there is no best state")
        self.target.load_state_dict(copy.deepcopy(self.best_state))
        return self.target
