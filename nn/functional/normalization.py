"""Normalisation: subtract a mean, divide by a standard deviation, then scale and shift.

The three forms differ only in what the statistics are taken over (N, C the batch and
channel dimensions of an input (N, C, *)):

- batch norm: per channel, over the batch and the spatial positions;
- layer norm: per example, over the trailing ``normalized_shape`` dimensions;
- group norm: per example and group of channels.

Each uses the biased variance (divide by n) to normalise, and is built from the engine's
differentiable primitives, so its gradient (and second derivative) follows.
"""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor
from autograd_core.arguments import as_tensor
from autograd_core.errors import names_errors


def _standardize(x, axes, eps):
    """(x - mean) / sqrt(var + eps) over ``axes``; also returns the mean and the biased
    variance (kept dimensions)."""
    mean = x.mean(dim=axes, keepdim=True)
    centered = x - mean
    var = (centered * centered).mean(dim=axes, keepdim=True)
    return centered / (var + eps).sqrt(), mean, var


def _affine(x, weight, bias, shape):
    """x * weight + bias, with the per-feature parameters reshaped to broadcast."""
    if weight is not None:
        x = x * (weight.reshape(shape) if isinstance(weight, Tensor) else np.reshape(weight, shape))
    if bias is not None:
        x = x + (bias.reshape(shape) if isinstance(bias, Tensor) else np.reshape(bias, shape))
    return x


def _check_features(op, name, value, size, input_shape):
    if value is not None and np.shape(value) != (size,):
        raise ValueError(
            f"{op}: {name} of shape {tuple(np.shape(value))} does not match {size} channels of an "
            f"input of shape {tuple(input_shape)}"
        )


@names_errors
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, per channel (dimension 1).

    In training the statistics are the batch's (biased variance), and the running
    statistics, if given, are updated in place: ``running = (1 - momentum) running +
    momentum batch_statistic``, with the unbiased variance for ``running_var`` (as
    PyTorch). Otherwise the running statistics normalise.
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C, *), got {tuple(x.shape)}")
    channels = x.shape[1]
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        _check_features("batch_norm", name, value, channels, x.shape)
    shape = (1, channels) + (1,) * (x.ndim - 2)
    axes = (0,) + tuple(range(2, x.ndim))
    if training:
        count = x.size // channels
        if count <= 1:
            raise ValueError(
                f"batch_norm: expected more than 1 value per channel when training, got input of shape {tuple(x.shape)}"
            )
        normalized, mean, var = _standardize(x, axes, eps)
        if running_mean is not None and running_var is not None:
            # Written with tensor ops and copy_, so that a compiled program replays the update.
            with ag.no_grad():
                running_mean.copy_(running_mean * (1 - momentum) + mean.reshape(channels) * momentum)
                unbiased = var.reshape(channels) * (count / (count - 1))
                running_var.copy_(running_var * (1 - momentum) + unbiased * momentum)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var (or use training=True)")
        # Tensors, not their arrays: a compiled program reads them when it runs.
        mean = (running_mean if isinstance(running_mean, Tensor) else Tensor(running_mean)).reshape(shape)
        var = (running_var if isinstance(running_var, Tensor) else Tensor(running_var)).reshape(shape)
        normalized = (x - mean) * (1 / (var + eps).sqrt())
    return _affine(normalized, weight, bias, shape)


@names_errors
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, the statistics of each example
    taken over its last ``len(normalized_shape)`` dimensions."""
    x = as_tensor(input)
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0 or x.ndim < k or tuple(x.shape[x.ndim - k :]) != normalized_shape:
        raise ValueError(
            f"layer_norm: input of shape {tuple(x.shape)} does not end with normalized_shape {normalized_shape}"
        )
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and tuple(np.shape(value)) != normalized_shape:
            raise ValueError(f"layer_norm: {name} of shape {tuple(np.shape(value))} is not {normalized_shape}")
    normalized, _, _ = _standardize(x, tuple(range(x.ndim - k, x.ndim)), eps)
    return _affine(normalized, weight, bias, normalized_shape)


@names_errors
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, the statistics of each example
    taken over each of ``num_groups`` groups of consecutive channels (and all positions)."""
    x = as_tensor(input)
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise ValueError(
            f"group_norm: input of shape {tuple(x.shape)} needs a channel count divisible by num_groups={num_groups}"
        )
    channels = x.shape[1]
    for name, value in (("weight", weight), ("bias", bias)):
        _check_features("group_norm", name, value, channels, x.shape)
    grouped = x.reshape(x.shape[0], num_groups, -1)
    normalized, _, _ = _standardize(grouped, (2,), eps)
    return _affine(normalized.reshape(x.shape), weight, bias, (1, channels) + (1,) * (x.ndim - 2))
