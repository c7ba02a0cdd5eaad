"""Fused recurrent steps: one time step of an RNN, LSTM or GRU cell as one Function.

A recurrent layer repeats the same small computation at every time step. Written with
primitive ops, one LSTM step is about fifteen graph nodes (two matmuls, four gate slices,
sigmoids, tanhs, products and sums), each paying Python overhead in both passes. Here a
step is one node: its forward computes all gates from one matmul of the hidden state (the
input part ``x W_ih^T + b_ih`` does not depend on the state, so a layer computes it for
every time step with one matmul before the loop and hands each step its row as
``x_gates``), and its backward computes every input's gradient in a few array expressions.
Backprop through time is then the engine's ordinary backward pass through the chain of
steps.

The equations (the ``reference`` methods spell them out with primitive Tensor ops)::

    RNN   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)                  (or relu)
    LSTM  i, f, g, o = sigma, sigma, tanh, sigma of (W_ih x + b_ih + W_hh h + b_hh)
          c' = f * c + i * g            h' = o * tanh(c')
    GRU   r = sigma(W_ir x + b_ir + W_hr h + b_hr)     z = sigma(W_iz x + b_iz + W_hz h + b_hz)
          n = tanh(W_in x + b_in + r * (W_hn h + b_hn))      h' = (1 - z) * n + z * h

Gate blocks are stacked in PyTorch's order (LSTM i, f, g, o; GRU r, z, n), so weights
converted from PyTorch work unchanged. The state is ``h`` of shape (batch, hidden), and
for the LSTM ``h`` and ``c`` stacked, shape (2, batch, hidden). An optional boolean
``mask`` of shape (batch, 1) marks the rows that take the step; the other rows keep their
state (the padded steps of shorter sequences in a batch).

The fast backward uses arrays saved by the forward, which are constants to the graph. When
a graph of the backward itself is wanted (``create_graph=True``, for second derivatives),
the backward instead differentiates the ``reference`` form, so higher derivatives stay exact.
"""
import functools

import numpy as np

from . import grad_mode
from .elementwise import where
from .engine import grad as _grad
from .function import Function
from .linalg import linear
from .shape import stack
from .tensor import Tensor


def _blocks(array, count):
    """The gate blocks of ``array`` (views along the last axis)."""
    size = array.shape[-1] // count
    return [array[..., k * size : (k + 1) * size] for k in range(count)]


def _affine(x, weight, bias):
    out = x @ weight.T
    if bias is not None:
        out += bias
    return out


def input_gates(x, w_ih, b_ih=None):
    """``x W_ih^T + b_ih`` as an array, for a whole sequence at once (one matmul): the part
    of every gate that does not depend on the state, passed to a step as ``x_gates``."""
    x, w_ih, b_ih = (a.data if isinstance(a, Tensor) else a for a in (x, w_ih, b_ih))
    # As one 2-D product: NumPy would loop over the leading axis of a 3-D one.
    return _affine(x.reshape(-1, x.shape[-1]), w_ih, b_ih).reshape(x.shape[:-1] + (-1,))


@functools.lru_cache(maxsize=64)
def _gate_scale(pattern, hidden_size, dtype):
    """Per column: 1 in a sigmoid block ('s'), 2 in a tanh block ('t'), since
    tanh(a) = 2 sigmoid(2a) - 1."""
    scale = np.repeat([1.0 if kind == "s" else 2.0 for kind in pattern], hidden_size).astype(dtype)
    scale.flags.writeable = False
    return scale


def _activate(pre, pattern):
    """Apply sigmoid or tanh blockwise to ``pre``, in place, with one exp over the whole
    array (NumPy's exp is about twice as fast as its tanh): act = s sigmoid(s pre) - (s - 1)."""
    hidden_size = pre.shape[-1] // len(pattern)
    scale = _gate_scale(pattern, hidden_size, pre.dtype)
    np.multiply(pre, -scale, out=pre)
    with np.errstate(over="ignore", under="ignore"):  # exp = inf or 0 gives sigmoid 0 or 1, as it should
        np.exp(pre, out=pre)
    pre += 1
    np.reciprocal(pre, out=pre)
    for block, kind in enumerate(pattern):
        if kind == "t":
            tanh_block = pre[..., block * hidden_size : (block + 1) * hidden_size]
            tanh_block *= 2
            tanh_block -= 1
    return pre


def _activation_slope(act, pattern):
    """d(activation)/d(pre-activation) from the activation: s (1 - s) for a sigmoid block,
    (1 + t)(1 - t) for a tanh block, i.e. (act - low) (1 - act) with low = 1 - scale."""
    scale = _gate_scale(pattern, act.shape[-1] // len(pattern), act.dtype)
    return (act + (scale - 1)) * (1 - act)


def _keep_masked(new_state, state, mask):
    """The new state in the rows ``mask`` selects, the old one elsewhere (Tensor ops)."""
    return new_state if mask is None else where(mask, new_state, state)


class RecurrentStep(Function):
    """Base of the fused steps: the two affine maps that feed the gates, masking, and the
    weight gradients. A subclass supplies the cell's nonlinear part: ``cell`` (forward on
    arrays), ``cell_backward`` (its gradients on arrays) and ``reference`` (Tensor ops)."""

    gates = 1
    state_dims = 2

    def forward(self, x, state, w_ih, w_hh, b_ih=None, b_hh=None, x_gates=None, mask=None, **options):
        self._check(x, state, w_ih, w_hh, x_gates, mask)
        if x_gates is None:
            x_gates = _affine(x, w_ih, b_ih)
        h_gates = _affine(self.hidden(state), w_hh, b_hh)
        new_state = self.cell(x_gates, h_gates, state, **options)
        self.mask = mask
        if mask is not None:
            new_state = np.where(mask, new_state, state)
        self.save_for_backward(x, state, w_ih, w_hh, b_ih, b_hh)
        return new_state

    @staticmethod
    def hidden(state):
        """The hidden state ``h`` inside the state (the LSTM stacks ``h`` and ``c``)."""
        return state

    def _check(self, x, state, w_ih, w_hh, x_gates, mask):
        hidden_size = w_hh.shape[1]
        if w_hh.shape[0] != self.gates * hidden_size or w_ih.shape[0] != w_hh.shape[0]:
            raise ValueError(
                f"{self.name}: weight_ih of shape {w_ih.shape} and weight_hh of shape {w_hh.shape} do not "
                f"hold {self.gates} gate blocks of hidden size {hidden_size}"
            )
        if x.ndim != 2 or x.shape[1] != w_ih.shape[1]:
            raise ValueError(
                f"{self.name}: input of shape {x.shape} does not fit weight_ih of shape {w_ih.shape} "
                f"(expected (batch, {w_ih.shape[1]}))"
            )
        expected = (2,) * (self.state_dims - 2) + (x.shape[0], hidden_size)
        if state.shape != expected:
            raise ValueError(f"{self.name}: state of shape {state.shape} does not fit; expected {expected}")
        if x_gates is not None and x_gates.shape != (x.shape[0], w_ih.shape[0]):
            raise ValueError(f"{self.name}: x_gates of shape {x_gates.shape}; expected {(x.shape[0], w_ih.shape[0])}")
        if mask is not None and mask.shape != (x.shape[0], 1):
            raise ValueError(f"{self.name}: mask of shape {mask.shape}; expected {(x.shape[0], 1)}")

    def backward(self, grad):
        x, state, w_ih, w_hh, b_ih, b_hh = self.saved_tensors
        if grad_mode.is_grad_enabled():
            return self._reference_backward(grad, (x, state, w_ih, w_hh, b_ih, b_hh))
        g = grad.data
        if self.mask is not None:
            g = g * self.mask
        d_x_gates, d_h_gates, d_state = self.cell_backward(g, state.data)
        need_x, need_state, need_w_ih, need_w_hh = self.needs_input_grad[:4]
        need_b_ih, need_b_hh = self.needs_input_grad[4:]
        grads = [None] * 6
        if need_x:
            grads[0] = d_x_gates @ w_ih.data
        if need_state:
            d_h = d_h_gates @ w_hh.data
            if d_state is None:
                d_state = d_h
            else:
                self.hidden(d_state)[...] += d_h
            if self.mask is not None:
                d_state = np.where(self.mask, d_state, grad.data)
            grads[1] = d_state
        if need_w_ih:
            grads[2] = d_x_gates.T @ x.data
        if need_w_hh:
            grads[3] = d_h_gates.T @ self.hidden(state.data)
        if need_b_ih:
            grads[4] = d_x_gates.sum(axis=0)
        if need_b_hh:
            grads[5] = d_h_gates.sum(axis=0)
        return tuple(None if g is None else Tensor._make(g) for g in grads)

    def _reference_backward(self, grad, inputs):
        """The gradients as a differentiable graph: backprop through ``reference``."""
        wanted = [t for t, need in zip(inputs, self.needs_input_grad) if need]
        options = {k: v for k, v in self.attrs.items() if k not in ("x_gates", "mask")}
        out = self.reference(*inputs, mask=self.mask, **options)
        grads = iter(_grad(out, wanted, grad, create_graph=True, allow_unused=True))
        return tuple(next(grads) if need else None for need in self.needs_input_grad)


class RNNStep(RecurrentStep):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or relu with ``nonlinearity="relu"``."""

    name = "rnn_step"

    def cell(self, x_gates, h_gates, state, nonlinearity="tanh"):
        pre = h_gates
        pre += x_gates
        if nonlinearity == "tanh":
            self.slope = None
            self.h_new = np.tanh(pre, out=pre)
        elif nonlinearity == "relu":
            self.slope = pre > 0
            self.h_new = np.maximum(pre, 0, out=pre)
        else:
            raise ValueError(f"rnn_step: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        return self.h_new

    def cell_backward(self, g, state):
        d_pre = g * (1 - self.h_new * self.h_new) if self.slope is None else g * self.slope
        return d_pre, d_pre, None

    @staticmethod
    def reference(x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None, nonlinearity="tanh"):
        pre = linear(x, w_ih, b_ih) + linear(state, w_hh, b_hh)
        new_state = pre.tanh() if nonlinearity == "tanh" else pre.relu()
        return _keep_masked(new_state, state, mask)


class LSTMStep(RecurrentStep):
    """c' = f * c + i * g, h' = o * tanh(c'), with gates (i, f, g, o) = (sigma, sigma,
    tanh, sigma) of W_ih x + b_ih + W_hh h + b_hh; the state is h and c stacked."""

    name = "lstm_step"
    gates = 4
    state_dims = 3
    pattern = "ssts"

    @staticmethod
    def hidden(state):
        return state[0]

    def cell(self, x_gates, h_gates, state):
        pre = h_gates
        pre += x_gates
        act = _activate(pre, self.pattern)
        i, f, g, o = _blocks(act, 4)
        new_state = np.empty_like(state, dtype=act.dtype)
        h_new, c_new = new_state
        np.multiply(f, state[1], out=c_new)
        c_new += i * g
        self.act = act
        self.tanh_c = np.tanh(c_new)
        np.multiply(o, self.tanh_c, out=h_new)
        return new_state

    def cell_backward(self, g, state):
        d_h, d_c = g
        i, f, gg, o = _blocks(self.act, 4)
        # dL/dc' collects the direct path and the one through h' = o tanh(c').
        d_c_total = d_h * o
        d_c_total *= 1 - self.tanh_c * self.tanh_c
        d_c_total += d_c
        d_act = np.empty_like(self.act)
        d_i, d_f, d_g, d_o = _blocks(d_act, 4)
        np.multiply(d_c_total, gg, out=d_i)
        np.multiply(d_c_total, state[1], out=d_f)
        np.multiply(d_c_total, i, out=d_g)
        np.multiply(d_h, self.tanh_c, out=d_o)
        d_pre = d_act
        d_pre *= _activation_slope(self.act, self.pattern)
        d_state = np.empty_like(d_pre, shape=state.shape)
        d_state[0] = 0
        np.multiply(d_c_total, f, out=d_state[1])
        return d_pre, d_pre, d_state

    @staticmethod
    def reference(x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None):
        h, c = state[0], state[1]
        i, f, g, o = (linear(x, w_ih, b_ih) + linear(h, w_hh, b_hh)).split(w_hh.shape[1], dim=1)
        c_new = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h_new = o.sigmoid() * c_new.tanh()
        return _keep_masked(stack([h_new, c_new]), state, mask)


class GRUStep(RecurrentStep):
    """r, z = sigma(...), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
    h' = (1 - z) * n + z * h."""

    name = "gru_step"
    gates = 3
    pattern = "ss"

    def cell(self, x_gates, h_gates, state):
        hidden_size = state.shape[1]
        rz = h_gates[:, : 2 * hidden_size]
        rz += x_gates[:, : 2 * hidden_size]
        rz = _activate(rz, self.pattern)
        r, z = _blocks(rz, 2)
        h_n = h_gates[:, 2 * hidden_size :]
        n = r * h_n
        n += x_gates[:, 2 * hidden_size :]
        np.tanh(n, out=n)
        self.rz, self.n, self.h_n = rz, n, h_n
        h_new = state - n
        h_new *= z
        h_new += n
        return h_new

    def cell_backward(self, g, state):
        r, z = _blocks(self.rz, 2)
        hidden_size = state.shape[1]
        d_x_gates = np.empty_like(self.rz, shape=(g.shape[0], 3 * hidden_size))
        d_r, d_z, d_n_pre = _blocks(d_x_gates, 3)
        np.multiply(g, 1 - z, out=d_n_pre)
        d_n_pre *= 1 - self.n * self.n
        np.multiply(d_n_pre, self.h_n, out=d_r)
        np.multiply(g, state - self.n, out=d_z)
        d_x_gates[:, : 2 * hidden_size] *= _activation_slope(self.rz, self.pattern)
        d_h_gates = d_x_gates.copy()
        d_h_gates[:, 2 * hidden_size :] *= r
        return d_x_gates, d_h_gates, g * z

    @staticmethod
    def reference(x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None):
        x_r, x_z, x_n = linear(x, w_ih, b_ih).split(w_hh.shape[1], dim=1)
        h_r, h_z, h_n = linear(state, w_hh, b_hh).split(w_hh.shape[1], dim=1)
        r, z = (x_r + h_r).sigmoid(), (x_z + h_z).sigmoid()
        n = (x_n + r * h_n).tanh()
        return _keep_masked((1 - z) * n + z * state, state, mask)


def rnn_step(x, state, w_ih, w_hh, b_ih=None, b_hh=None, nonlinearity="tanh", x_gates=None, mask=None):
    """One step of a vanilla RNN: the new hidden state (batch, hidden)."""
    return RNNStep.apply(x, state, w_ih, w_hh, b_ih, b_hh, x_gates=x_gates, mask=mask, nonlinearity=nonlinearity)


def lstm_step(x, state, w_ih, w_hh, b_ih=None, b_hh=None, x_gates=None, mask=None):
    """One LSTM step: the new state, h' and c' stacked, shape (2, batch, hidden)."""
    return LSTMStep.apply(x, state, w_ih, w_hh, b_ih, b_hh, x_gates=x_gates, mask=mask)


def gru_step(x, state, w_ih, w_hh, b_ih=None, b_hh=None, x_gates=None, mask=None):
    """One GRU step: the new hidden state (batch, hidden)."""
    return GRUStep.apply(x, state, w_ih, w_hh, b_ih, b_hh, x_gates=x_gates, mask=mask)
