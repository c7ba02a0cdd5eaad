"""``Adam`` and ``AdamW``: momentum and RMSprop combined, with bias-corrected moments."""
import math
import numbers

import numpy as np

from .optimizer import Optimizer, moving_average_


class Adam(Optimizer):
    r"""Adam, step for step as PyTorch documents ``torch.optim.Adam``::

        g_t = grad f(theta_{t-1})                         (-grad when maximize)
        g_t = g_t + lambda * theta_{t-1}                  if weight_decay lambda != 0
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t         first moment
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2       second moment
        m^_t = m_t / (1 - beta1^t)                        bias corrections: m_0 = v_0 = 0
        vmax_t = max(vmax_{t-1}, v_t)                     if amsgrad; then v^_t = vmax_t / (1 - beta2^t)
        v^_t = v_t / (1 - beta2^t)                        otherwise
        theta_t = theta_{t-1} - lr * m^_t / (sqrt(v^_t) + eps)

    eps is outside the square root, as in the Adam paper. The last line is evaluated as
    ``theta - (lr / (1 - beta1^t)) * m_t / (sqrt(v_t) / sqrt(1 - beta2^t) + eps)``.
    ``decoupled_weight_decay=True`` turns this into ``AdamW``. Parameters whose ``.grad``
    is ``None`` are skipped.

    State per parameter: ``step``, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq`` (amsgrad).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 maximize=False, decoupled_weight_decay=False):
        defaults = dict(
            lr=lr, betas=tuple(betas) if isinstance(betas, list) else betas, eps=eps,
            weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group):
        self._check_nonnegative(group, "lr", "eps", "weight_decay")
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"{self._name}: betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
                raise TypeError(f"{self._name}: betas[{i}] must be a real number, got {beta!r}")
            if not 0 <= beta < 1:
                raise ValueError(f"{self._name}: invalid betas[{i}]={beta!r} (must be in [0, 1))")

    def _update(self, param, state, group):
        beta1, beta2 = group["betas"]
        lr, weight_decay = group["lr"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param.data)
            state["exp_avg_sq"] = np.zeros_like(param.data)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param.data)
        state["step"] += 1
        step = state["step"]
        if group["decoupled_weight_decay"]:
            if weight_decay != 0:
                param.mul_(1 - lr * weight_decay)
            weight_decay = 0
        g = self._gradient(param, group["maximize"], weight_decay)
        work = self._scratch(param, 1)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        moving_average_(exp_avg, g, beta1, work)
        exp_avg_sq *= beta2
        np.multiply(g, g, out=work)
        work *= 1 - beta2
        exp_avg_sq += work
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
            exp_avg_sq = state["max_exp_avg_sq"]
        step_size = lr / (1 - beta1**step)
        np.sqrt(exp_avg_sq, out=work)
        work /= math.sqrt(1 - beta2**step)
        work += group["eps"]
        np.divide(exp_avg, work, out=work)
        work *= -step_size
        param.add_(work)


class AdamW(Adam):
    r"""Adam with decoupled weight decay, as PyTorch documents ``torch.optim.AdamW``:
    before the Adam step, ``theta_t = theta_{t-1} - lr * lambda * theta_{t-1}``, so the
    decay neither enters the moments nor gets rescaled by ``1 / sqrt(v^)``. Unlike Adam,
    the default ``weight_decay`` is 0.01."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False):
        super().__init__(
            params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
            maximize=maximize, decoupled_weight_decay=True,
        )
