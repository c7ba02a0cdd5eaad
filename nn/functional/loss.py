"""Loss functions, as ``torch.nn.functional``: each compares a prediction with a target
and reduces the per-element losses with ``reduction`` = ``"mean"`` (default), ``"sum"``
or ``"none"``.

Cross-entropy from logits is one fused op (``autograd_core.losses.CrossEntropy``):
log-softmax and negative log-likelihood together, stable for any logits, with gradient
softmax - target. The binary losses have the sign the derivation gives,
-(y log p + (1 - y) log(1 - p)), and sigmoid + binary cross-entropy has gradient
dL/dz = sigmoid(z) - y.
"""
import math
import warnings

import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core.arguments import as_tensor
from autograd_core.losses import CrossEntropy, class_target_weights
from autograd_core.errors import names_errors

_REDUCTIONS = ("mean", "sum", "none")



def _reduce(losses, reduction, op):
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"{op}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _pair(input, target, op):
    """Prediction and target as tensors; a shape mismatch that broadcasting would hide is
    warned about, as PyTorch does."""
    input, target = as_tensor(input), as_tensor(target)
    if input.shape != target.shape:
        warnings.warn(
            f"{op}: target shape {tuple(target.shape)} differs from input shape {tuple(input.shape)}; "
            "they will be broadcast, which is likely not intended",
            stacklevel=3,
        )
    return input, target


@names_errors
def mse_loss(input, target, reduction="mean"):
    """(x - y)^2, averaged by default (the half-sum of squares is ``0.5 * mse_loss(x, y,
    reduction="sum")``)."""
    input, target = _pair(input, target, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction, "mse_loss")


@names_errors
def l1_loss(input, target, reduction="mean"):
    """|x - y|."""
    input, target = _pair(input, target, "l1_loss")
    return _reduce((input - target).abs(), reduction, "l1_loss")


@names_errors
def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 (x - y)^2 where |x - y| < delta, else delta (|x - y| - 0.5 delta): quadratic
    near the target, linear (robust to outliers) far from it."""
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    input, target = _pair(input, target, "huber_loss")
    diff = input - target
    clipped = diff.clip(-delta, delta)
    # Where |d| < delta this is 0.5 d^2; elsewhere clipped = +-delta gives delta |d| - 0.5 delta^2.
    return _reduce(clipped * (diff - 0.5 * clipped), reduction, "huber_loss")


def _weighted(losses, weight):
    return losses if weight is None else losses * weight


def _clamped_log(p):
    """log p, clamped below at -100 as PyTorch's binary cross-entropy does, with no
    gradient (rather than 0 * inf) where it is clamped."""
    far = p.data > np.exp(-100.0)
    return ag.where(far, ag.where(far, p, 1.0).log(), -100.0)


@names_errors
def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) for probabilities p in [0, 1]; each log is
    clamped at -100 (as PyTorch) so p = 0 or 1 gives a finite loss."""
    input, target = _pair(input, target, "binary_cross_entropy")
    if input.size and (input.data.min() < 0 or input.data.max() > 1):
        raise ValueError("binary_cross_entropy: every input must be a probability in [0, 1]; use "
                         "binary_cross_entropy_with_logits for raw scores")
    losses = -(target * _clamped_log(input) + (1 - target) * _clamped_log(1 - input))
    return _reduce(_weighted(losses, weight), reduction, "binary_cross_entropy")


@names_errors
def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(x), computed from the logit x without overflow:
    (1 - y) x + (1 + (pos_weight - 1) y) softplus(-x). ``pos_weight`` (one per class,
    broadcast along the last dimension) weighs the positive examples."""
    input, target = _pair(input, target, "binary_cross_entropy_with_logits")
    softplus_neg = (-input).softplus()
    if pos_weight is None:
        losses = (1 - target) * input + softplus_neg
    else:
        losses = (1 - target) * input + (1 + (pos_weight - 1) * target) * softplus_neg
    return _reduce(_weighted(losses, weight), reduction, "binary_cross_entropy_with_logits")


def _unbatched(input, target, op):
    """An input without a batch dimension (C,) with a class-index target () gets one."""
    if input.ndim == 1 and np.ndim(target) == 0:
        return input.unsqueeze(0), np.reshape(target, (1,)), True
    if input.ndim < 2:
        raise ValueError(f"{op}: expected an input of shape (N, C, *) or (C,), got {tuple(input.shape)}")
    return input, target, False


@names_errors
def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Cross-entropy between logits ``input`` (N, C, d1, ...) and either class indices
    (N, d1, ...) or class probabilities (the input's shape), as
    ``torch.nn.functional.cross_entropy``. With indices it is one fused op, whose
    gradient is softmax(input) - onehot(target) (weighted and smoothed as asked).

    ``label_smoothing`` e mixes the target with the uniform distribution: (1 - e) onehot
    + e / C. ``weight`` weighs each class; with ``reduction="mean"`` the sum is divided by
    the total weight of the (non-ignored) targets.
    """
    input = as_tensor(input)
    target_data = target.data if isinstance(target, Tensor) else np.asarray(target)
    if target_data.dtype.kind in "iu":
        logits, indices, squeeze = _unbatched(input, target_data, "cross_entropy")
        weight = weight.data if isinstance(weight, Tensor) else weight
        loss = CrossEntropy.apply(
            logits, indices, weight=weight, ignore_index=ignore_index, reduction=reduction,
            label_smoothing=label_smoothing,
        )
        return loss.squeeze(0) if squeeze and reduction == "none" else loss
    return _soft_cross_entropy(input, as_tensor(target), weight, reduction, label_smoothing)


def _soft_cross_entropy(input, target, weight, reduction, label_smoothing):
    """Cross-entropy against class probabilities: -sum_c w_c t_c log softmax(x)_c, the
    mean taken over the examples (not the weights), as PyTorch."""
    if target.shape != input.shape:
        raise ValueError(
            f"cross_entropy: probability targets must have the input's shape {tuple(input.shape)}, "
            f"got {tuple(target.shape)}"
        )
    class_dim = 0 if input.ndim == 1 else 1
    num_classes = input.shape[class_dim]
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / num_classes
    if weight is not None:
        target = target * np.reshape(weight.data if isinstance(weight, Tensor) else weight,
                                     (num_classes,) + (1,) * (input.ndim - class_dim - 1))
    losses = -(target * input.log_softmax(dim=class_dim)).sum(dim=class_dim)
    return _reduce(losses, reduction, "cross_entropy")


@names_errors
def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood: -w[y] input[y] for log-probabilities ``input`` (N, C, d1,
    ...) and class indices ``target`` (N, d1, ...); the mean divides by the total weight
    of the non-ignored targets. ``log_softmax`` followed by ``nll_loss`` is
    ``cross_entropy``."""
    input = as_tensor(input)
    target = target.data if isinstance(target, Tensor) else np.asarray(target)
    log_probs, target, squeeze = _unbatched(input, target, "nll_loss")
    if target.shape != log_probs.shape[:1] + log_probs.shape[2:]:
        raise ValueError(
            f"nll_loss: input of shape {tuple(log_probs.shape)} needs targets of shape "
            f"{log_probs.shape[:1] + log_probs.shape[2:]}, got {target.shape}"
        )
    weight = weight.data if isinstance(weight, Tensor) else weight
    picks, sample_weight = class_target_weights(
        target, log_probs.shape[1], log_probs.dtype, weight, ignore_index, op="nll_loss"
    )
    losses = -(log_probs * picks).sum(dim=1)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            return losses.sum() / sample_weight.sum()
    losses = _reduce(losses, reduction, "nll_loss")
    return losses.squeeze(0) if squeeze and reduction == "none" else losses


@names_errors
def soft_margin_loss(input, target, reduction="mean"):
    """The logistic loss log(1 + exp(-y x)) of scores x against targets y in {-1, +1}, as
    ``torch.nn.functional.soft_margin_loss``; computed without overflow for any score."""
    input, target = _pair(input, target, "soft_margin_loss")
    # threshold=inf: the exact stable formula everywhere, not softplus's linear shortcut.
    return _reduce((-target * input).softplus(threshold=math.inf), reduction, "soft_margin_loss")


@names_errors
def perceptron_loss(input, target, reduction="mean"):
    """The perceptron criterion relu(-y x) of scores x against targets y in {-1, +1}: zero
    for every correctly classified example, -y x for a misclassified one. Its gradient
    -y x' on the mistakes alone is Rosenblatt's update; at a score of exactly 0 the
    gradient is 0 (relu's convention), so start from nonzero weights."""
    input, target = _pair(input, target, "perceptron_loss")
    labels = np.unique(target.data)
    if not np.isin(labels, (-1, 1)).all():
        raise ValueError(f"perceptron_loss: targets must be -1 or +1, got values {labels[~np.isin(labels, (-1, 1))][:5]}")
    return _reduce((-target * input).relu(), reduction, "perceptron_loss")
