"""Learning-rate schedules: change each parameter group's ``lr`` as training goes on.

Same names, arguments, defaults and sequences as ``torch.optim.lr_scheduler``. Call
``scheduler.step()`` once per epoch (or per iteration), after ``optimizer.step()``::

    optimizer = optim.SGD(model.parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(model, optimizer)
        scheduler.step()

Creating a scheduler records each group's starting ``lr`` as ``group["initial_lr"]``
(``base_lrs``) and sets the learning rate for epoch 0. ``last_epoch`` counts the
``step()`` calls. As in PyTorch, most schedules update the *current* ``lr`` by a factor
(the "chainable" form), so that two schedulers on one optimizer compose; the docstrings
give the closed form that the sequence equals when a scheduler runs alone.
``ReduceLROnPlateau`` instead watches a validation metric: ``scheduler.step(val_loss)``.
The deprecated ``step(epoch)`` argument of PyTorch is not supported.
"""
import collections
import math
import numbers

from autograd_core import errors

from .optimizer import Optimizer


class LRScheduler(errors.NamedInit):
    """Base class: subclasses write ``get_lr()``, the learning rates for ``last_epoch``."""

    def __init__(self, optimizer, last_epoch=-1):
        _check_optimizer(type(self).__name__, optimizer)
        self.optimizer = optimizer
        before = [dict(group) for group in optimizer.param_groups]
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise ValueError(
                        f"{type(self).__name__}: param_groups[{i}] has no 'initial_lr', needed to resume "
                        f"with last_epoch={last_epoch}; load the optimizer's state_dict first"
                    )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._is_initial = True
        try:
            self.step()
        except Exception:
            # A scheduler that cannot compute its first rates leaves the optimizer as it was.
            for group, saved in zip(optimizer.param_groups, before):
                group.clear()
                group.update(saved)
            raise
        self._is_initial = False

    def get_lr(self):
        """The learning rate of each group at epoch ``last_epoch`` (use ``get_last_lr()`` to read it)."""
        raise NotImplementedError

    def _current_lrs(self):
        return [group["lr"] for group in self.optimizer.param_groups]

    def step(self):
        """Advance one epoch and set each group's ``lr``."""
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = self._current_lrs()

    def get_last_lr(self):
        """The learning rates the last ``step()`` set, one per parameter group."""
        return list(self._last_lr)

    def state_dict(self):
        """Everything but the optimizer (save the optimizer's own ``state_dict`` too)."""
        return {key: _copy(value) for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict`` returned (nothing changes if it does not fit)."""
        name = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise TypeError(f"{name}: expected the dict that state_dict() returns, got {type(state_dict).__name__}")
        own = self.state_dict()
        for key, value in state_dict.items():
            if key not in own:
                raise ValueError(f"{name}: unexpected entry {key!r}")
            if type(value) is not type(own[key]) and not (
                isinstance(value, numbers.Real) and isinstance(own[key], numbers.Real) and not isinstance(value, bool)
            ):
                raise TypeError(f"{name}: {key!r} should be a {type(own[key]).__name__}, got {type(value).__name__}")
        self.__dict__.update({key: _copy(value) for key, value in state_dict.items()})


def _copy(value):
    return type(value)(value) if isinstance(value, (list, dict, collections.Counter)) else value


def _check_optimizer(owner, optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{owner}: {type(optimizer).__name__} is not an Optimizer")


def _one_per_group(owner, name, value, optimizer):
    """A list with one entry per parameter group: ``value`` itself if it is a list or
    tuple of the right length, else ``value`` repeated."""
    _check_optimizer(owner, optimizer)
    groups = len(optimizer.param_groups)
    if not isinstance(value, (list, tuple)):
        return [value] * groups
    if len(value) != groups:
        raise ValueError(f"{owner}: expected {groups} {name} (one per group), got {len(value)}")
    return list(value)


def _check_positive_int(owner, name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{owner}: {name} must be a positive integer, got {value!r}")


class LambdaLR(LRScheduler):
    """``lr = base_lr * lr_lambda(epoch)``; ``lr_lambda`` is a function of the epoch, or a
    list of them, one per group. For example ``lambda epoch: 1 / (1 + 0.1 * epoch)``
    gives the course notes' 1 / (a + b * epoch) decay (with the initial lr as 1 / a)."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        self.lr_lambdas = _one_per_group("LambdaLR", "lr_lambdas", lr_lambda, optimizer)
        odd = [type(fn).__name__ for fn in self.lr_lambdas if not callable(fn)]
        if odd:
            raise TypeError(f"LambdaLR: lr_lambda must be a function of the epoch (or one per group), got {', '.join(odd)}")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * fn(self.last_epoch) for fn, base_lr in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self):
        """As the base class, without the functions (they are code, not state)."""
        state = super().state_dict()
        del state["lr_lambdas"]
        return state


class StepLR(LRScheduler):
    """Multiply the lr by ``gamma`` every ``step_size`` epochs:
    ``lr = base_lr * gamma ** (epoch // step_size)``."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        _check_positive_int("StepLR", "step_size", step_size)
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class MultiStepLR(LRScheduler):
    """Multiply the lr by ``gamma`` at each epoch listed in ``milestones``:
    ``lr = base_lr * gamma ** (number of milestones <= epoch)``."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        self.milestones = collections.Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch not in self.milestones:
            return self._current_lrs()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current_lrs()]


class ExponentialLR(LRScheduler):
    """Multiply the lr by ``gamma`` every epoch: ``lr = base_lr * gamma ** epoch``."""

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class CosineAnnealingLR(LRScheduler):
    """Half a cosine from ``base_lr`` down to ``eta_min`` over ``T_max`` epochs:
    ``lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``.

    Computed recursively from the current lr, as PyTorch does; past ``T_max`` the lr
    climbs back up along the same cosine (no restart)."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        _check_positive_int("CosineAnnealingLR", "T_max", T_max)
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return self._current_lrs()
        epoch, period, floor = self.last_epoch, self.T_max, self.eta_min
        if (epoch - 1 - period) % (2 * period) == 0:
            # At the bottom of the cosine the ratio below is 0/0: step up from eta_min instead.
            rise = (1 - math.cos(math.pi / period)) / 2
            return [lr + (base_lr - floor) * rise for lr, base_lr in zip(self._current_lrs(), self.base_lrs)]
        ratio = (1 + math.cos(math.pi * epoch / period)) / (1 + math.cos(math.pi * (epoch - 1) / period))
        return [floor + ratio * (lr - floor) for lr in self._current_lrs()]


class LinearLR(LRScheduler):
    """Multiply the lr by a factor going linearly from ``start_factor`` to ``end_factor``
    over ``total_iters`` epochs (a warm-up when start < end):
    ``lr = base_lr * (start + (end - start) * min(epoch, total_iters) / total_iters)``."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1):
        if not 0 < start_factor <= 1:
            raise ValueError(f"LinearLR: start_factor must be in (0, 1], got {start_factor!r}")
        if not 0 <= end_factor <= 1:
            raise ValueError(f"LinearLR: end_factor must be in [0, 1], got {end_factor!r}")
        _check_positive_int("LinearLR", "total_iters", total_iters)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [lr * self.start_factor for lr in self._current_lrs()]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        # The ratio of consecutive factors of the closed form.
        change = self.end_factor - self.start_factor
        ratio = 1 + change / (self.total_iters * self.start_factor + (self.last_epoch - 1) * change)
        return [lr * ratio for lr in self._current_lrs()]


class ReduceLROnPlateau(LRScheduler):
    """Multiply the lr by ``factor`` when a metric has not improved for more than
    ``patience`` epochs: call ``scheduler.step(val_loss)`` after each evaluation.

    ``mode="min"`` means lower is better (``"max"`` for accuracy). An improvement must beat
    the best value by ``threshold``: relatively (``best * (1 - threshold)`` in min mode)
    with ``threshold_mode="rel"``, by an absolute amount with ``"abs"``. After a reduction
    the scheduler waits ``cooldown`` epochs before counting bad epochs again. The lr never
    goes below ``min_lr`` (a number or one per group), and changes smaller than ``eps``
    are skipped.
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
                 cooldown=0, min_lr=0, eps=1e-8):
        _check_optimizer("ReduceLROnPlateau", optimizer)
        if not factor < 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be < 1.0, got {factor!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"ReduceLROnPlateau: mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"ReduceLROnPlateau: threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        self.min_lrs = _one_per_group("ReduceLROnPlateau", "min_lrs", min_lr, optimizer)
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._last_lr = self._current_lrs()

    def is_better(self, value, best):
        """Whether ``value`` improves on ``best`` by more than the threshold."""
        if self.mode == "min":
            return value < (best * (1 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold)
        return value > (best * (1 + self.threshold) if self.threshold_mode == "rel" else best + self.threshold)

    def step(self, metrics):
        """Record this epoch's metric (a number or a one-element tensor); reduce the lr
        after more than ``patience`` epochs without improvement."""
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(group["lr"] * self.factor, min_lr)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()
