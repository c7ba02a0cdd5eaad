"""RNNCell, LSTMCell, GRUCell (nn/rnn_cells.py): PyTorch's parameters, shapes and
initialisation, gradients, parity with torch, unbatched input, and clear errors."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn_helpers import assert_gradients, leaf, to_torch_state

CELLS = [
    pytest.param(nn.RNNCell, {}, 1, id="rnn_tanh"),
    pytest.param(nn.RNNCell, {"nonlinearity": "relu"}, 1, id="rnn_relu"),
    pytest.param(nn.LSTMCell, {}, 4, id="lstm"),
    pytest.param(nn.GRUCell, {}, 3, id="gru"),
]


def _state(cell, rng, batch_shape):
    h = leaf(rng.standard_normal(batch_shape + (cell.hidden_size,)))
    if isinstance(cell, nn.LSTMCell):
        return (h, leaf(rng.standard_normal(batch_shape + (cell.hidden_size,))))
    return h


def _flat(out):
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("cls, options, gates", CELLS)
def test_parameters_names_shapes_and_default_init(cls, options, gates):
    cell = cls(10, 20, **options)
    assert [(n, p.shape) for n, p in cell.named_parameters()] == [
        ("weight_ih", (gates * 20, 10)), ("weight_hh", (gates * 20, 20)),
        ("bias_ih", (gates * 20,)), ("bias_hh", (gates * 20,)),
    ]
    bound = 1 / math.sqrt(20)
    for p in cell.parameters():
        assert p.dtype == np.float32 and np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.8 * bound
    assert [n for n, _ in cls(3, 4, bias=False, **options).named_parameters()] == ["weight_ih", "weight_hh"]


@pytest.mark.parametrize("cls, options, gates", CELLS)
def test_gradients(cls, options, gates, rng):
    cell = cls(3, 2, **options).double()
    x, state = leaf(rng.standard_normal((2, 3))), _state(cell, rng, (2,))
    params = list(cell.parameters())

    def fn(x, *tensors):
        return _flat(cell(x, state))

    assert_gradients(fn, x, *params, second=options.get("nonlinearity") != "relu")
    assert_gradients(lambda *s: _flat(cell(x, s if len(s) > 1 else s[0])), *_flat(state))


@pytest.mark.parametrize("cls, options, gates", CELLS)
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("with_state", [True, False], ids=["hx", "no_hx"])
def test_parity_with_torch(cls, options, gates, batched, with_state, rng):
    torch = pytest.importorskip("torch")
    theirs = getattr(torch.nn, cls.__name__)(5, 4, **options).double()
    ours = cls(5, 4, **options).double()
    ours.load_state_dict(to_torch_state(theirs))
    batch_shape = (3,) if batched else ()
    x = rng.standard_normal(batch_shape + (5,))
    state = _state(ours, rng, batch_shape) if with_state else None
    torch_state = None
    if state is not None:
        torch_state = tuple(torch.tensor(s.data) for s in _flat(state))
        torch_state = torch_state if len(torch_state) == 2 else torch_state[0]
    x_torch = torch.tensor(x, requires_grad=True)
    x_ours = leaf(x)
    expected = _flat(theirs(x_torch, torch_state))
    got = _flat(ours(x_ours, state))
    for e, g in zip(expected, got):
        assert g.shape == tuple(e.shape)
        np.testing.assert_allclose(g.data, e.detach().numpy(), rtol=1e-12, atol=1e-12)
    sum((e * e).sum() for e in expected).backward()
    sum((g * g).sum() for g in got).backward()
    np.testing.assert_allclose(x_ours.grad, x_torch.grad.numpy(), rtol=1e-10, atol=1e-12)
    for name, p in theirs.named_parameters():
        np.testing.assert_allclose(getattr(ours, name).grad, p.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_a_loop_over_time_is_backprop_through_time(rng):
    """Weights shared over steps: the gradient is the sum of the per-step contributions."""
    cell = nn.GRUCell(2, 3).double()
    xs = [leaf(rng.standard_normal((1, 2)), requires_grad=False) for _ in range(4)]

    def run(w_hh):
        cell.weight_hh = w_hh
        h = None
        for x in xs:
            h = cell(x, h)
        return h

    assert_gradients(run, nn.Parameter(rng.standard_normal((9, 3))), second=False)


def test_repr():
    assert repr(nn.RNNCell(3, 4, nonlinearity="relu")) == "RNNCell(3, 4, nonlinearity=relu)"
    assert repr(nn.LSTMCell(3, 4, bias=False)) == "LSTMCell(3, 4, bias=False)"
    assert repr(nn.GRUCell(3, 4)) == "GRUCell(3, 4)"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: nn.LSTMCell(4, 3)(ag.zeros(2, 5)), ValueError,
         r"LSTMCell: expected input of shape \(batch, 4\) or \(4,\), got \(2, 5\)"),
        (lambda: nn.GRUCell(4, 3)(ag.zeros(2, 7, 4)), ValueError, r"GRUCell: expected input of shape \(batch, 4\)"),
        (lambda: nn.RNNCell(4, 3)(ag.zeros(2, 4), ag.zeros(3, 3)), ValueError,
         r"RNNCell: expected hx of shape \(2, 3\) for an input with batch size 2, got \(3, 3\)"),
        (lambda: nn.RNNCell(4, 3)(ag.zeros(4), ag.zeros(1, 3)), ValueError,
         r"RNNCell: expected hx of shape \(3,\) for an input with no batch dimension, got \(1, 3\)"),
        (lambda: nn.LSTMCell(4, 3)(ag.zeros(2, 4), ag.zeros(2, 3)), ValueError,
         r"LSTMCell: hx must be a pair \(h, c\)"),
        (lambda: nn.LSTMCell(4, 3)(ag.zeros(2, 4), (ag.zeros(2, 3), ag.zeros(2, 4))), ValueError,
         r"LSTMCell: expected c of shape \(2, 3\)"),
        (lambda: nn.GRUCell(4, 3)(ag.zeros(2, 4, dtype=np.float64)), TypeError,
         "GRUCell: input has dtype float64 but the weights have dtype float32"),
        (lambda: nn.RNNCell(4, 3, nonlinearity="sigmoid"), ValueError, "RNNCell: unknown nonlinearity 'sigmoid'"),
    ],
)
def test_bad_input_gives_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
