"""``SGD``: stochastic gradient descent, optionally with momentum or Nesterov momentum."""
import numpy as np

from .optimizer import Optimizer


class SGD(Optimizer):
    r"""Stochastic gradient descent, step for step as PyTorch documents ``torch.optim.SGD``::

        g_t = grad f(theta_{t-1})              (-grad when maximize)
        g_t = g_t + lambda * theta_{t-1}       if weight_decay lambda != 0
        if momentum mu != 0:
            b_t = g_t                           at the first step
            b_t = mu * b_{t-1} + (1 - tau) g_t  afterwards (tau = dampening)
            g_t = g_t + mu * b_t                if nesterov, else g_t = b_t
        theta_t = theta_{t-1} - lr * g_t

    With ``momentum=0`` this is plain (mini-batch) gradient descent. The course notes'
    form ``v = mu v + lr g; w = w - v`` is the same trajectory as long as ``lr`` is
    constant. Parameters whose ``.grad`` is ``None`` are skipped.

    State per parameter: ``momentum_buffer`` (only with momentum, from the first step).
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False):
        defaults = dict(
            lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
            nesterov=nesterov, maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group):
        self._check_nonnegative(group, "lr", "momentum", "weight_decay")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"SGD: nesterov momentum needs momentum > 0 and dampening = 0 "
                f"(got momentum={group['momentum']!r}, dampening={group['dampening']!r})"
            )

    def _update(self, param, state, group):
        momentum = group["momentum"]
        g = self._gradient(param, group["maximize"], group["weight_decay"])
        work = self._scratch(param, 1)
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = g.copy()
            else:
                buf *= momentum
                if group["dampening"] == 0:
                    buf += g
                else:
                    np.multiply(g, 1 - group["dampening"], out=work)
                    buf += work
            if group["nesterov"]:
                np.multiply(buf, momentum, out=work)
                np.add(g, work, out=work)
                g = work
            else:
                g = buf
        np.multiply(g, -group["lr"], out=work)
        param.add_(work)
