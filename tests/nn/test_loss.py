"""Losses (nn/loss.py, nn/functional/loss.py): values and gradients against torch for
every loss and setting, float64 gradient checks, and the results the notes derive
(sigmoid + BCE gives a - y; softmax + CE gives softmax - onehot)."""
import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F
from nn_helpers import assert_gradients, leaf

N, C = 4, 3


def regression_pair(rng):
    return rng.standard_normal((N, C)) * 2, rng.standard_normal((N, C))


def probabilities(rng):
    return rng.uniform(0.05, 0.95, (N, C)), rng.integers(0, 2, (N, C)).astype(np.float64)


def class_indices(rng):
    target = rng.integers(0, C, N)
    target[1] = 2
    return rng.standard_normal((N, C)) * 2, target


def class_probabilities(rng):
    target = rng.uniform(size=(N, C))
    return rng.standard_normal((N, C)), target / target.sum(axis=1, keepdims=True)


def signs(rng):
    return rng.standard_normal((N, C)) * 3, rng.choice([-1.0, 1.0], (N, C))


def spatial(rng):
    return rng.standard_normal((2, C, 2, 3)), rng.integers(0, C, (2, 2, 3))


WEIGHT = np.array([0.3, 1.0, 2.5])

# (our class, torch name, settings, data maker, ours needs log-probabilities)
CASES = [
    (nn.MSELoss, "MSELoss", {}, regression_pair),
    (nn.MSELoss, "MSELoss", {"reduction": "sum"}, regression_pair),
    (nn.L1Loss, "L1Loss", {"reduction": "none"}, regression_pair),
    (nn.HuberLoss, "HuberLoss", {"delta": 0.7}, regression_pair),
    (nn.HuberLoss, "HuberLoss", {"reduction": "sum"}, regression_pair),
    (nn.BCELoss, "BCELoss", {}, probabilities),
    (nn.BCELoss, "BCELoss", {"weight": WEIGHT, "reduction": "sum"}, probabilities),
    (nn.BCEWithLogitsLoss, "BCEWithLogitsLoss", {}, regression_pair),
    (nn.BCEWithLogitsLoss, "BCEWithLogitsLoss", {"pos_weight": WEIGHT, "weight": WEIGHT[::-1].copy()}, probabilities),
    (nn.CrossEntropyLoss, "CrossEntropyLoss", {}, class_indices),
    (nn.CrossEntropyLoss, "CrossEntropyLoss", {"weight": WEIGHT, "label_smoothing": 0.2}, class_indices),
    (nn.CrossEntropyLoss, "CrossEntropyLoss", {"ignore_index": 2, "reduction": "none"}, class_indices),
    (nn.CrossEntropyLoss, "CrossEntropyLoss", {"ignore_index": 2, "weight": WEIGHT}, class_indices),
    (nn.CrossEntropyLoss, "CrossEntropyLoss", {"label_smoothing": 0.1, "reduction": "sum"}, spatial),
    (nn.CrossEntropyLoss, "CrossEntropyLoss", {}, class_probabilities),
    (nn.CrossEntropyLoss, "CrossEntropyLoss", {"weight": WEIGHT, "label_smoothing": 0.3}, class_probabilities),
    (nn.NLLLoss, "NLLLoss", {}, class_indices),
    (nn.NLLLoss, "NLLLoss", {"weight": WEIGHT, "ignore_index": 0}, class_indices),
    (nn.NLLLoss, "NLLLoss", {"reduction": "none"}, spatial),
    (nn.SoftMarginLoss, "SoftMarginLoss", {}, signs),
    (nn.SoftMarginLoss, "SoftMarginLoss", {"reduction": "sum"}, signs),
    (nn.SoftMarginLoss, "SoftMarginLoss", {"reduction": "none"}, signs),
]
IDS = [f"{cls.__name__}-{make.__name__}-{sorted(settings)}" for cls, _, settings, make in CASES]


@pytest.mark.parametrize("cls, torch_name, settings, make", CASES, ids=IDS)
def test_gradients(cls, torch_name, settings, make, rng):
    prediction, target = make(rng)
    loss = cls(**settings).double()
    if cls is nn.NLLLoss:
        assert_gradients(lambda x: loss(x.log_softmax(dim=1), target), leaf(prediction))
    else:
        second = cls not in (nn.L1Loss,)
        assert_gradients(lambda x: loss(x, target), leaf(prediction), second=second)


@pytest.mark.parametrize("cls, torch_name, settings, make", CASES, ids=IDS)
def test_parity_with_torch(cls, torch_name, settings, make, rng):
    torch = pytest.importorskip("torch")
    prediction, target = make(rng)
    if cls is nn.NLLLoss:
        prediction = prediction - np.log(np.exp(prediction).sum(axis=1, keepdims=True))
    ours_in = leaf(prediction)
    theirs_in = torch.tensor(prediction, requires_grad=True)
    torch_settings = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in settings.items()}
    ours = cls(**settings).double()(ours_in, target)
    theirs = getattr(torch.nn, torch_name)(**torch_settings)(theirs_in, torch.from_numpy(target))
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_in.grad, theirs_in.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_sigmoid_with_bce_has_gradient_a_minus_y(rng):
    """dL/dz = sigmoid(z) - y (not y - a, as one note prints)."""
    z = leaf(rng.standard_normal(6))
    y = rng.integers(0, 2, 6).astype(np.float64)
    F.binary_cross_entropy(z.sigmoid(), y, reduction="sum").backward()
    a = 1 / (1 + np.exp(-z.data))
    np.testing.assert_allclose(z.grad, a - y, rtol=1e-10)
    z.grad = None
    F.binary_cross_entropy_with_logits(z, y, reduction="sum").backward()
    np.testing.assert_allclose(z.grad, a - y, rtol=1e-10)


def test_softmax_with_cross_entropy_has_gradient_softmax_minus_onehot(rng):
    logits, target = class_indices(rng)
    o = leaf(logits)
    F.cross_entropy(o, target, reduction="sum").backward()
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(o.grad, softmax - np.eye(C)[target], rtol=1e-10)


def test_fused_cross_entropy_is_one_node(rng):
    logits, target = class_indices(rng)
    loss = F.cross_entropy(leaf(logits), target)
    assert loss.grad_fn.name == "cross_entropy"
    assert loss.grad_fn.parents[0] is not None and loss.grad_fn.parents[0].grad_fn is None


def test_label_smoothing_with_the_notes_targets(rng):
    """The notes smooth to 1 - e on the true class and e / (C - 1) on the others;
    PyTorch's label_smoothing s mixes in s / C everywhere, so s = e C / (C - 1) is the same."""
    logits, target = class_indices(rng)
    e = 0.1
    notes_targets = np.full((N, C), e / (C - 1))
    notes_targets[np.arange(N), target] = 1 - e
    np.testing.assert_allclose(
        F.cross_entropy(leaf(logits), target, label_smoothing=e * C / (C - 1)).data,
        F.cross_entropy(leaf(logits), notes_targets).data,
        rtol=1e-12,
    )


def test_cross_entropy_is_log_softmax_then_nll(rng):
    logits, target = class_indices(rng)
    x = leaf(logits)
    np.testing.assert_allclose(
        F.cross_entropy(x, target, weight=WEIGHT, ignore_index=0).data,
        F.nll_loss(F.log_softmax(x, dim=1), target, weight=WEIGHT, ignore_index=0).data,
        rtol=1e-12,
    )


def test_unbatched_inputs(rng):
    logits = leaf(rng.standard_normal(C))
    loss = F.cross_entropy(logits, np.array(1), reduction="none")
    assert loss.shape == ()
    assert F.nll_loss(logits.log_softmax(dim=0), np.array(1)).shape == ()
    np.testing.assert_allclose(loss.data, -np.log(np.exp(logits.data[1]) / np.exp(logits.data).sum()))


def test_bce_at_zero_and_one_is_finite():
    p = ag.tensor([0.0, 1.0, 0.5], dtype=np.float64, requires_grad=True)
    loss = F.binary_cross_entropy(p, np.array([1.0, 0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [100.0, 100.0, np.log(2)])
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad))


def test_half_squared_error_and_huber_pieces():
    x, y = ag.tensor([0.5, 3.0]), ag.tensor([0.0, 0.0])
    np.testing.assert_allclose(F.mse_loss(x, y, reduction="sum").item() / 2, (0.25 + 9) / 2)
    np.testing.assert_allclose(F.huber_loss(x, y, reduction="none").data, [0.125, 2.5])


def test_errors():
    with pytest.warns(UserWarning, match="target shape"):
        F.mse_loss(ag.ones(3, 1), ag.ones(3))
    with pytest.raises(ValueError, match="reduction"):
        nn.MSELoss(reduction="average")
    with pytest.raises(ValueError, match="reduction"):
        F.l1_loss(ag.ones(2), ag.ones(2), reduction="avg")
    with pytest.raises(ValueError, match="probability"):
        F.binary_cross_entropy(ag.tensor([1.5]), ag.tensor([1.0]))
    with pytest.raises(ValueError, match="input's shape"):
        F.cross_entropy(ag.ones(2, 3), ag.ones(2, 2))
    with pytest.raises(IndexError, match="nll_loss: target 5"):
        F.nll_loss(ag.ones(2, 3), np.array([0, 5]))


def test_class_weights_follow_to_dtype():
    loss = nn.CrossEntropyLoss(weight=np.ones(3, dtype=np.float32)).double()
    assert loss.weight.dtype == np.float64 and "weight" in loss.state_dict()
    assert repr(nn.CrossEntropyLoss(reduction="sum")) == "CrossEntropyLoss(reduction='sum')"


def test_soft_margin_loss_by_hand_and_without_overflow():
    x, y = np.array([2.0, -1.0, 0.0, 1000.0]), np.array([1.0, 1.0, -1.0, -1.0])
    losses = F.soft_margin_loss(leaf(x), y, reduction="none")
    np.testing.assert_allclose(losses.data, [np.log1p(np.exp(-2.0)), np.log1p(np.e), np.log(2.0), 1000.0], rtol=1e-12)
    # The logistic loss is binary cross-entropy with logits on 0/1 labels.
    np.testing.assert_allclose(
        F.soft_margin_loss(leaf(x[:3]), y[:3]).data,
        F.binary_cross_entropy_with_logits(leaf(x[:3]), (y[:3] + 1) / 2).data,
        rtol=1e-12,
    )


def test_perceptron_loss_by_hand():
    scores = leaf([2.0, -1.0, 0.5, -3.0])
    targets = np.array([1.0, 1.0, -1.0, -1.0])
    loss = F.perceptron_loss(scores, targets)
    np.testing.assert_allclose(loss.data, (0 + 1.0 + 0.5 + 0) / 4)
    loss.backward()
    # Only the mistakes pull: -y / N on them, 0 on the examples already right.
    np.testing.assert_allclose(scores.grad, [0.0, -0.25, 0.25, 0.0])
    np.testing.assert_allclose(nn.PerceptronLoss(reduction="none")(scores, targets).data, [0, 1, 0.5, 0])
    np.testing.assert_allclose(nn.PerceptronLoss(reduction="sum")(scores, targets).data, 1.5)
    assert F.perceptron_loss(leaf([1.0, -2.0]), np.array([1, -1])).item() == 0.0


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_perceptron_loss_gradients(rng, reduction):
    scores, targets = signs(rng)
    scores[np.abs(scores) < 0.1] = 0.5  # away from relu's kink, where a difference quotient is wrong
    assert_gradients(lambda x: F.perceptron_loss(x, targets, reduction), leaf(scores))


def test_margin_losses_reject_bad_targets():
    with pytest.raises(ValueError, match=r"perceptron_loss: targets must be -1 or \+1.*\[0"):
        F.perceptron_loss(ag.ones(3), np.array([1, 0, -1]))
    with pytest.raises(ValueError, match="soft_margin_loss: reduction"):
        F.soft_margin_loss(ag.ones(2), ag.ones(2), reduction="avg")
    with pytest.warns(UserWarning, match="soft_margin_loss: target shape"):
        F.soft_margin_loss(ag.ones(3, 1), ag.ones(3))
