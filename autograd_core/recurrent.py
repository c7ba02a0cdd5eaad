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
for the LSTM ``h`` and ``c`` stacked, shape (2, batch, hidden). ``x_gates`` and the
boolean ``mask`` are positional inputs that get no gradient: the precomputed input part of
the gates, and the (batch, 1) rows that take the step (the other rows keep their state:
the padded steps of shorter sequences in a batch).

``fast_backward`` works on the arrays the forward saved (the gate activations), which are
constants to the graph. ``backward``, the definition, recomputes the gates from the saved
inputs with Tensor ops and writes the same gradients with them, so that derivatives of
any order are exact.
"""
import functools

import numpy as np

from .elementwise import where
from .function import Function
from .linalg import linear
from .shape import cat, stack
from .tensor import Tensor

__all__ = ["gru_step", "input_gates", "lstm_step", "rnn_step"]


def gate_blocks(array, count, axis=-1):
    """The gate blocks of ``array``: views along ``axis``, the last (batch-major rows of
    gates) or the first (the gate-major columns of the whole-sequence ops)."""
    size = array.shape[axis] // count
    if axis == 0:
        return [array[k * size : (k + 1) * size] for k in range(count)]
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
def gate_scale(pattern, hidden_size, dtype):
    """Per column: 1 in a sigmoid block ('s'), 2 in a tanh block ('t'), since
    tanh(a) = 2 sigmoid(2a) - 1."""
    scale = np.repeat([1.0 if kind == "s" else 2.0 for kind in pattern], hidden_size).astype(dtype)
    scale.flags.writeable = False
    return scale


def activate_gates(pre, pattern):
    """Apply sigmoid or tanh blockwise to ``pre``, in place, with one exp over the whole
    array (NumPy's exp is about twice as fast as its tanh): act = s sigmoid(s pre) - (s - 1)."""
    np.multiply(pre, -gate_scale(pattern, pre.shape[-1] // len(pattern), pre.dtype), out=pre)
    return activate_scaled_gates(pre, pattern)


def activate_scaled_gates(scaled, pattern, axis=-1):
    """``activate_gates`` from ``scaled`` = -s pre, in place: a whole-sequence op gets it
    straight from the products by scaling its weights once, which saves a pass per step.
    The gate blocks lie along ``axis`` (see ``gate_blocks``)."""
    with np.errstate(over="ignore", under="ignore"):  # exp = inf or 0 gives sigmoid 0 or 1, as it should
        np.exp(scaled, out=scaled)
    scaled += 1
    np.reciprocal(scaled, out=scaled)
    for block, kind in zip(gate_blocks(scaled, len(pattern), axis), pattern):
        if kind == "t":
            block *= 2
            block -= 1
    return scaled


def gate_slope(act, pattern, axis=-1):
    """d(activation)/d(pre-activation) from the activation: s (1 - s) for a sigmoid block,
    (1 + t)(1 - t) for a tanh block, i.e. (act - low) (1 - act) with low = 1 - scale.
    The gate blocks lie along ``axis`` (see ``gate_blocks``)."""
    scale = gate_scale(pattern, act.shape[axis] // len(pattern), act.dtype)
    if axis == 0:
        scale = scale.reshape((-1,) + (1,) * (act.ndim - 1))
    return (act + (scale - 1)) * (1 - act)


def check_gate_weights(name, gates, w_ih, w_hh):
    """The hidden size, after checking that the weights hold ``gates`` blocks of it."""
    hidden_size = w_hh.shape[1] if w_hh.ndim == 2 else 0
    if w_hh.ndim != 2 or w_ih.ndim != 2 or w_hh.shape[0] != gates * hidden_size or w_ih.shape[0] != w_hh.shape[0]:
        raise ValueError(
            f"{name}: weight_ih of shape {w_ih.shape} and weight_hh of shape {w_hh.shape} do not "
            f"hold {gates} gate blocks of hidden size {hidden_size}"
        )
    return hidden_size


def _keep_masked(new_state, state, mask):
    """The new state in the rows ``mask`` selects, the old one elsewhere (Tensor ops)."""
    return new_state if mask is None else where(mask, new_state, state)


class RecurrentStep(Function):
    """Base of the fused steps: the two affine maps that feed the gates, masking, and the
    weight gradients. A subclass supplies the cell's nonlinear part: ``cell`` (forward on
    arrays, returning the new state and the activations its backward needs),
    ``cell_backward`` (its gradients on arrays), ``cell_vjp`` (the same with Tensor ops)
    and ``reference`` (the step in primitive Tensor ops)."""

    gates = 1
    state_dims = 2

    def forward(self, x, state, w_ih, w_hh, b_ih=None, b_hh=None, x_gates=None, mask=None, **options):
        self._check(x, state, w_ih, w_hh, x_gates, mask)
        if x_gates is None:
            x_gates = _affine(x, w_ih, b_ih)
        h_gates = _affine(self.hidden(state), w_hh, b_hh)
        new_state, activations = self.cell(x_gates, h_gates, state, **options)
        if mask is not None:
            new_state = np.where(mask, new_state, state)
        self.save_for_backward(x, state, w_ih, w_hh, b_ih, b_hh, mask=mask, activations=activations)
        return new_state

    @staticmethod
    def hidden(state):
        """The hidden state ``h`` inside the state (the LSTM stacks ``h`` and ``c``)."""
        return state

    def _check(self, x, state, w_ih, w_hh, x_gates, mask):
        hidden_size = check_gate_weights(self.name, self.gates, w_ih, w_hh)
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

    def _options(self):
        return {k: v for k, v in self.attrs.items() if k not in ("x_gates", "mask")}

    def backward(self, grad):
        x, state, w_ih, w_hh, b_ih, b_hh = self.saved_tensors
        d_x_gates, d_h_gates, d_state = self.gate_grads(
            grad, x, state, w_ih, w_hh, b_ih, b_hh, self.saved.mask, **self._options()
        )
        return self._input_grads(d_x_gates, d_h_gates, d_state, x, state, w_ih)

    @classmethod
    def gate_grads(cls, grad, x, state, w_ih, w_hh, b_ih, b_hh, mask=None, **options):
        """The step's vector-Jacobian product in Tensor ops, before the weights: from
        dL/d(new state), the gradients of the input gates ``x W_ih^T + b_ih``, of the hidden
        gates ``h W_hh^T + b_hh``, and of the old state. (A whole-sequence op's exact
        backward chains these over time.)"""
        g = grad if mask is None else grad * mask
        pre_x = linear(x, w_ih, b_ih)
        pre_h = linear(cls.hidden(state), w_hh, b_hh)
        d_x_gates, d_h_gates, d_rest = cls.cell_vjp(g, pre_x, pre_h, state, **options)
        d_state = cls.state_grad(d_h_gates @ w_hh, d_rest)
        if mask is not None:
            d_state = where(mask, d_state, grad)
        return d_x_gates, d_h_gates, d_state

    def fast_backward(self, grad):
        x, state, w_ih, w_hh, b_ih, b_hh = self.saved_arrays
        mask = self.saved.mask
        g = grad if mask is None else grad * mask
        d_x_gates, d_h_gates, d_state = self.cell_backward(g, state, *self.saved.activations)
        d_h = d_h_gates @ w_hh if self.needs_input_grad[1] else None
        if d_h is not None:
            if d_state is None:
                d_state = d_h
            else:
                self.hidden(d_state)[...] += d_h
            if mask is not None:
                d_state = np.where(mask, d_state, grad)
        return self._input_grads(d_x_gates, d_h_gates, d_state, x, state, w_ih)

    def _input_grads(self, d_x_gates, d_h_gates, d_state, x, state, w_ih):
        """The gradients of the inputs (None for x_gates and mask), from those of the gate
        pre-activations and of the state: Tensors or arrays alike."""
        need = self.needs_input_grad
        grads = [
            d_x_gates @ w_ih if need[0] else None,
            d_state if need[1] else None,
            d_x_gates.T @ x if need[2] else None,
            d_h_gates.T @ self.hidden(state) if need[3] else None,
            d_x_gates.sum(axis=0) if len(need) > 4 and need[4] else None,
            d_h_gates.sum(axis=0) if len(need) > 5 and need[5] else None,
        ]
        return tuple(grads[: len(need)]) + (None,) * (len(need) - 6)

    @staticmethod
    def state_grad(d_h, d_rest):
        """dL/d(state) from the gradient reaching ``h`` through the hidden gates and the
        cell's own part ``d_rest`` (Tensor ops)."""
        return d_h if d_rest is None else d_h + d_rest


class RNNStep(RecurrentStep):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or relu with ``nonlinearity="relu"``."""

    name = "rnn_step"

    def cell(self, x_gates, h_gates, state, nonlinearity="tanh"):
        pre = h_gates
        pre += x_gates
        if nonlinearity == "tanh":
            h_new = np.tanh(pre, out=pre)
            return h_new, (h_new, None)
        if nonlinearity == "relu":
            slope = pre > 0
            return np.maximum(pre, 0, out=pre), (None, slope)
        raise ValueError(f"rnn_step: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")

    @staticmethod
    def cell_backward(g, state, h_new, slope):
        d_pre = g * (1 - h_new * h_new) if slope is None else g * slope
        return d_pre, d_pre, None

    @staticmethod
    def cell_vjp(g, pre_x, pre_h, state, nonlinearity="tanh"):
        pre = pre_x + pre_h
        if nonlinearity == "tanh":
            h_new = pre.tanh()
            d_pre = g * (1 - h_new * h_new)
        else:
            d_pre = g * (pre.data > 0)
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
        act = activate_gates(pre, self.pattern)
        i, f, g, o = gate_blocks(act, 4)
        new_state = np.empty_like(state, dtype=act.dtype)
        h_new, c_new = new_state
        np.multiply(f, state[1], out=c_new)
        c_new += i * g
        tanh_c = np.tanh(c_new)
        np.multiply(o, tanh_c, out=h_new)
        return new_state, (act, tanh_c)

    def cell_backward(self, g, state, act, tanh_c):
        d_h, d_c = g
        i, f, gg, o = gate_blocks(act, 4)
        # dL/dc' collects the direct path and the one through h' = o tanh(c').
        d_c_total = d_h * o
        d_c_total *= 1 - tanh_c * tanh_c
        d_c_total += d_c
        d_act = np.empty_like(act)
        d_i, d_f, d_g, d_o = gate_blocks(d_act, 4)
        np.multiply(d_c_total, gg, out=d_i)
        np.multiply(d_c_total, state[1], out=d_f)
        np.multiply(d_c_total, i, out=d_g)
        np.multiply(d_h, tanh_c, out=d_o)
        d_pre = d_act
        d_pre *= gate_slope(act, self.pattern)
        d_state = np.empty_like(d_pre, shape=state.shape)
        d_state[0] = 0
        np.multiply(d_c_total, f, out=d_state[1])
        return d_pre, d_pre, d_state

    @staticmethod
    def cell_vjp(g, pre_x, pre_h, state):
        i, f, gg, o = (pre_x + pre_h).split(state.shape[-1], dim=1)
        i, f, gg, o = i.sigmoid(), f.sigmoid(), gg.tanh(), o.sigmoid()
        c = state[1]
        tanh_c = (f * c + i * gg).tanh()
        d_h, d_c = g[0], g[1]
        d_c_total = d_h * o * (1 - tanh_c * tanh_c) + d_c
        d_pre = cat(
            [d_c_total * gg * i * (1 - i), d_c_total * c * f * (1 - f), d_c_total * i * (1 - gg * gg),
             d_h * tanh_c * o * (1 - o)],
            dim=1,
        )
        return d_pre, d_pre, d_c_total * f

    @staticmethod
    def state_grad(d_h, d_c):
        return stack([d_h, d_c])

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
        rz = activate_gates(rz, self.pattern)
        r, z = gate_blocks(rz, 2)
        h_n = h_gates[:, 2 * hidden_size :]
        n = r * h_n
        n += x_gates[:, 2 * hidden_size :]
        np.tanh(n, out=n)
        h_new = state - n
        h_new *= z
        h_new += n
        return h_new, (rz, n, h_n)

    def cell_backward(self, g, state, rz, n, h_n):
        r, z = gate_blocks(rz, 2)
        hidden_size = state.shape[1]
        d_x_gates = np.empty_like(rz, shape=(g.shape[0], 3 * hidden_size))
        d_r, d_z, d_n_pre = gate_blocks(d_x_gates, 3)
        np.multiply(g, 1 - z, out=d_n_pre)
        d_n_pre *= 1 - n * n
        np.multiply(d_n_pre, h_n, out=d_r)
        np.multiply(g, state - n, out=d_z)
        d_x_gates[:, : 2 * hidden_size] *= gate_slope(rz, self.pattern)
        d_h_gates = d_x_gates.copy()
        d_h_gates[:, 2 * hidden_size :] *= r
        return d_x_gates, d_h_gates, g * z

    @staticmethod
    def cell_vjp(g, pre_x, pre_h, state):
        hidden_size = state.shape[-1]
        x_r, x_z, x_n = pre_x.split(hidden_size, dim=1)
        h_r, h_z, h_n = pre_h.split(hidden_size, dim=1)
        r, z = (x_r + h_r).sigmoid(), (x_z + h_z).sigmoid()
        n = (x_n + r * h_n).tanh()
        d_n_pre = g * (1 - z) * (1 - n * n)
        d_r = d_n_pre * h_n * r * (1 - r)
        d_z = g * (state - n) * z * (1 - z)
        return cat([d_r, d_z, d_n_pre], dim=1), cat([d_r, d_z, d_n_pre * r], dim=1), g * z

    @staticmethod
    def reference(x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None):
        x_r, x_z, x_n = linear(x, w_ih, b_ih).split(w_hh.shape[1], dim=1)
        h_r, h_z, h_n = linear(state, w_hh, b_hh).split(w_hh.shape[1], dim=1)
        r, z = (x_r + h_r).sigmoid(), (x_z + h_z).sigmoid()
        n = (x_n + r * h_n).tanh()
        return _keep_masked((1 - z) * n + z * state, state, mask)


def rnn_step(x, state, w_ih, w_hh, b_ih=None, b_hh=None, nonlinearity="tanh", x_gates=None, mask=None):
    """One step of a vanilla RNN: the new hidden state (batch, hidden)."""
    return RNNStep.apply(x, state, w_ih, w_hh, b_ih, b_hh, x_gates, mask, nonlinearity=nonlinearity)


def lstm_step(x, state, w_ih, w_hh, b_ih=None, b_hh=None, x_gates=None, mask=None):
    """One LSTM step: the new state, h' and c' stacked, shape (2, batch, hidden)."""
    return LSTMStep.apply(x, state, w_ih, w_hh, b_ih, b_hh, x_gates, mask)


def gru_step(x, state, w_ih, w_hh, b_ih=None, b_hh=None, x_gates=None, mask=None):
    """One GRU step: the new hidden state (batch, hidden)."""
    return GRUStep.apply(x, state, w_ih, w_hh, b_ih, b_hh, x_gates, mask)
