"""Recurrent steps and layers as functions: the one place ``nn`` calls the engine's
recurrent ops (``autograd_core.recurrent`` and ``autograd_core.recurrent_sequence``).

``rnn_tanh_cell``, ``rnn_relu_cell``, ``lstm_cell`` and ``gru_cell`` take PyTorch's
arguments ``(input, hx, w_ih, w_hh, b_ih=None, b_hh=None)``; the LSTM's ``hx`` is the pair
(h, c) and it returns the pair (h', c'). Two functions run one layer in one direction over
a whole sequence, with the mask of the sequences still running (padded batches) as an
input that gets no gradient: ``sequence`` as one op (the fast path), and ``scan`` unrolled,
one node of the graph per time step (the graph to draw and step through), with the input
part of every gate computed for all time steps with one matmul first.
"""
import collections

import numpy as np

import autograd_core as ag
from autograd_core import Tensor, stack
from autograd_core.arguments import as_tensor
from autograd_core.errors import names_errors
from autograd_core.recurrent import GRUStep, LSTMStep, RNNStep, input_gates
from autograd_core.recurrent_sequence import GRUSequence, LSTMSequence, RNNSequence

__all__ = ["gate_count", "gru_cell", "lstm_cell", "rnn_relu_cell", "rnn_tanh_cell", "scan", "sequence"]

# mode -> (the fused step, its options)
_STEPS = {
    "rnn_tanh": (RNNStep, {"nonlinearity": "tanh"}),
    "rnn_relu": (RNNStep, {"nonlinearity": "relu"}),
    "lstm": (LSTMStep, {}),
    "gru": (GRUStep, {}),
}
# mode -> the whole-sequence op
_SEQUENCES = {"rnn_tanh": RNNSequence, "rnn_relu": RNNSequence, "lstm": LSTMSequence, "gru": GRUSequence}


def gate_count(mode):
    """How many gate blocks of ``hidden_size`` rows the weights of ``mode`` hold
    ('rnn_tanh', 'rnn_relu': 1, 'lstm': 4, 'gru': 3)."""
    return _STEPS[mode][0].gates


def _step(mode, x, state, weights, x_gates=None, mask=None):
    step, options = _STEPS[mode]
    return step.apply(x, state, *weights, x_gates, mask, **options)


@names_errors
def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh), for input (batch, input_size)."""
    return _step("rnn_tanh", as_tensor(input), hx, (w_ih, w_hh, b_ih, b_hh))


@names_errors
def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """h' = relu(W_ih x + b_ih + W_hh h + b_hh)."""
    return _step("rnn_relu", as_tensor(input), hx, (w_ih, w_hh, b_ih, b_hh))


@names_errors
def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """(h', c') from hx = (h, c): gates i, f, g, o = sigma, sigma, tanh, sigma of
    W_ih x + b_ih + W_hh h + b_hh; c' = f * c + i * g; h' = o * tanh(c')."""
    state = _step("lstm", as_tensor(input), _lstm_state(hx), (w_ih, w_hh, b_ih, b_hh))
    return state[0], state[1]


@names_errors
def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """h' = (1 - z) * n + z * h with r, z = sigma(...), n = tanh(W_in x + b_in + r * (W_hn h + b_hn))."""
    return _step("gru", as_tensor(input), hx, (w_ih, w_hh, b_ih, b_hh))


def _lstm_state(hx):
    """The pair (h, c) as the step's one state array (h and c stacked)."""
    h, c = hx
    if isinstance(h, Tensor) or isinstance(c, Tensor):
        return stack([h, c])
    return np.stack([h, c])


class Scan(collections.namedtuple("Scan", ["mode", "states"])):
    """The states of one layer and direction after every time step (time order)."""

    def hiddens(self):
        """h_t for every t, each (batch, hidden)."""
        return [state[0] for state in self.states] if self.mode == "lstm" else list(self.states)

    def output(self):
        """h_t for every t as one (T, batch, hidden) tensor."""
        stacked = stack(self.states)
        return stacked[:, 0] if self.mode == "lstm" else stacked

    def final(self, reverse=False):
        """The state after the last step taken: h, or for the LSTM the pair (h, c)."""
        state = self.states[0 if reverse else -1]
        return (state[0], state[1]) if self.mode == "lstm" else state


def sequence(mode, input, hx, weights, mask=None, reverse=False):
    """One recurrent layer over the whole sequence ``input`` (T, B, input_size), in one
    direction, as one op. ``hx`` is the initial state (h, or for the LSTM the pair (h, c)),
    ``weights`` (w_ih, w_hh, b_ih, b_hh), ``mask`` None or (T, B, 1) booleans, the rows still
    running at each step. Returns the output, h of every step (T, B, hidden), and the state
    after the last step taken: h, or for the LSTM the pair (h, c)."""
    op, options = _SEQUENCES[mode], _STEPS[mode][1]
    states = op.apply(input, _lstm_state(hx) if mode == "lstm" else hx, *weights, mask, reverse=reverse, **options)
    last = 0 if reverse else -1
    if mode == "lstm":
        return states[0], (states[0, last], states[1, last])
    return states, states[last]


def scan(mode, sequence, sequence_data, hx, weights, masks=None, reverse=False):
    """One recurrent layer over a sequence, in one direction, unrolled: one node of the
    graph per time step. ``sequence`` holds the input
    of every step (Tensors or arrays), ``sequence_data`` the same as one (T, batch, input)
    array; ``hx`` is the initial state (h, or for the LSTM the pair (h, c)), ``weights``
    (w_ih, w_hh, b_ih, b_hh), ``masks`` per step the (batch, 1) rows still running (None
    when all are). Returns a ``Scan``."""
    w_ih, w_hh, b_ih, b_hh = weights
    # The input's share of the gates for every step in one matmul; under compile each
    # step computes its own, since an array computed here would be a constant of the trace.
    x_gates = [None] * len(sequence) if ag.is_compiling() else input_gates(sequence_data, w_ih, b_ih)
    state = _lstm_state(hx) if mode == "lstm" else hx
    steps = len(sequence)
    masks = masks if masks is not None else [None] * steps
    states = [None] * steps
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        state = _step(mode, sequence[t], state, weights, x_gates[t], masks[t])
        states[t] = state
    return Scan(mode, states)
