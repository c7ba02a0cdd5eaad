"""The fused recurrent steps (autograd_core/recurrent.py): gradients against central
differences (first and second order), agreement with the step written in primitive ops,
masking, and shape errors."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.recurrent import GRUStep, LSTMStep, RNNStep, gru_step, input_gates, lstm_step, rnn_step

BATCH, INPUT, HIDDEN = 3, 4, 2
# (step, its options, number of gate blocks, state shape without the batch)
STEPS = [
    pytest.param(RNNStep, {"nonlinearity": "tanh"}, 1, (), id="rnn_tanh"),
    pytest.param(RNNStep, {"nonlinearity": "relu"}, 1, (), id="rnn_relu"),
    pytest.param(LSTMStep, {}, 4, (2,), id="lstm"),
    pytest.param(GRUStep, {}, 3, (), id="gru"),
]
MASK = np.array([[True], [False], [True]])


def _inputs(make, gates, state_lead):
    return (
        make((BATCH, INPUT)),
        make(state_lead + (BATCH, HIDDEN)),
        make((gates * HIDDEN, INPUT)),
        make((gates * HIDDEN, HIDDEN)),
        make((gates * HIDDEN,)),
        make((gates * HIDDEN,)),
    )


@pytest.mark.parametrize("step, options, gates, state_lead", STEPS)
@pytest.mark.parametrize("mask", [None, MASK], ids=["all_rows", "masked"])
def test_step_gradients_first_and_second_order(step, options, gates, state_lead, mask, make, check):
    inputs = _inputs(make, gates, state_lead)
    check(lambda *a: step.apply(*a, mask=mask, **options), *inputs)


@pytest.mark.parametrize("step, options, gates, state_lead", STEPS)
@pytest.mark.parametrize("mask", [None, MASK], ids=["all_rows", "masked"])
def test_fused_step_equals_primitive_ops(step, options, gates, state_lead, mask, make):
    inputs = _inputs(make, gates, state_lead)
    fused = step.apply(*inputs, mask=mask, **options)
    reference = step.reference(*inputs, mask=mask, **options)
    np.testing.assert_allclose(fused.data, reference.data, rtol=1e-12, atol=1e-12)
    weights = [ag.Tensor(np.random.default_rng(1).standard_normal(fused.shape))]
    fused_grads = ag.grad(fused, inputs, weights)
    reference_grads = ag.grad(reference, inputs, weights)
    for a, b in zip(fused_grads, reference_grads):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("step, options, gates, state_lead", STEPS)
def test_precomputed_input_gates_give_the_same_step(step, options, gates, state_lead, make):
    x, state, w_ih, w_hh, b_ih, b_hh = _inputs(make, gates, state_lead)
    plain = step.apply(x, state, w_ih, w_hh, b_ih, b_hh, **options)
    hinted = step.apply(x, state, w_ih, w_hh, b_ih, b_hh, x_gates=input_gates(x, w_ih, b_ih), **options)
    np.testing.assert_allclose(plain.data, hinted.data, rtol=1e-12)
    (hinted * hinted).sum().backward()
    assert w_ih.grad is not None and x.grad.shape == x.shape and b_ih.grad.shape == b_ih.shape


@pytest.mark.parametrize("step, options, gates, state_lead", STEPS)
def test_masked_rows_keep_their_state_and_pass_the_gradient_through(step, options, gates, state_lead, make):
    x, state, w_ih, w_hh, b_ih, b_hh = _inputs(make, gates, state_lead)
    new = step.apply(x, state, w_ih, w_hh, b_ih, b_hh, mask=MASK, **options)
    np.testing.assert_array_equal(new.data[..., 1, :], state.data[..., 1, :])
    assert not np.allclose(new.data[..., 0, :], state.data[..., 0, :])
    new.sum().backward()
    np.testing.assert_array_equal(state.grad[..., 1, :], 1.0)  # identity for the held row
    np.testing.assert_array_equal(x.grad[1], 0.0)  # its input took no part


def test_equations_of_the_three_cells(rng):
    """Spelled out with NumPy, independently of the implementation."""
    sigmoid = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    x, h, c = rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4))
    w_ih4, w_hh4, b4 = rng.standard_normal((16, 3)), rng.standard_normal((16, 4)), rng.standard_normal(16)
    pre = x @ w_ih4.T + h @ w_hh4.T + b4
    i, f, g, o = sigmoid(pre[:, :4]), sigmoid(pre[:, 4:8]), np.tanh(pre[:, 8:12]), sigmoid(pre[:, 12:])
    c_new = f * c + i * g
    out = lstm_step(x, np.stack([h, c]), w_ih4, w_hh4, b4, None)
    np.testing.assert_allclose(out.data, np.stack([o * np.tanh(c_new), c_new]), rtol=1e-12)

    w_ih3, w_hh3 = rng.standard_normal((12, 3)), rng.standard_normal((12, 4))
    b_ih3, b_hh3 = rng.standard_normal((2, 12))
    xg, hg = x @ w_ih3.T + b_ih3, h @ w_hh3.T + b_hh3
    r, z = sigmoid(xg[:, :4] + hg[:, :4]), sigmoid(xg[:, 4:8] + hg[:, 4:8])
    n = np.tanh(xg[:, 8:] + r * hg[:, 8:])
    np.testing.assert_allclose(gru_step(x, h, w_ih3, w_hh3, b_ih3, b_hh3).data, (1 - z) * n + z * h, rtol=1e-12)

    w_ih1, w_hh1 = rng.standard_normal((4, 3)), rng.standard_normal((4, 4))
    np.testing.assert_allclose(rnn_step(x, h, w_ih1, w_hh1).data, np.tanh(x @ w_ih1.T + h @ w_hh1.T), rtol=1e-12)
    np.testing.assert_allclose(
        rnn_step(x, h, w_ih1, w_hh1, nonlinearity="relu").data, np.maximum(x @ w_ih1.T + h @ w_hh1.T, 0)
    )


def test_gates_saturate_without_overflow_warnings():
    x = np.array([[1.0]], dtype=np.float32)
    w = np.array([[1e4], [-1e4], [1e4], [1e4]], dtype=np.float32)  # i = 1, f = 0, g = 1, o = 1
    with np.errstate(all="raise"):
        out = lstm_step(x, np.zeros((2, 1, 1), np.float32), w, np.zeros((4, 1), np.float32))
    np.testing.assert_allclose(out.data.ravel(), [np.tanh(1.0), 1.0], rtol=1e-6)  # h = tanh(c), c = 1


@pytest.mark.parametrize(
    "x_shape, state_shape, w_ih_shape, message",
    [
        ((3, 5), (3, 2), (8, 4), r"lstm_step: input of shape \(3, 5\) does not fit weight_ih of shape \(8, 4\)"),
        ((4,), (3, 2), (8, 4), r"lstm_step: input of shape \(4,\)"),
        ((3, 4), (3, 2), (8, 4), r"lstm_step: state of shape \(3, 2\) does not fit; expected \(2, 3, 2\)"),
        ((3, 4), (2, 3, 2), (6, 4), r"lstm_step: weight_ih of shape \(6, 4\) and weight_hh of shape \(8, 2\)"),
    ],
)
def test_shape_errors_name_the_op_and_shapes(x_shape, state_shape, w_ih_shape, message):
    with pytest.raises(ValueError, match=message):
        lstm_step(np.zeros(x_shape), np.zeros(state_shape), np.zeros(w_ih_shape), np.zeros((8, 2)))


def test_bad_mask_and_nonlinearity():
    x, h, w = np.zeros((3, 4)), np.zeros((3, 2)), np.zeros((2, 4))
    with pytest.raises(ValueError, match=r"gru_step: mask of shape \(3,\)"):
        gru_step(x, h, np.zeros((6, 4)), np.zeros((6, 2)), mask=np.ones(3, bool))
    with pytest.raises(ValueError, match="rnn_step: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'"):
        rnn_step(x, h, w, np.zeros((2, 2)), nonlinearity="sigmoid")
