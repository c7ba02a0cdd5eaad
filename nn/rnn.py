"""Recurrent sequence layers ``RNN``, ``LSTM`` and ``GRU``, as PyTorch's: a stack of
``num_layers`` cells unrolled over time, optionally in both directions.

For each layer and direction ``nn.functional.rnn.scan`` computes the input part of every
gate, x_t W_ih^T + b_ih, for all time steps with one matmul before the time loop; inside
the loop each step is one fused node (``autograd_core.recurrent``) that takes that row,
the previous state and the weights. The unrolled chain of steps is an ordinary graph, so ``loss.backward()`` is
backprop through time; detaching the state between chunks of a long sequence
(``h = h.detach()``) gives truncated backprop through time.

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

Speed note: an input that itself requires grad (an embedding's output, say) is cut into
time steps by indexing, and the gradients of the T slices are summed into one array of the
input's full size, which costs a pass over that array per step. Inputs that are data (or
one-hot codes) skip this, and so do the layers above the first, whose inputs stay per step.
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
                 bidirectional=False, dtype=None):
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
        masks, valid = self._step_masks(lengths, steps, batch)
        # The first layer's steps read the input directly; only an input that needs a
        # gradient (or that a compiled program reads afresh) is cut into per-step tensors.
        compiling = ag.is_compiling()
        sequence = [x[t] for t in range(steps)] if x.requires_grad or compiling else list(x.data)
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
        output = outputs[0] if len(outputs) == 1 else cat(outputs, dim=2)
        if valid is not None:
            output = output * valid
        if not batched:
            output = output.squeeze(1)
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, self._final_states(finals, batched)

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

    def _step_masks(self, lengths, steps, batch):
        """Per step, the (B, 1) mask of sequences still running (None when all are), and the
        (T, B, 1) mask of real positions (None without lengths)."""
        if lengths is None:
            return [None] * steps, None
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
        valid = np.arange(steps)[:, None] < lengths[None, :]
        masks = [None if row.all() else row[:, None] for row in valid]
        return masks, valid[:, :, None].astype(self.weight_hh_l0.dtype)

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
        return text


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) in every layer
    (``nonlinearity="relu"`` for relu); layer l > 0 reads layer l - 1's outputs.

    ``RNN(input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
    batch_first=False, dropout=0.0, bidirectional=False)``; ``forward(input, hx=None,
    lengths=None)`` returns ``(output, h_n)``.
    """

    mode = "rnn_tanh"

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r} (use 'tanh' or 'relu')")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype)
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
    dropout=0.0, bidirectional=False)``; ``forward(input, hx=None, lengths=None)`` with
    hx = (h_0, c_0) returns ``(output, (h_n, c_n))``.
    """

    mode = "lstm"

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, dtype=None):
        if proj_size:
            raise NotImplementedError("LSTM: proj_size (projected hidden states) is not supported")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, dtype)

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
    dropout=0.0, bidirectional=False)``; ``forward(input, hx=None, lengths=None)`` returns
    ``(output, h_n)``.
    """

    mode = "gru"
