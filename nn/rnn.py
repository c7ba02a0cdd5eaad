"""Recurrent sequence layers ``RNN``, ``LSTM`` and ``GRU``, as PyTorch's: a stack of
``num_layers`` cells run over time, optionally in both directions.

Each layer and direction is one op over the whole sequence
(``nn.functional.rnn.sequence``, ``autograd_core.recurrent_sequence``): it loops over time
inside, computes the input part of every gate, x_t W_ih^T + b_ih, for all steps with one
matrix product, and its backward runs backprop through time on arrays, with the weight
gradients as one matrix product over all steps. ``loss.backward()`` is backprop through
time; detaching the state between chunks of a long sequence (``h = h.detach()``) gives
truncated backprop through time.

``unroll=True`` (a constructor argument, or the attribute ``layer.unroll``) builds the
graph unrolled instead, one fused node per time step (``nn.functional.rnn.scan``), with the
same values and gradients: the chain of steps to draw with ``draw_graph`` and to walk
through with the backward stepper, slower to run.

Shapes (T = sequence length, B = batch, D = 2 if bidirectional else 1, L = num_layers):

- input (T, B, input_size), or (B, T, input_size) with ``batch_first``, or (T, input_size)
  unbatched;
- hx, the initial state (D * L, B, hidden_size), zeros if omitted; for the LSTM the pair
  (h_0, c_0);
- output (T, B, D * hidden_size) (batch first if ``batch_first``): the last layer's h_t
  for every t, both directions concatenated;
- h_n (D * L, B, hidden_size), the final state of every layer and direction (for the LSTM
  the pair (h_n, c_n)), ordered layer 0 forward, layer 0 reverse, layer 1 forward...

Variable-length batches: ``forward(input, hx, lengths=...)`` takes each sequence's length.
Steps past a sequence's end leave its state unchanged and get no gradient, so h_n is the
state after its last real step (the reverse direction starts at its last real step), and
the output there is zero, as PyTorch's packed sequences give after ``pad_packed_sequence``.

Speed note for the unrolled graph: an input that itself requires grad (an embedding's
output, say) is cut into time steps by indexing, and the gradients of the T slices are
summed into one array of the input's full size, which costs a pass over that array per
step. Inputs that are data (or one-hot codes) skip this, and so do the layers above the
first, whose inputs stay per step.
"""
import warnings

import numpy as np

import autograd_core as ag
from autograd_core import Tensor, cat, stack

from . import functional as F
from .module import Module
from autograd_core.arguments import as_tensor

from .rnn_cells import check_dtype, register_recurrent_weights, reset_recurrent_parameters


def _suffix(layer, direction):
    """PyTorch's parameter-name suffix: ``_l0``, ``_l0_reverse``, ``_l1``..."""
    return f"_l{layer}" + ("_reverse" if direction else "")


class RNNBase(Module):
    """What ``RNN``, ``LSTM`` and ``GRU`` share: the parameters of every layer and
    direction, the checks, and the loop over layers, directions and time steps."""

    #: The recurrence, as ``nn.functional.rnn`` names it.
    mode = None

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, dtype=None, *, unroll=False):
        super().__init__()
        name = type(self).__name__
        if self.mode is None:
            raise TypeError(f"{name}: the base class of RNN, LSTM and GRU is not a layer itself; use one of those")
        if not isinstance(input_size, int) or input_size <= 0:
            raise ValueError(f"{name}: input_size must be a positive integer (as PyTorch's), got {input_size!r}")
        if not isinstance(hidden_size, int) or hidden_size <= 0:
            raise ValueError(f"{name}: hidden_size must be a positive integer, got {hidden_size!r}")
        if not isinstance(num_layers, int) or num_layers <= 0:
            raise ValueError(f"{name}: num_layers must be a positive integer, got {num_layers!r}")
        if isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError(f"{name}: dropout must be a number in [0, 1], got {dropout!r}")
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                f"{name}: dropout={dropout} acts between layers, so with num_layers=1 it does nothing",
                stacklevel=2,
            )
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        #: Build one graph node per time step (for drawing and stepping) instead of one op
        #: per layer and direction over the whole sequence.
        self.unroll = bool(unroll)
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else hidden_size * directions
                register_recurrent_weights(
                    self, _suffix(layer, direction), layer_input, hidden_size, F.rnn.gate_count(self.mode), bias, dtype
                )
        self.reset_parameters()

    def reset_parameters(self):
        """Draw fresh weights with the default initialisation, U(-1/sqrt(hidden), 1/sqrt(hidden))."""
        reset_recurrent_parameters(self)

    def flatten_parameters(self):
        """Does nothing: kept so that code written for PyTorch (where it packs weights for
        cuDNN) runs unchanged."""

    @property
    def num_directions(self):
        return 2 if self.bidirectional else 1

    @property
    def all_weights(self):
        """Per layer and direction, the list [weight_ih, weight_hh, bias_ih, bias_hh]
        (without the biases when ``bias=False``), as PyTorch's ``all_weights``."""
        return [[p for p in self._direction_weights(k // self.num_directions, k % self.num_directions) if p is not None]
                for k in range(self.num_layers * self.num_directions)]

    def _direction_weights(self, layer, direction):
        suffix = _suffix(layer, direction)
        return [getattr(self, f"{kind}{suffix}") for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]

    # -- the forward pass ---------------------------------------------------------------
    def forward(self, input, hx=None, lengths=None):
        """Run the layers over the sequence; returns ``(output, h_n)`` (LSTM:
        ``(output, (h_n, c_n))``). ``lengths`` (B integers) marks a padded batch."""
        x = self._check_input(as_tensor(input))
        batched = x.ndim == 3
        if not batched:
            if lengths is not None:
                raise ValueError(f"{type(self).__name__}: lengths needs a batched (3-D) input")
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        steps, batch = x.shape[0], x.shape[1]
        initial = self._initial_states(hx, batch, batched)
        running = self._running(lengths, steps, batch)
        output, finals = (self._unrolled if self.unroll else self._fused)(x, initial, running)
        if running is not None:
            output = output * running.astype(output.dtype)
        if not batched:
            output = output.squeeze(1)
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, self._final_states(finals, batched)

    def _fused(self, x, initial, running):
        """Each layer and direction as one op over the whole sequence: the last layer's
        output (T, B, D * hidden) and the final state of every layer and direction."""
        finals = []
        for layer in range(self.num_layers):
            if layer and self.training and self.dropout > 0:
                x = F.dropout(x, self.dropout)
            outputs = []
            for direction in range(self.num_directions):
                weights = self._direction_weights(layer, direction)
                output, final = F.rnn.sequence(self.mode, x, initial[len(finals)], weights, running, direction == 1)
                outputs.append(output)
                finals.append(final)
            x = outputs[0] if len(outputs) == 1 else cat(outputs, dim=2)
        return x, finals

    def _unrolled(self, x, initial, running):
        """The same, one node per time step (``unroll=True``)."""
        steps = x.shape[0]
        masks = [None] * steps if running is None else [None if m.all() else m for m in running]
        # The first layer's steps read the input directly; only an input that needs a
        # gradient (or that a compiled program reads afresh) is cut into per-step tensors.
        sequence = [x[t] for t in range(steps)] if x.requires_grad or ag.is_compiling() else list(x.data)
        sequence_data = x.data
        finals = []
        for layer in range(self.num_layers):
            directions = []
            for direction in range(self.num_directions):
                weights = self._direction_weights(layer, direction)
                scan = F.rnn.scan(self.mode, sequence, sequence_data, initial[len(finals)], weights, masks, direction == 1)
                finals.append(scan.final(reverse=direction == 1))
                directions.append(scan)
            if layer + 1 == self.num_layers:
                break
            sequence = self._next_layer_input(directions)
            sequence_data = np.stack([h.data for h in sequence])
        outputs = [scan.output() for scan in directions]
        return (outputs[0] if len(outputs) == 1 else cat(outputs, dim=2)), finals

    def _next_layer_input(self, directions):
        """Per time step, the hidden states of all directions side by side (with dropout
        in training): the next layer's input."""
        hidden = [scan.hiddens() for scan in directions]
        sequence = hidden[0] if len(hidden) == 1 else [cat(pair, dim=1) for pair in zip(*hidden)]
        if self.training and self.dropout > 0:
            sequence = [F.dropout(h, self.dropout) for h in sequence]
        return sequence

    # -- checks and the shapes of states --------------------------------------------------
    def _check_input(self, x):
        name = type(self).__name__
        if x.ndim not in (2, 3):
            layout = "(batch, seq_len, input_size)" if self.batch_first else "(seq_len, batch, input_size)"
            raise ValueError(
                f"{name}: expected a 3-D input {layout} or a 2-D unbatched one (seq_len, input_size), "
                f"got shape {tuple(x.shape)}"
            )
        if x.shape[-1] != self.input_size:
            raise ValueError(
                f"{name}: input of shape {tuple(x.shape)} has {x.shape[-1]} features, but input_size is "
                f"{self.input_size}"
            )
        time_axis = 1 if (x.ndim == 3 and self.batch_first) else 0
        if x.shape[time_axis] == 0:
            raise ValueError(f"{name}: input of shape {tuple(x.shape)} has no time steps")
        check_dtype(self, x, self.weight_ih_l0, "input")
        return x

    def _initial_hidden(self, hx, batch, batched, what):
        """``hx`` (D * L, B, H) checked against the input, as a batched Tensor, or None."""
        if hx is None:
            return None
        hx = as_tensor(hx)
        count = self.num_layers * self.num_directions
        expected = (count, batch, self.hidden_size) if batched else (count, self.hidden_size)
        if tuple(hx.shape) != expected:
            raise ValueError(
                f"{type(self).__name__}: expected {what} of shape {expected} (num_layers * num_directions, "
                f"{'batch, ' if batched else ''}hidden_size) for this input, got {tuple(hx.shape)}"
            )
        check_dtype(self, hx, self.weight_hh_l0, what)
        return hx if batched else hx.unsqueeze(1)

    def _initial_states(self, hx, batch, batched):
        """The initial state of each layer and direction."""
        count = self.num_layers * self.num_directions
        h0 = self._initial_hidden(hx, batch, batched, "hx")
        if h0 is None:
            return [np.zeros((batch, self.hidden_size), dtype=self.weight_hh_l0.dtype)] * count
        return [h0[k] for k in range(count)]

    def _final_states(self, finals, batched):
        h_n = stack(finals)
        return h_n if batched else h_n.squeeze(1)

    def _running(self, lengths, steps, batch):
        """(T, B, 1) booleans, the sequences still running at each step; None without
        lengths."""
        if lengths is None:
            return None
        name = type(self).__name__
        lengths = np.asarray(lengths.data if isinstance(lengths, Tensor) else lengths)
        if lengths.shape != (batch,) or lengths.dtype.kind not in "iu":
            raise ValueError(
                f"{name}: lengths must be {batch} integers (one per sequence), got shape {lengths.shape} "
                f"of dtype {lengths.dtype}"
            )
        if lengths.min() < 1 or lengths.max() > steps:
            raise ValueError(
                f"{name}: every length must be between 1 and the padded length {steps}, got {lengths.tolist()}"
            )
        return (np.arange(steps)[:, None] < lengths[None, :])[:, :, None]

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if self.bidirectional:
            text += ", bidirectional=True"
        if self.unroll:
            text += ", unroll=True"
        return text


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) in every layer
    (``nonlinearity="relu"`` for relu); layer l > 0 reads layer l - 1's outputs.

    ``RNN(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
    batch_first=False, dropout=0.0, bidirectional=False, unroll=False)``; ``forward(input,
    hx=None, lengths=None)`` returns ``(output, h_n)``. ``unroll=True``: one graph node per
    time step, to draw and step through (see the module's docstring).
    """

    mode = "rnn_tanh"

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, dtype=None, *, unroll=False):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r} (use 'tanh' or 'relu')")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype,
                         unroll=unroll)
        self.nonlinearity = nonlinearity
        self.mode = "rnn_" + nonlinearity

    def extra_repr(self):
        text = super().extra_repr()
        return text + (f", nonlinearity={self.nonlinearity}" if self.nonlinearity != "tanh" else "")


class LSTM(RNNBase):
    """Long short-term memory layers: per step, gates i, f, g, o = sigma, sigma, tanh,
    sigma of W_ih x_t + b_ih + W_hh h_{t-1} + b_hh; c_t = f * c_{t-1} + i * g;
    h_t = o * tanh(c_t).

    ``LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, unroll=False)``; ``forward(input, hx=None,
    lengths=None)`` with hx = (h_0, c_0) returns ``(output, (h_n, c_n))``.
    ``unroll=True``: one graph node per time step, to draw and step through.
    """

    mode = "lstm"

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, dtype=None, *, unroll=False):
        if proj_size:
            raise NotImplementedError("LSTM: proj_size (projected hidden states) is not supported")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype,
                         unroll=unroll)

    def _initial_states(self, hx, batch, batched):
        count = self.num_layers * self.num_directions
        if hx is None:
            zeros = np.zeros((batch, self.hidden_size), dtype=self.weight_hh_l0.dtype)
            return [(zeros, zeros)] * count
        if not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise ValueError("LSTM: hx must be the pair (h_0, c_0)")
        h0 = self._initial_hidden(hx[0], batch, batched, "h_0")
        c0 = self._initial_hidden(hx[1], batch, batched, "c_0")
        return [(h0[k], c0[k]) for k in range(count)]

    def _final_states(self, finals, batched):
        h_n = stack([h for h, _ in finals])
        c_n = stack([c for _, c in finals])
        return (h_n, c_n) if batched else (h_n.squeeze(1), c_n.squeeze(1))


class GRU(RNNBase):
    """Gated recurrent unit layers: per step r = sigma(W_ir x_t + b_ir + W_hr h + b_hr),
    z alike, n = tanh(W_in x_t + b_in + r * (W_hn h + b_hn)), h_t = (1 - z) * n + z * h.

    ``GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, unroll=False)``; ``forward(input, hx=None,
    lengths=None)`` returns ``(output, h_n)``. ``unroll=True``: one graph node per time
    step, to draw and step through.
    """

    mode = "gru"
