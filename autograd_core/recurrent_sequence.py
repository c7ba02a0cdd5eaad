"""Recurrent layers as one op over the whole sequence: one layer of an RNN, LSTM or GRU,
in one direction, is a single ``Function`` node, as in PyTorch's CPU kernels and cuDNN.

The forward computes the input part of every gate, ``x_t W_ih^T + b_ih``, for all time
steps with one matrix product, then loops over time inside the op: one product
``h_{t-1} W_hh^T`` per step and the gate arithmetic on arrays, keeping the gate
activations for the backward. ``fast_backward`` runs backprop through time on those
arrays, with one product ``dL/d(gates) W_hh`` per step, and then computes the input's
gradient and each weight gradient as one matrix product over all time steps::

    dL/dx = dG_x W_ih      dL/dW_ih = dG_x^T X      dL/dW_hh = dG_h^T H_prev
    dL/db_ih = column sums of dG_x                  dL/db_hh = column sums of dG_h

where X is the input, H_prev the hidden state each step read, and dG_x, dG_h the
gradients of the input and hidden gate pre-activations, all (T * B) rows (the two are
equal except in the GRU's candidate block, which the reset gate scales).

Inside the loops the arrays are gate-major, the transpose of the layers' layout: a step's
gates are a (gates, B) array and its state (hidden, B), so each gate block is one
contiguous run, and the per-step products are W_hh h^T and W_hh^T dG^T. On the LSTM
benchmark's shapes (hidden 128, batch 32, 2 BLAS threads) those products take 52-54 us
against 68-80 us batch-major (OpenBLAS shares a 512-row product between its threads
better than a 32-row one), and the gate arithmetic makes no strided pass over a block of
every row. The gate gradients of all steps are gathered as one (gates, T * B) matrix, the
left factor of the weight gradients as it stands. Forward and backward together, against
the batch-major loops: LSTM 0.93-0.99 of the time, GRU 0.81-0.91; the plain RNN, whose
step is one small product and a tanh, pays more for the transposed copies of its input,
output and gradient than it saves: 1.06-1.2.

``backward``, the definition, chains the fused steps of ``recurrent`` instead: it
recomputes the states with the steps and writes each step's derivative with their Tensor
ops (``RecurrentStep.gate_grads``), so derivatives of every order are exact; the same
formulas then give the input's and the weights' gradients.

Arguments: ``x`` (T, B, input_size); ``state``, the initial state, (B, hidden), for the
LSTM h and c stacked, (2, B, hidden); the weights in PyTorch's layout and gate order;
``mask``, None or (T, B, 1) booleans, the rows that take each step (the others keep their
state: the padded steps of shorter sequences), which gets no gradient; ``reverse=True``
runs from the last step to the first. The result is the state after every step, in time
order: (T, B, hidden), for the LSTM (2, T, B, hidden), the h of every step then the c.
"""
import numpy as np

from .function import Function
from .recurrent import GRUStep, LSTMStep, RNNStep, activate_scaled_gates, check_gate_weights, gate_blocks, gate_slope
from .shape import stack

__all__ = ["gru_sequence", "lstm_sequence", "rnn_sequence"]


def _keep_columns(new, old, mask):
    """In place: the columns (batch rows) of ``new`` that ``mask`` leaves out take
    ``old``'s values."""
    if mask is not None:
        np.copyto(new, old, where=~mask)


def _gate_major(array):
    """(..., B, n) -> (..., n, B), contiguous."""
    return np.ascontiguousarray(array.swapaxes(-1, -2))


class RecurrentSequence(Function):
    """Base of the whole-sequence ops: checks, the input projection, the order of the
    steps, the change of layout, and the gradients of the input and weights from those of
    the gates. A subclass names its fused ``step`` (gate count, state layout, Tensor-op
    derivative) and writes the time loops on gate-major arrays: ``run`` (forward: the
    states and the activations to save) and ``run_backward`` (BPTT: the gate gradients of
    every step and the initial state's)."""

    step = None
    #: Per gate block, a factor folded into the weights once per call, so that the
    #: products give the gates as ``activate_scaled_gates`` takes them (-1 for a sigmoid,
    #: -2 for a tanh block): one pass less per step. None: no factor.
    folded = None

    def forward(self, x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None, *, reverse=False, **options):
        self._check(x, state, w_ih, w_hh, mask)
        steps, batch = x.shape[:2]
        masks = self._step_masks(mask, steps)
        bias = self.input_bias(b_ih, b_hh, w_hh.shape[1])
        if self.folded is None:
            w_ih_folded, w_hh_folded = w_ih, np.ascontiguousarray(w_hh)
        else:
            factor = np.repeat(np.asarray(self.folded, dtype=w_hh.dtype), w_hh.shape[1])
            w_ih_folded, w_hh_folded = w_ih * factor[:, None], w_hh * factor[:, None]
            bias = None if bias is None else bias * factor
        # W_ih x_t^T + b for every step, gate-major: (T, gates, B), each step's gates one
        # contiguous block, which the loop then turns into the activations in place.
        x_gates = np.matmul(w_ih_folded, x.swapaxes(1, 2))
        if bias is not None:
            x_gates += bias[:, None]
        order = self._order(steps, reverse)
        states, activations = self.run(x_gates, _gate_major(state), w_hh_folded, b_hh, order, masks, **options)
        out = _gate_major(states)
        self.save_for_backward(x, state, w_ih, w_hh, b_ih, b_hh, out, masks=masks, states=states, activations=activations)
        return out

    @staticmethod
    def input_bias(b_ih, b_hh, hidden_size):
        """The bias added to the input projection once for all steps: both biases, where
        they are simply added to the gates."""
        if b_ih is None or b_hh is None:
            return b_hh if b_ih is None else b_ih
        return b_ih + b_hh

    @staticmethod
    def _order(steps, reverse):
        return range(steps - 1, -1, -1) if reverse else range(steps)

    @staticmethod
    def _step_masks(mask, steps):
        """Per step, its mask as a (1, B) row, or None when every row takes the step."""
        if mask is None:
            return [None] * steps
        return [None if m.all() else m.T for m in mask]

    def _options(self):
        return {k: v for k, v in self.attrs.items() if k != "reverse"}

    def _check(self, x, state, w_ih, w_hh, mask):
        hidden_size = check_gate_weights(self.name, self.step.gates, w_ih, w_hh)
        if x.ndim != 3 or x.shape[2] != w_ih.shape[1] or x.shape[0] == 0:
            raise ValueError(
                f"{self.name}: input of shape {x.shape} does not fit weight_ih of shape {w_ih.shape} "
                f"(expected (seq_len >= 1, batch, {w_ih.shape[1]}))"
            )
        expected = (2,) * (self.step.state_dims - 2) + (x.shape[1], hidden_size)
        if state.shape != expected:
            raise ValueError(f"{self.name}: state of shape {state.shape} does not fit; expected {expected}")
        if mask is not None and (mask.shape != x.shape[:2] + (1,) or mask.dtype != bool):
            raise ValueError(
                f"{self.name}: mask of shape {mask.shape} and dtype {mask.dtype}; expected booleans of shape "
                f"{x.shape[:2] + (1,)}"
            )

    def hidden_states(self, states):
        """The hidden state h of every step, (T, B, hidden), in the op's output."""
        return states

    def at_step(self, states, t):
        """The state after step ``t`` (or its gradient), in the steps' layout."""
        return states[t]

    def fast_backward(self, grad):
        x, state, w_ih, w_hh, b_ih, b_hh, out = self.saved_arrays
        saved, reverse = self.saved, self.attrs["reverse"]
        d_x_gates, d_h_gates, d_state = self.run_backward(
            _gate_major(grad), _gate_major(state), saved.states, np.ascontiguousarray(w_hh.T),
            self._order(x.shape[0], reverse), saved.masks, *saved.activations, **self._options()
        )
        hidden, h_0 = self.hidden_states(out), self.step.hidden(state)[None]
        h_before = np.concatenate([hidden[1:], h_0] if reverse else [h_0, hidden[:-1]])
        steps, batch = x.shape[:2]
        d_x_flat = d_x_gates.reshape(-1, steps * batch)
        d_h_flat = d_x_flat if d_h_gates is d_x_gates else d_h_gates.reshape(-1, steps * batch)
        return self._input_grads(d_x_flat, d_h_flat, _gate_major(d_state), x, h_before, w_ih)

    def backward(self, grad):
        x, state, w_ih, w_hh, b_ih, b_hh, _ = self.saved_tensors
        step, masks, options = self.step, self.saved.masks, self._options()
        order = self._order(x.shape[0], self.attrs["reverse"])
        before = [None] * len(order)  # the state each step reads
        for t in order:
            before[t] = state
            mask = None if masks[t] is None else masks[t].T
            state = step.apply(x[t], state, w_ih, w_hh, b_ih, b_hh, None, mask, **options)
        d_x_gates, d_h_gates = [None] * len(order), [None] * len(order)
        d_state = None
        for t in reversed(order):
            g = self.at_step(grad, t) if d_state is None else self.at_step(grad, t) + d_state
            mask = None if masks[t] is None else masks[t].T
            d_x_gates[t], d_h_gates[t], d_state = step.gate_grads(g, x[t], before[t], w_ih, w_hh, b_ih, b_hh, mask, **options)
        h_before = stack([step.hidden(s) for s in before])
        gates = w_ih.shape[0]
        d_x_flat, d_h_flat = (stack(d).reshape(-1, gates).T for d in (d_x_gates, d_h_gates))
        return self._input_grads(d_x_flat, d_h_flat, d_state, x, h_before, w_ih)

    def _input_grads(self, d_x_gates, d_h_gates, d_state, x, h_before, w_ih):
        """The gradients of the inputs (None for the mask) from the gate gradients of every
        step as (gates, T * B) matrices and the hidden state each step read (T, B,
        hidden): one matrix product each over all steps. Tensors or arrays alike."""
        steps, batch = x.shape[:2]
        need = self.needs_input_grad + (False,) * (7 - len(self.needs_input_grad))
        # Where the two gate gradients are one array (all but the GRU's), so are the bias
        # gradients: summed once, and copied so that each parameter owns its gradient.
        shared = d_h_gates is d_x_gates
        d_b_ih = d_x_gates.sum(axis=1) if need[4] or (need[5] and shared) else None
        d_b_hh = None
        if need[5]:
            d_b_hh = d_b_ih.copy() if shared else d_h_gates.sum(axis=1)
        grads = (
            (d_x_gates.T @ w_ih).reshape(x.shape) if need[0] else None,
            d_state if need[1] else None,
            d_x_gates @ x.reshape(steps * batch, x.shape[2]) if need[2] else None,
            d_h_gates @ h_before.reshape(steps * batch, h_before.shape[2]) if need[3] else None,
            d_b_ih if need[4] else None,
            d_b_hh,
            None,
        )
        return grads[: len(self.needs_input_grad)]


class RNNSequence(RecurrentSequence):
    """h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) for every t (or relu, with
    ``nonlinearity="relu"``)."""

    name = "rnn_sequence"
    step = RNNStep

    def run(self, x_gates, state, w_hh, b_hh, order, masks, nonlinearity="tanh"):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"{self.name}: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        states = np.empty_like(x_gates)
        h = state
        for t in order:
            h_new = states[t]
            np.matmul(w_hh, h, out=h_new)
            h_new += x_gates[t]
            if nonlinearity == "tanh":
                np.tanh(h_new, out=h_new)
            else:
                np.maximum(h_new, 0, out=h_new)
            _keep_columns(h_new, h, masks[t])
            h = h_new
        return states, ()

    def run_backward(self, grad, state, states, w_hh_t, order, masks, nonlinearity="tanh"):
        steps, hidden, batch = states.shape
        d_gates = np.empty((hidden, steps, batch), dtype=states.dtype)
        slope = np.empty_like(state)
        d_h = np.zeros_like(state)
        for t in reversed(order):
            d_h += grad[t]
            h, d_pre = states[t], d_gates[:, t]
            if nonlinearity == "tanh":
                np.multiply(h, h, out=slope)
                np.subtract(1, slope, out=slope)
            else:
                np.greater(h, 0, out=slope)
            np.multiply(d_h, slope, out=d_pre)
            if masks[t] is not None:
                d_pre *= masks[t]
            d_h_prev = w_hh_t @ d_pre
            _keep_columns(d_h_prev, d_h, masks[t])
            d_h = d_h_prev
        return d_gates, d_gates, d_h


class LSTMSequence(RecurrentSequence):
    """c_t = f * c_{t-1} + i * g, h_t = o * tanh(c_t), with gates (i, f, g, o) = (sigma,
    sigma, tanh, sigma) of x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh, for every t."""

    name = "lstm_sequence"
    step = LSTMStep
    folded = (-1, -1, -2, -1)

    def hidden_states(self, states):
        return states[0]

    def at_step(self, states, t):
        return states[:, t]

    def run(self, x_gates, state, w_hh, b_hh, order, masks):
        steps, gates, batch = x_gates.shape
        states = np.empty((2, steps, gates // 4, batch), dtype=x_gates.dtype)
        tanh_c = np.empty_like(states[0])
        h_gates = np.empty_like(x_gates[0])
        h, c = state
        for t in order:
            act = x_gates[t]  # becomes the activations, saved for the backward
            act += np.matmul(w_hh, h, out=h_gates)
            i, f, g, o = gate_blocks(activate_scaled_gates(act, LSTMStep.pattern, axis=0), 4, axis=0)
            h_new, c_new = states[0, t], states[1, t]
            np.multiply(f, c, out=c_new)
            c_new += i * g
            np.tanh(c_new, out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=h_new)
            _keep_columns(h_new, h, masks[t])
            _keep_columns(c_new, c, masks[t])
            h, c = h_new, c_new
        return states, (x_gates, tanh_c)

    def run_backward(self, grad, state, states, w_hh_t, order, masks, activations, tanh_c):
        steps, gates, batch = activations.shape
        d_gates = np.empty((gates, steps, batch), dtype=activations.dtype)
        d_act = np.empty((gates, batch), dtype=activations.dtype)
        d_i, d_f, d_g, d_o = gate_blocks(d_act, 4, axis=0)
        d_h, d_c = np.zeros_like(state[0]), np.zeros_like(state[1])
        for k in range(len(order) - 1, -1, -1):
            t = order[k]
            c_prev = states[1, order[k - 1]] if k else state[1]
            d_h += grad[0, t]
            d_c += grad[1, t]
            i, f, g, o = gate_blocks(activations[t], 4, axis=0)
            # dL/dc_t collects the path through c_{t+1} and the one through h_t = o tanh(c_t).
            d_c_total = tanh_c[t] * tanh_c[t]
            np.subtract(1, d_c_total, out=d_c_total)
            d_c_total *= o
            d_c_total *= d_h
            d_c_total += d_c
            np.multiply(d_c_total, g, out=d_i)
            np.multiply(d_c_total, c_prev, out=d_f)
            np.multiply(d_c_total, i, out=d_g)
            np.multiply(d_h, tanh_c[t], out=d_o)
            d_pre = d_gates[:, t]
            np.multiply(d_act, gate_slope(activations[t], LSTMStep.pattern, axis=0), out=d_pre)
            if masks[t] is not None:
                d_pre *= masks[t]
            d_h_prev = w_hh_t @ d_pre
            d_c_prev = d_c_total
            d_c_prev *= f
            _keep_columns(d_h_prev, d_h, masks[t])
            _keep_columns(d_c_prev, d_c, masks[t])
            d_h, d_c = d_h_prev, d_c_prev
        return d_gates, d_gates, np.stack([d_h, d_c])


class GRUSequence(RecurrentSequence):
    """r, z = sigma(...), n = tanh(x_t W_in^T + b_in + r * (h_{t-1} W_hn^T + b_hn)),
    h_t = (1 - z) * n + z * h_{t-1}, for every t."""

    name = "gru_sequence"
    step = GRUStep
    folded = (-1, -1, 1)

    @staticmethod
    def input_bias(b_ih, b_hh, hidden_size):
        # b_hn sits inside the reset gate's product, so only b_hr and b_hz join b_ih.
        if b_hh is None:
            return b_ih
        bias = b_hh.copy()
        bias[2 * hidden_size :] = 0
        if b_ih is not None:
            bias += b_ih
        return bias

    def run(self, x_gates, state, w_hh, b_hh, order, masks):
        steps, gates, batch = x_gates.shape
        hidden = gates // 3
        states = np.empty((steps, hidden, batch), dtype=x_gates.dtype)
        h_n = np.empty_like(states)  # W_hn h + b_hn, which the reset gate scales
        h_gates = np.empty_like(x_gates[0])
        h = state
        for t in order:
            np.matmul(w_hh, h, out=h_gates)
            act = x_gates[t]  # becomes r, z and n, saved for the backward
            rz = act[: 2 * hidden]
            rz += h_gates[: 2 * hidden]
            r, z = gate_blocks(activate_scaled_gates(rz, GRUStep.pattern, axis=0), 2, axis=0)
            if b_hh is None:
                h_n[t] = h_gates[2 * hidden :]
            else:
                np.add(h_gates[2 * hidden :], b_hh[2 * hidden :, None], out=h_n[t])
            n = act[2 * hidden :]
            n += r * h_n[t]
            np.tanh(n, out=n)
            h_new = states[t]
            np.subtract(h, n, out=h_new)
            h_new *= z
            h_new += n
            _keep_columns(h_new, h, masks[t])
            h = h_new
        return states, (x_gates, h_n)

    def run_backward(self, grad, state, states, w_hh_t, order, masks, activations, h_n):
        steps, gates, batch = activations.shape
        hidden = gates // 3
        d_x_gates = np.empty((gates, steps, batch), dtype=activations.dtype)
        d_h_gates = np.empty_like(d_x_gates)
        d_act = np.empty((gates, batch), dtype=activations.dtype)
        d_r, d_z, d_n = gate_blocks(d_act, 3, axis=0)
        d_h = np.zeros_like(state)
        for k in range(len(order) - 1, -1, -1):
            t = order[k]
            h_prev = states[order[k - 1]] if k else state
            d_h += grad[t]
            r, z, n = gate_blocks(activations[t], 3, axis=0)
            np.subtract(1, z, out=d_n)
            d_n *= d_h
            d_n *= 1 - n * n
            np.subtract(h_prev, n, out=d_z)
            d_z *= d_h
            np.multiply(d_n, h_n[t], out=d_r)
            d_act[: 2 * hidden] *= gate_slope(activations[t, : 2 * hidden], GRUStep.pattern, axis=0)
            if masks[t] is not None:
                d_act *= masks[t]
            d_x_gates[:, t] = d_act
            d_h_gates[: 2 * hidden, t] = d_act[: 2 * hidden]
            np.multiply(d_n, r, out=d_h_gates[2 * hidden :, t])
            d_h_prev = w_hh_t @ d_h_gates[:, t]
            d_h_prev += d_h * z
            _keep_columns(d_h_prev, d_h, masks[t])
            d_h = d_h_prev
        return d_x_gates, d_h_gates, d_h


def rnn_sequence(x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None, nonlinearity="tanh", reverse=False):
    """A vanilla RNN layer over the sequence ``x`` (T, B, input): h of every step, (T, B, hidden)."""
    return RNNSequence.apply(x, state, w_ih, w_hh, b_ih, b_hh, mask, nonlinearity=nonlinearity, reverse=reverse)


def lstm_sequence(x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None, reverse=False):
    """An LSTM layer over ``x`` (T, B, input) from ``state``, h and c stacked (2, B, hidden):
    h and c of every step, (2, T, B, hidden)."""
    return LSTMSequence.apply(x, state, w_ih, w_hh, b_ih, b_hh, mask, reverse=reverse)


def gru_sequence(x, state, w_ih, w_hh, b_ih=None, b_hh=None, mask=None, reverse=False):
    """A GRU layer over ``x`` (T, B, input): h of every step, (T, B, hidden)."""
    return GRUSequence.apply(x, state, w_ih, w_hh, b_ih, b_hh, mask, reverse=reverse)
