"""The whole-sequence recurrent ops (autograd_core/recurrent_sequence.py): gradients against
central differences (first and second order), agreement with the chain of fused steps
(values and gradients, array and Tensor-op backward alike), masking, both directions,
optional biases, and shape errors."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.recurrent import GRUStep, LSTMStep, RNNStep
from autograd_core.recurrent_sequence import GRUSequence, LSTMSequence, RNNSequence, gru_sequence, lstm_sequence

STEPS, BATCH, INPUT, HIDDEN = 4, 3, 2, 2
# (the sequence op, its step, options, number of gate blocks, state shape without the batch)
OPS = [
    pytest.param(RNNSequence, RNNStep, {"nonlinearity": "tanh"}, 1, (), id="rnn_tanh"),
    pytest.param(RNNSequence, RNNStep, {"nonlinearity": "relu"}, 1, (), id="rnn_relu"),
    pytest.param(LSTMSequence, LSTMStep, {}, 4, (2,), id="lstm"),
    pytest.param(GRUSequence, GRUStep, {}, 3, (), id="gru"),
]
# Sequences of lengths 4, 2 and 3: rows stop taking steps part of the way.
MASK = (np.arange(STEPS)[:, None] < np.array([4, 2, 3])[None, :])[:, :, None]


def _inputs(make, gates, state_lead):
    return (
        make((STEPS, BATCH, INPUT)),
        make(state_lead + (BATCH, HIDDEN)),
        make((gates * HIDDEN, INPUT)),
        make((gates * HIDDEN, HIDDEN)),
        make((gates * HIDDEN,)),
        make((gates * HIDDEN,)),
    )


def _chain_of_steps(step, inputs, mask, reverse, options):
    """The same layer as one fused step per time step, in the op's output layout."""
    x, state, *weights = inputs
    states = [None] * STEPS
    for t in range(STEPS - 1, -1, -1) if reverse else range(STEPS):
        running = None if mask is None or mask[t].all() else mask[t]
        state = step.apply(x[t], state, *weights, None, running, **options)
        states[t] = state
    stacked = ag.stack(states)
    return stacked.transpose(0, 1) if step is LSTMStep else stacked


@pytest.mark.parametrize("op, step, options, gates, state_lead", OPS)
@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
@pytest.mark.parametrize("mask", [None, MASK], ids=["all_rows", "masked"])
def test_sequence_gradients_first_and_second_order(op, step, options, gates, state_lead, reverse, mask, make, check):
    inputs = _inputs(make, gates, state_lead)
    check(lambda *a: op.apply(*a, mask, reverse=reverse, **options), *inputs)


@pytest.mark.parametrize("op, step, options, gates, state_lead", OPS)
@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
@pytest.mark.parametrize("mask", [None, MASK], ids=["all_rows", "masked"])
def test_sequence_equals_the_chain_of_steps(op, step, options, gates, state_lead, reverse, mask, make, rng):
    inputs = _inputs(make, gates, state_lead)
    fused = op.apply(*inputs, mask, reverse=reverse, **options)
    chain = _chain_of_steps(step, inputs, mask, reverse, options)
    assert fused.shape == ((2,) if step is LSTMStep else ()) + (STEPS, BATCH, HIDDEN)
    np.testing.assert_allclose(fused.data, chain.data, rtol=1e-12, atol=1e-12)
    seed = ag.Tensor(rng.standard_normal(fused.shape))
    expected = ag.grad(chain, inputs, seed)
    on_arrays = ag.grad(fused, inputs, seed, retain_graph=True)  # fast_backward
    in_tensor_ops = ag.grad(fused, inputs, seed, create_graph=True)  # backward, the definition
    for want, got_arrays, got_tensors in zip(expected, on_arrays, in_tensor_ops):
        np.testing.assert_allclose(got_arrays.data, want.data, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got_tensors.data, want.data, rtol=1e-10, atol=1e-12)


def test_masked_rows_hold_their_state_and_pass_the_gradient_back(make):
    x, state, w_ih, w_hh, b_ih, b_hh = _inputs(make, 3, ())
    out = gru_sequence(x, state, w_ih, w_hh, b_ih, b_hh, MASK)
    np.testing.assert_array_equal(out.data[2:, 1], np.broadcast_to(out.data[1, 1], (2, HIDDEN)))
    out[-1].sum().backward()
    np.testing.assert_array_equal(x.grad[2:, 1], 0.0)  # steps past the end take no part
    assert np.abs(x.grad[:2, 1]).min() > 0


@pytest.mark.parametrize("missing", ["b_ih", "b_hh", "both"])
@pytest.mark.parametrize("op, step, options, gates, state_lead", OPS[2:])
def test_without_either_bias(op, step, options, gates, state_lead, missing, make, rng):
    x, state, w_ih, w_hh, b_ih, b_hh = _inputs(make, gates, state_lead)
    b_ih = None if missing in ("b_ih", "both") else b_ih
    b_hh = None if missing in ("b_hh", "both") else b_hh
    inputs = (x, state, w_ih, w_hh, b_ih, b_hh)
    fused = op.apply(*inputs, None, **options)
    np.testing.assert_allclose(fused.data, _chain_of_steps(step, inputs, None, False, options).data, rtol=1e-12)
    fused.sum().backward()
    assert w_hh.grad.shape == w_hh.shape and (b_hh is None or b_hh.grad.shape == b_hh.shape)


def test_weights_need_no_gradient_for_the_input_to_get_one(make):
    x, state = make((STEPS, BATCH, INPUT)), make((2, BATCH, HIDDEN))
    w_ih, w_hh = (np.random.default_rng(1).standard_normal(shape) for shape in ((8, INPUT), (8, HIDDEN)))
    lstm_sequence(x, state, w_ih, w_hh, reverse=True).sum().backward()
    assert x.grad.shape == x.shape and state.grad.shape == state.shape


@pytest.mark.parametrize("op, step, options, gates, state_lead", OPS)
def test_arguments_left_out_get_no_gradient_slot(op, step, options, gates, state_lead, make):
    """Called without biases and mask, the op returns one gradient per argument given."""
    x, state, w_ih, w_hh = _inputs(make, gates, state_lead)[:4]
    out = op.apply(x, state, w_ih, w_hh, **options)
    out.sum().backward()
    assert all(t.grad is not None and t.grad.shape == t.shape for t in (x, state, w_ih, w_hh))


def test_gates_saturate_without_overflow_warnings():
    x = np.ones((2, 1, 1), dtype=np.float32)
    w = np.array([[1e4], [-1e4], [1e4], [1e4]], dtype=np.float32)  # i = 1, f = 0, g = 1, o = 1
    with np.errstate(all="raise"):
        out = lstm_sequence(x, np.zeros((2, 1, 1), np.float32), w, np.zeros((4, 1), np.float32))
    np.testing.assert_allclose(out.data[:, -1].ravel(), [np.tanh(1.0), 1.0], rtol=1e-6)


@pytest.mark.parametrize(
    "x_shape, state_shape, w_ih_shape, mask, message",
    [
        ((4, 3, 5), (2, 3, 2), (8, 4), None,
         r"lstm_sequence: input of shape \(4, 3, 5\) does not fit weight_ih of shape \(8, 4\)"),
        ((3, 4), (2, 3, 2), (8, 4), None, r"lstm_sequence: input of shape \(3, 4\)"),
        ((0, 3, 4), (2, 3, 2), (8, 4), None, r"lstm_sequence: input of shape \(0, 3, 4\)"),
        ((4, 3, 4), (3, 2), (8, 4), None, r"lstm_sequence: state of shape \(3, 2\) does not fit; expected \(2, 3, 2\)"),
        ((4, 3, 4), (2, 3, 2), (6, 4), None, r"lstm_sequence: weight_ih of shape \(6, 4\) and weight_hh of shape \(8, 2\)"),
        ((4, 3, 4), (2, 3, 2), (8, 4), np.ones((4, 3), bool), r"lstm_sequence: mask of shape \(4, 3\)"),
        ((4, 3, 4), (2, 3, 2), (8, 4), np.ones((4, 3, 1)), r"lstm_sequence: mask of shape \(4, 3, 1\) and dtype float64"),
    ],
)
def test_shape_errors_name_the_op_and_shapes(x_shape, state_shape, w_ih_shape, mask, message):
    with pytest.raises(ValueError, match=message):
        lstm_sequence(np.zeros(x_shape), np.zeros(state_shape), np.zeros(w_ih_shape), np.zeros((8, 2)), mask=mask)


def test_bad_nonlinearity():
    with pytest.raises(ValueError, match="rnn_sequence: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'"):
        RNNSequence.apply(np.zeros((2, 3, 4)), np.zeros((3, 2)), np.zeros((2, 4)), np.zeros((2, 2)), nonlinearity="sigmoid")
