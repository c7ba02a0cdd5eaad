"""The fused cross-entropy op: values against log-softmax + NLL written out, gradient
softmax - target, weights, label smoothing, ignore_index, every reduction, second
derivatives, and stability for huge logits; binary cross-entropy of probabilities, its
gradients, and its clamps at 0 and 1."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.losses import BinaryCrossEntropy, CrossEntropy, class_target_weights


def reference(logits, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Cross-entropy spelled out in NumPy, one sample at a time, as PyTorch defines it."""
    logits = np.moveaxis(logits, 1, -1).reshape(-1, logits.shape[1])
    target = target.reshape(-1)
    classes = logits.shape[1]
    w = np.ones(classes) if weight is None else weight
    losses, total_weight = [], 0.0
    for row, y in zip(logits, target):
        if y == ignore_index:
            losses.append(0.0)
            continue
        log_p = row - np.log(np.exp(row - row.max()).sum()) - row.max()
        nll = -w[y] * log_p[y]
        smooth = -(w * log_p).sum()
        losses.append((1 - label_smoothing) * nll + label_smoothing / classes * smooth)
        total_weight += w[y]
    losses = np.array(losses)
    if reduction == "sum":
        return losses.sum()
    if reduction == "mean":
        return losses.sum() / total_weight
    return losses


SETTINGS = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"label_smoothing": 0.2},
    {"weight": np.array([0.5, 2.0, 1.0, 0.25])},
    {"weight": np.array([0.5, 2.0, 1.0, 0.25]), "label_smoothing": 0.1, "ignore_index": 1},
    {"ignore_index": 2, "reduction": "none", "label_smoothing": 0.3},
]


@pytest.mark.parametrize("settings", SETTINGS, ids=str)
def test_values_match_the_definition(settings, make, rng):
    logits = make((5, 4))
    target = rng.integers(0, 4, 5)
    target[0] = settings.get("ignore_index", 0)
    out = CrossEntropy.apply(logits, target, **settings)
    np.testing.assert_allclose(out.data, reference(logits.data, target, **settings), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("settings", SETTINGS, ids=str)
def test_gradients_and_second_derivatives(settings, make, rng, check):
    logits = make((3, 4))
    target = rng.integers(0, 4, 3)
    check(lambda x: CrossEntropy.apply(x, target, **settings), logits)


def test_spatial_targets(make, rng, check):
    """Logits (N, C, d1, d2) with targets (N, d1, d2), as for per-pixel classification."""
    logits = make((2, 3, 2, 2))
    target = rng.integers(0, 3, (2, 2, 2))
    expected = reference(logits.data, target, label_smoothing=0.1)
    np.testing.assert_allclose(CrossEntropy.apply(logits, target, label_smoothing=0.1).data, expected, rtol=1e-12)
    check(lambda x: CrossEntropy.apply(x, target, weight=np.array([1.0, 2.0, 0.5])), logits)


def test_gradient_is_softmax_minus_onehot(make, rng):
    logits = make((4, 5))
    target = rng.integers(0, 5, 4)
    CrossEntropy.apply(logits, target, reduction="sum").backward()
    softmax = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(logits.grad, softmax - np.eye(5)[target], rtol=1e-12)


def test_huge_logits_stay_finite():
    logits = ag.tensor([[1000.0, -1000.0, 0.0], [-1e4, 1e4, 3.0]], requires_grad=True)
    loss = CrossEntropy.apply(logits, np.array([1, 1]), reduction="none")
    np.testing.assert_allclose(loss.data, [2000.0, 0.0], rtol=1e-6)
    loss.sum().backward()
    assert np.all(np.isfinite(logits.grad))
    np.testing.assert_allclose(logits.grad, [[1, -1, 0], [0, 0, 0]], atol=1e-6)


def test_target_weights_table():
    q, sample_weight = class_target_weights(
        np.array([2, -100]), 3, np.float64, weight=np.array([1.0, 2.0, 4.0]), label_smoothing=0.3
    )
    np.testing.assert_allclose(q, [[0.1, 0.2, 0.7 * 4 + 0.4], [0, 0, 0]])
    np.testing.assert_allclose(sample_weight, [4.0, 0.0])


@pytest.mark.parametrize(
    "target, settings, error, words",
    [
        (np.array([0, 3]), {}, IndexError, "target 3 is out of range for 3 classes"),
        (np.array([0, -1]), {}, IndexError, "target -1"),
        (np.array([0.0, 1.0]), {}, TypeError, "integers"),
        (np.array([0]), {}, ValueError, "targets of shape (2,)"),
        (np.array([0, 1]), {"weight": np.ones(2)}, ValueError, "weight of shape (2,)"),
        (np.array([0, 1]), {"label_smoothing": 1.5}, ValueError, "label_smoothing"),
        (np.array([0, 1]), {"reduction": "avg"}, ValueError, "reduction"),
    ],
)
def test_errors_name_the_problem(target, settings, error, words, make):
    logits = make((2, 3))
    with pytest.raises(error, match="cross_entropy") as info:
        CrossEntropy.apply(logits, target, **settings)
    assert words in str(info.value)


def test_all_ignored_mean_is_nan_as_pytorch(make):
    out = CrossEntropy.apply(make((2, 3)), np.array([-100, -100]))
    assert np.isnan(out.item())


def test_no_graph_without_grad(make):
    logits = make((2, 3), requires_grad=False)
    out = CrossEntropy.apply(logits, np.array([0, 1]))
    assert out.grad_fn is None and not out.requires_grad


def test_binary_cross_entropy_gradients_and_second_derivatives(rng, check):
    p = ag.tensor(rng.uniform(0.05, 0.95, (3, 4)), requires_grad=True)
    y = ag.tensor(rng.uniform(0.0, 1.0, (3, 4)), requires_grad=True)
    check(lambda p, y: BinaryCrossEntropy.apply(p, y), p, y)


def test_binary_cross_entropy_at_zero_and_one():
    """Clamped logs (loss 100), and a gradient (p - y) / max(p (1 - p), 1e-12): a large
    finite push on a confident mistake, none on a confident success."""
    p = ag.tensor([0.0, 1.0, 0.0, 1.0], requires_grad=True)
    loss = BinaryCrossEntropy.apply(p, np.array([1.0, 0.0, 0.0, 1.0]))
    np.testing.assert_array_equal(loss.data, [100.0, 100.0, 0.0, 0.0])
    loss.sum().backward()
    np.testing.assert_allclose(p.grad, [-1e12, 1e12, 0.0, 0.0], rtol=1e-6)
