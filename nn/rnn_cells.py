"""Recurrent cells: one time step of a vanilla RNN, an LSTM or a GRU, as PyTorch's
``RNNCell``, ``LSTMCell`` and ``GRUCell``. Loop over time yourself, or use the sequence
layers in ``nn.rnn`` that do it (and backprop through time) for you.

Each cell holds ``weight_ih`` (gates x hidden_size, input_size), ``weight_hh``
(gates x hidden_size, hidden_size), ``bias_ih`` and ``bias_hh``, with the gate blocks in
PyTorch's order, all initialised U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). The step
itself is one fused node of the graph (``nn.functional.rnn``).
"""
import math

import numpy as np

from autograd_core.arguments import as_tensor

from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


def register_recurrent_weights(module, suffix, input_size, hidden_size, gates, bias, dtype):
    """Give ``module`` the parameters ``weight_ih{suffix}``, ``weight_hh{suffix}``,
    ``bias_ih{suffix}`` and ``bias_hh{suffix}`` (None without ``bias``)."""
    dtype = np.float32 if dtype is None else dtype
    names = [f"{kind}{suffix}" for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    rows = gates * hidden_size
    shapes = [(rows, input_size), (rows, hidden_size), (rows,), (rows,)]
    for name, shape in zip(names, shapes):
        if name.startswith("bias") and not bias:
            module.register_parameter(name, None)
        else:
            setattr(module, name, Parameter(np.empty(shape, dtype=dtype)))


def reset_recurrent_parameters(module):
    """PyTorch's default for every recurrent weight and bias: U(-k, k), k = 1/sqrt(hidden_size)."""
    bound = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0.0
    for param in module.parameters():
        init.uniform_(param, -bound, bound)


def check_dtype(module, x, weight, what):
    """Refuse to mix dtypes (as PyTorch does) rather than silently compute in the wider one."""
    if x.dtype != weight.dtype:
        raise TypeError(
            f"{type(module).__name__}: {what} has dtype {x.dtype} but the weights have dtype {weight.dtype} "
            "(convert one of them, e.g. model.double() or x.float())"
        )


class RNNCellBase(Module):
    """What the three cells share: the parameters, their initialisation, input checks,
    and one step for a cell whose state is h alone."""

    #: The recurrence, as ``nn.functional.rnn`` names it.
    mode = "rnn_tanh"

    def __init__(self, input_size, hidden_size, bias=True, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        register_recurrent_weights(self, "", input_size, hidden_size, F.rnn.gate_count(self.mode), bias, dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights with the default initialisation."""
        reset_recurrent_parameters(self)

    def _batched_input(self, input):
        """The input as (batch, input_size), and whether it came with a batch dimension."""
        x = as_tensor(input)
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"{type(self).__name__}: expected input of shape (batch, {self.input_size}) or "
                f"({self.input_size},), got {tuple(x.shape)}"
            )
        check_dtype(self, x, self.weight_ih, "input")
        return (x, True) if x.ndim == 2 else (x.reshape(1, -1), False)

    def _batched_state(self, hx, batch, batched, what="hx"):
        """``hx`` as (batch, hidden_size), zeros when it is None."""
        if hx is None:
            return np.zeros((batch, self.hidden_size), dtype=self.weight_hh.dtype)
        hx = as_tensor(hx)
        expected = (batch, self.hidden_size) if batched else (self.hidden_size,)
        if tuple(hx.shape) != expected:
            raise ValueError(
                f"{type(self).__name__}: expected {what} of shape {expected} for an input with "
                f"{'batch size ' + str(batch) if batched else 'no batch dimension'}, got {tuple(hx.shape)}"
            )
        check_dtype(self, hx, self.weight_hh, what)
        return hx if batched else hx.reshape(1, -1)

    def _weights(self):
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh

    def forward(self, input, hx=None):
        """One step: the new hidden state h', with or without a batch dimension as the input."""
        x, batched = self._batched_input(input)
        h = self._batched_state(hx, x.shape[0], batched)
        h_new = self.cell(x, h, *self._weights())
        return h_new if batched else h_new.reshape(-1)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        return text


class RNNCell(RNNCellBase):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (``nonlinearity="relu"`` for relu).

    ``forward(input, hx=None)``: input (batch, input_size) or (input_size,), hx of the
    matching shape (batch, hidden_size) or (hidden_size,), zeros if omitted; returns h'.
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: unknown nonlinearity {nonlinearity!r} (use 'tanh' or 'relu')")
        super().__init__(input_size, hidden_size, bias, dtype)
        self.nonlinearity = nonlinearity
        self.mode = "rnn_" + nonlinearity

    def cell(self, *args):
        return (F.rnn_tanh_cell if self.nonlinearity == "tanh" else F.rnn_relu_cell)(*args)

    def extra_repr(self):
        text = super().extra_repr()
        if self.nonlinearity != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class LSTMCell(RNNCellBase):
    """Long short-term memory: gates i, f, g, o = sigma, sigma, tanh, sigma of
    W_ih x + b_ih + W_hh h + b_hh; c' = f * c + i * g; h' = o * tanh(c').

    ``forward(input, hx=None)``: hx is the pair (h, c), zeros if omitted; returns (h', c').
    The forget gate f decides what the cell state keeps, so gradients can flow along c
    over many steps without vanishing.
    """

    mode = "lstm"

    def forward(self, input, hx=None):
        x, batched = self._batched_input(input)
        if hx is None:
            h = c = np.zeros((x.shape[0], self.hidden_size), dtype=self.weight_hh.dtype)
        else:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise ValueError("LSTMCell: hx must be a pair (h, c)")
            h = self._batched_state(hx[0], x.shape[0], batched, "h")
            c = self._batched_state(hx[1], x.shape[0], batched, "c")
        h_new, c_new = F.lstm_cell(x, (h, c), *self._weights())
        if not batched:
            return h_new.reshape(-1), c_new.reshape(-1)
        return h_new, c_new


class GRUCell(RNNCellBase):
    """Gated recurrent unit: r = sigma(W_ir x + b_ir + W_hr h + b_hr), z alike,
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h.

    ``forward(input, hx=None)`` returns h'. The update gate z interpolates between the old
    state and the candidate n, which keeps a path for gradients through time.
    """

    mode = "gru"
    cell = staticmethod(F.gru_cell)
