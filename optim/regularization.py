"""L1 and L2 penalties on parameters, as differentiable terms to add to a loss."""
from autograd_core import Tensor, tensor


def l2_penalty(params):
    """The sum of squares of every parameter, sum_i ||w_i||^2, as a 0-d Tensor that
    gradients flow through (its gradient is 2 w).

    ``loss + lam / 2 * l2_penalty(weights)`` has the gradient that ``weight_decay=lam``
    adds inside ``SGD``. The course notes regularise weights only, not biases::

        weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
        loss = criterion(model(x), y) + 1e-4 / 2 * l2_penalty(weights)
    """
    return _penalty("l2_penalty", params, lambda p: (p * p).sum())


def l1_penalty(params):
    """The sum of absolute values of every parameter, sum_i |w_i|_1, as a 0-d Tensor
    (its gradient is sign(w), 0 at 0); it pushes weights to exactly zero (sparsity)."""
    return _penalty("l1_penalty", params, lambda p: p.abs().sum())


def _penalty(name, params, term):
    if isinstance(params, Tensor):
        params = [params]
    total = None
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{name}: parameter {i} is a {type(p).__name__}, not a Tensor")
        total = term(p) if total is None else total + term(p)
    return tensor(0.0) if total is None else total
