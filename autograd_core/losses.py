"""Losses that pay to fuse: cross-entropy from logits, log-softmax and negative
log-likelihood in one numerically stable op; binary cross-entropy of probabilities, whose
clamped logs need a gradient of their own.

For a sample with logits x and a target distribution q (one-hot for a class index,
scaled by class weights, mixed with the uniform distribution by label smoothing), the
loss is -sum_c q_c log softmax(x)_c and its gradient is sum(q) softmax(x) - q, which for
a plain class index is the familiar softmax(x) - onehot(y). Fusing means the softmax is
computed once, no log-probability tensor enters the graph, and the backward pass is one
multiply-subtract.
"""
import numpy as np

from .function import Function

__all__ = ["BinaryCrossEntropy", "CrossEntropy", "class_target_weights"]


def class_target_weights(
    target, num_classes, dtype, weight=None, ignore_index=-100, label_smoothing=0.0, op="cross_entropy"
):
    """The target distributions, with class weights, for class-index targets.

    ``target`` holds class indices, shape (N, d1, ...) for an input of shape
    (N, C, d1, ...). Returns ``(q, sample_weight)``: ``q`` of shape (N, C, d1, ...) with
    ``q[i, c] = (1 - e) w[y_i] [c = y_i] + (e / C) w[c]`` (zero where ``y_i`` is
    ``ignore_index``), and ``sample_weight[i] = w[y_i]`` (zero where ignored), whose sum
    is the denominator of the ``"mean"`` reduction, as in PyTorch. ``op`` names the
    calling loss in error messages.
    """
    target = np.asarray(target)
    if target.dtype.kind not in "iu":
        raise TypeError(f"{op}: class-index targets must be integers, got {target.dtype}")
    valid = target != ignore_index
    outside = valid & ((target < 0) | (target >= num_classes))
    if outside.any():
        bad = target[outside].flat[0]
        raise IndexError(
            f"{op}: target {bad} is out of range for {num_classes} classes "
            f"(and is not ignore_index={ignore_index})"
        )
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{op}: label_smoothing must be in [0, 1], got {label_smoothing}")
    safe = np.where(valid, target, 0)
    if weight is None:
        sample_weight = valid.astype(dtype)
    else:
        weight = np.asarray(weight, dtype=dtype)
        if weight.shape != (num_classes,):
            raise ValueError(f"{op}: weight of shape {weight.shape} does not match {num_classes} classes")
        sample_weight = weight[safe] * valid
    classes = np.arange(num_classes).reshape((1, -1) + (1,) * (target.ndim - 1))
    q = (classes == safe[:, None]) * ((1 - label_smoothing) * sample_weight)[:, None]
    if label_smoothing:
        per_class = np.ones(num_classes, dtype) if weight is None else weight
        q += (label_smoothing / num_classes) * per_class.reshape(classes.shape) * valid[:, None]
    return q.astype(dtype, copy=False), sample_weight


class CrossEntropy(Function):
    """Cross-entropy of logits (N, C, d1, ...) against class indices (N, d1, ...), with
    class ``weight``, ``ignore_index``, ``label_smoothing`` and ``reduction`` as
    ``torch.nn.functional.cross_entropy``.

    loss_i = -sum_c q_ic log softmax(x_i)_c,  dloss_i/dx_i = sum_c(q_ic) softmax(x_i) - q_i
    """

    def forward(self, logits, target, *, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        if logits.ndim < 2 or np.shape(target) != logits.shape[:1] + logits.shape[2:]:
            raise ValueError(
                f"cross_entropy: input of shape {logits.shape} needs class-index targets of shape "
                f"{logits.shape[:1] + logits.shape[2:]}, got {np.shape(target)}"
            )
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"cross_entropy: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        q, sample_weight = class_target_weights(
            target, logits.shape[1], logits.dtype, weight, ignore_index, label_smoothing
        )
        shifted = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        log_probs = shifted - np.log(total)
        # A class with no target weight adds nothing, even at log-probability -inf (where
        # 0 * -inf would be NaN), as in PyTorch.
        losses = -np.where(q != 0, q * log_probs, 0).sum(axis=1)
        if reduction == "none":
            out = losses
        else:
            out = np.asarray(losses.sum(), dtype=logits.dtype)
            if reduction == "mean":
                with np.errstate(invalid="ignore", divide="ignore"):
                    out = out / sample_weight.sum()
        if self.recording:
            exp /= total
            self.save_for_backward(
                logits, q, probs=exp, q_sum=q.sum(axis=1, keepdims=True), count=sample_weight.sum(),
                ignored=np.expand_dims(np.asarray(target) == ignore_index, 1),
            )
        return out

    def backward(self, grad):
        logits, q = self.saved_tensors
        # The softmax as a differentiable function of the logits (for second derivatives),
        # not the constant kept from forward.
        return self._scaled(logits.softmax(dim=1) * self.saved.q_sum - q, grad), None

    def fast_backward(self, grad):
        return self._scaled(self.saved.probs * self.saved.q_sum - self.saved_arrays[1], grad), None

    def _scaled(self, delta, grad):
        """dL/dlogits from the per-sample gradient ``delta`` and dL/dloss."""
        reduction = self.attrs["reduction"]
        if reduction == "none":
            return delta * grad.reshape(grad.shape[:1] + (1,) + grad.shape[1:])
        if reduction == "mean":
            if self.saved.count == 0:
                # No target counts: the loss is 0 / 0 = NaN, but ignored samples still get
                # a zero gradient, as in PyTorch, not 0 * inf.
                with np.errstate(divide="ignore"):
                    return delta * grad * np.where(self.saved.ignored, 0.0, 1 / self.saved.count)
            grad = grad / self.saved.count
        return delta * grad


class BinaryCrossEntropy(Function):
    """Per-element binary cross-entropy of probabilities p against targets y, as
    ``torch.nn.functional.binary_cross_entropy`` before weighting and reduction:

    loss = -(y max(log p, -100) + (1 - y) max(log(1 - p), -100))
    dloss/dp = (p - y) / max(p (1 - p), 1e-12),  dloss/dy = log(1 - p) - log p

    The clamps keep the loss finite at p = 0 or 1, and the gradient there is a large
    finite push (-1e12 at p = 0, y = 1), so a saturated wrong prediction can recover;
    the gradient of a clamped log would be 0.
    """

    name = "binary_cross_entropy"

    def forward(self, p, y):
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), -100.0)
            log_not_p = np.maximum(np.log1p(-p), -100.0)
        self.save_for_backward(p, y)
        return -(y * log_p + (1 - y) * log_not_p)

    def backward(self, grad):
        p, y = self.saved_tensors
        grad_p = grad_y = None
        if self.needs_input_grad[0]:
            grad_p = grad * (p - y) / (p * (1 - p)).clamp_min(1e-12)
        if self.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                grad_y = grad * ((-p).log1p() - p.log())
        return grad_p, grad_y

    def fast_backward(self, grad):
        p, y = self.saved_arrays
        grad_p = grad_y = None
        if self.needs_input_grad[0]:
            grad_p = grad * (p - y) / np.maximum(p * (1 - p), 1e-12)
        if self.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                grad_y = grad * (np.log1p(-p) - np.log(p))
        return grad_p, grad_y
