"""``RMSprop``: divide the gradient by a running root-mean-square of recent gradients."""
import numpy as np

from .optimizer import Optimizer, moving_average_


class RMSprop(Optimizer):
    r"""RMSprop, step for step as PyTorch documents ``torch.optim.RMSprop``::

        g_t = grad f(theta_{t-1})                         (-grad when maximize)
        g_t = g_t + lambda * theta_{t-1}                  if weight_decay lambda != 0
        v_t = alpha * v_{t-1} + (1 - alpha) * g_t^2       (the course notes' rho is alpha)
        v~_t = v_t
        if centered:
            gave_t = alpha * gave_{t-1} + (1 - alpha) * g_t
            v~_t = v~_t - gave_t^2                        (a running variance)
        if momentum mu > 0:
            b_t = mu * b_{t-1} + g_t / (sqrt(v~_t) + eps)
            theta_t = theta_{t-1} - lr * b_t
        else:
            theta_t = theta_{t-1} - lr * g_t / (sqrt(v~_t) + eps)

    eps is added after the square root (TensorFlow puts it inside). Parameters whose
    ``.grad`` is ``None`` are skipped.

    State per parameter: ``step``, ``square_avg``, ``momentum_buffer`` (with momentum),
    ``grad_avg`` (when centered).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 maximize=False):
        defaults = dict(
            lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
            centered=centered, maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group):
        self._check_nonnegative(group, "lr", "alpha", "eps", "weight_decay", "momentum")

    def _update(self, param, state, group):
        alpha = group["alpha"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param.data)
            if group["momentum"] > 0:
                state["momentum_buffer"] = np.zeros_like(param.data)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param.data)
        state["step"] += 1
        g = self._gradient(param, group["maximize"], group["weight_decay"])
        work = self._scratch(param, 1)
        square_avg = state["square_avg"]
        square_avg *= alpha
        np.multiply(g, g, out=work)
        work *= 1 - alpha
        square_avg += work
        if group["centered"]:
            grad_avg = state["grad_avg"]
            moving_average_(grad_avg, g, alpha, work)
            np.multiply(grad_avg, grad_avg, out=work)
            np.subtract(square_avg, work, out=work)
            np.sqrt(work, out=work)
        else:
            np.sqrt(square_avg, out=work)
        work += group["eps"]
        np.divide(g, work, out=work)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += work
            np.multiply(buf, -group["lr"], out=work)
        else:
            work *= -group["lr"]
        param.add_(work)

