"""``Adagrad``: per-coordinate step sizes that shrink with the sum of squared gradients."""
import numpy as np

from .optimizer import Optimizer


class Adagrad(Optimizer):
    r"""Adagrad, step for step as PyTorch documents ``torch.optim.Adagrad``::

        g_t = grad f(theta_{t-1})                     (-grad when maximize)
        lr_t = lr / (1 + (t - 1) * lr_decay)
        g_t = g_t + lambda * theta_{t-1}              if weight_decay lambda != 0
        sum_t = sum_{t-1} + g_t^2                     (sum_0 = initial_accumulator_value)
        theta_t = theta_{t-1} - lr_t * g_t / (sqrt(sum_t) + eps)

    eps is added after the square root, as in the course notes' ``w -= lr g / (sqrt(s) + eps)``.
    Parameters whose ``.grad`` is ``None`` are skipped (their step count does not advance).

    State per parameter: ``step`` (int) and ``sum``.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, *,
                 maximize=False):
        defaults = dict(
            lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value, eps=eps, maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group):
        self._check_nonnegative(group, "lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def _update(self, param, state, group):
        if not state:
            state["step"] = 0
            state["sum"] = np.full_like(param.data, group["initial_accumulator_value"])
        state["step"] += 1
        g = self._gradient(param, group["maximize"], group["weight_decay"])
        lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        work = self._scratch(param, 1)
        np.multiply(g, g, out=work)
        state["sum"] += work
        np.sqrt(state["sum"], out=work)
        work += group["eps"]
        np.divide(g, work, out=work)
        work *= -lr
        param.add_(work)
