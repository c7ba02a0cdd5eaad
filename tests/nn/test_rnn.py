"""RNN, LSTM, GRU (nn/rnn.py): shapes for every option, PyTorch's parameter names and
outputs (parity), backprop through time checked by central differences (first and second
order), variable-length batches, dropout between layers, truncated BPTT, and clear errors;
the parity and gradient tests run both the whole-sequence ops and the unrolled graph
(``unroll=True``), which must agree with each other."""
import itertools
import math

import numpy as np
import pytest

import autograd_core as ag
import nn
from nn_helpers import assert_gradients, leaf, to_torch_state

LAYERS = [pytest.param(nn.RNN, id="RNN"), pytest.param(nn.LSTM, id="LSTM"), pytest.param(nn.GRU, id="GRU")]
UNROLL = pytest.mark.parametrize("unroll", [False, True], ids=["sequence_op", "unrolled"])
T, B, I, H = 5, 3, 4, 6


def _states(out):
    """The final states as a tuple: (h_n,) or (h_n, c_n)."""
    return out if isinstance(out, tuple) else (out,)


def _initial(cls, shape, rng):
    make = lambda: leaf(rng.standard_normal(shape))  # noqa: E731
    return (make(), make()) if cls is nn.LSTM else make()


@pytest.mark.parametrize("cls", LAYERS)
@pytest.mark.parametrize(
    "num_layers, bidirectional, batch_first, batched, with_hx",
    [combo for combo in itertools.product([1, 2], [False, True], [False, True], [True, False], [False, True])
     if combo[3] or not combo[2]],  # batch_first means nothing without a batch
)
def test_output_and_state_shapes(cls, num_layers, bidirectional, batch_first, batched, with_hx, rng):
    layer = cls(I, H, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    d = 2 if bidirectional else 1
    x_shape = ((B, T, I) if batch_first else (T, B, I)) if batched else (T, I)
    state_shape = (d * num_layers, B, H) if batched else (d * num_layers, H)
    hx = _initial(cls, state_shape, rng) if with_hx else None
    if hx is not None:
        hx = tuple(h.float() for h in hx) if cls is nn.LSTM else hx.float()
    output, final = layer(ag.randn(*x_shape), hx)
    expected_output = ((B, T, d * H) if batch_first else (T, B, d * H)) if batched else (T, d * H)
    assert output.shape == expected_output and output.dtype == np.float32
    assert len(_states(final)) == (2 if cls is nn.LSTM else 1)
    assert all(s.shape == state_shape for s in _states(final))


@pytest.mark.parametrize("cls", LAYERS)
def test_parameter_names_shapes_and_default_init(cls):
    torch = pytest.importorskip("torch")
    ours = cls(I, H, num_layers=2, bidirectional=True)
    theirs = getattr(torch.nn, cls.__name__)(I, H, num_layers=2, bidirectional=True)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    bound = 1 / math.sqrt(H)
    assert all(np.abs(p.data).max() <= bound for p in ours.parameters())
    assert len(ours.all_weights) == 4 and len(ours.all_weights[0]) == 4
    assert [n for n, _ in cls(I, H, bias=False).named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]


@pytest.mark.parametrize("cls", LAYERS)
@pytest.mark.parametrize(
    "num_layers, bidirectional, batch_first", [(1, False, False), (2, True, True), (3, False, True)]
)
@pytest.mark.parametrize("with_hx", [False, True], ids=["no_hx", "hx"])
@UNROLL
def test_parity_with_torch(cls, num_layers, bidirectional, batch_first, with_hx, unroll, rng):
    """Converted PyTorch weights load and give the same outputs, states and gradients."""
    torch = pytest.importorskip("torch")
    options = dict(num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    if cls is nn.RNN:
        options["nonlinearity"] = "relu" if num_layers == 3 else "tanh"
    theirs = getattr(torch.nn, cls.__name__)(I, H, **options).double()
    ours = cls(I, H, **options, unroll=unroll).double()
    ours.load_state_dict(to_torch_state(theirs))
    x = rng.standard_normal((B, T, I) if batch_first else (T, B, I))
    d = 2 if bidirectional else 1
    hx = _initial(cls, (d * num_layers, B, H), rng) if with_hx else None
    torch_hx = None if hx is None else tuple(torch.tensor(h.data, requires_grad=True) for h in _states(hx))
    x_torch, x_ours = torch.tensor(x, requires_grad=True), leaf(x)
    out_t, final_t = theirs(x_torch, torch_hx if cls is nn.LSTM or torch_hx is None else torch_hx[0])
    out_o, final_o = ours(x_ours, hx)
    for theirs_value, ours_value in zip((out_t,) + _states(final_t), (out_o,) + _states(final_o)):
        np.testing.assert_allclose(ours_value.data, theirs_value.detach().numpy(), rtol=1e-10, atol=1e-12)
    sum((v ** 3).sum() for v in (out_t,) + _states(final_t)).backward()
    sum((v ** 3).sum() for v in (out_o,) + _states(final_o)).backward()
    np.testing.assert_allclose(x_ours.grad, x_torch.grad.numpy(), rtol=1e-9, atol=1e-12)
    for name, p in theirs.named_parameters():
        np.testing.assert_allclose(getattr(ours, name).grad, p.grad.numpy(), rtol=1e-9, atol=1e-12)
    if hx is not None:
        for ours_h, theirs_h in zip(_states(hx), torch_hx):
            np.testing.assert_allclose(ours_h.grad, theirs_h.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("cls", LAYERS)
@UNROLL
def test_backprop_through_time_matches_central_differences(cls, unroll, rng):
    """Two bidirectional layers on tiny sizes, gradients w.r.t. the input, the initial
    state and every weight."""
    layer = cls(2, 2, num_layers=2, bidirectional=True, unroll=unroll).double()
    x = leaf(rng.standard_normal((3, 2, 2)))
    hx = _initial(cls, (4, 2, 2), rng)
    weights = list(layer.parameters())

    def fn(x, *tensors):
        output, final = layer(x, hx)
        return (output,) + _states(final)

    assert ag.gradcheck(fn, (x, *_states(hx), *weights))


RECURRENCES = [
    pytest.param(nn.RNN, {}, id="RNN"),
    pytest.param(nn.RNN, {"nonlinearity": "relu"}, id="RNN_relu"),
    pytest.param(nn.LSTM, {}, id="LSTM"),
    pytest.param(nn.GRU, {}, id="GRU"),
]


def _run_all(layer, x, hx, lengths, seed):
    """Outputs, final states and the gradients of x, hx and every weight, for a loss on
    all of them, from the library seed ``seed`` (dropout masks)."""
    layer.zero_grad()
    for t in (x, *_states(hx)):
        t.grad = None
    ag.manual_seed(seed)
    output, final = layer(x, hx, lengths=lengths)
    values = (output,) + _states(final)
    sum((v ** 3).sum() for v in values).backward()
    grads = [x.grad] + [h.grad for h in _states(hx)] + [p.grad for p in layer.parameters()]
    return [v.data for v in values], grads


@pytest.mark.parametrize("cls, options", RECURRENCES)
def test_sequence_ops_and_unrolled_graph_agree(cls, options, rng):
    """Every option at once (layers, both directions, batch first, lengths, initial state,
    dropout between layers in training): the same values and gradients either way."""
    layer = cls(I, H, num_layers=3, bidirectional=True, batch_first=True, dropout=0.3, **options).double()
    x = leaf(rng.standard_normal((B, T, I)))
    hx = _initial(cls, (6, B, H), rng)
    fused = _run_all(layer, x, hx, [5, 2, 4], seed=3)
    layer.unroll = True
    unrolled = _run_all(layer, x, hx, [5, 2, 4], seed=3)
    for a, b in zip(fused[0] + fused[1], unrolled[0] + unrolled[1]):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("cls", LAYERS)
def test_one_node_per_layer_and_direction_or_per_step(cls):
    """The graph: by default one op per layer and direction over the whole sequence; with
    ``unroll=True`` one fused step per time step, layer and direction."""
    x = ag.randn(T, B, I, requires_grad=True)
    ops = {}
    for unroll in (False, True):
        output, _ = cls(I, H, num_layers=2, bidirectional=True, unroll=unroll)(x)
        names = [node.name for node in ag.engine.topological_order([output.grad_fn])]
        ops[unroll] = {name: names.count(name) for name in names if name.endswith(("_sequence", "_step"))}
    prefix = cls.__name__.lower()
    assert ops == {False: {f"{prefix}_sequence": 4}, True: {f"{prefix}_step": 4 * T}}


@pytest.mark.parametrize("cls, options", RECURRENCES[:1] + RECURRENCES[2:])
def test_second_derivatives_with_lengths_in_both_directions(cls, options, rng):
    """gradcheck and gradgradcheck through the layer (float64, tiny sizes): both
    directions on a padded batch, by the whole-sequence ops."""
    layer = cls(2, 2, bidirectional=True, **options).double()
    x = leaf(rng.standard_normal((3, 2, 2)))
    hx = _initial(cls, (2, 2, 2), rng)
    weights = list(layer.parameters())

    def fn(x, *tensors):
        output, final = layer(x, hx, lengths=[3, 1])
        return (output,) + _states(final)

    assert_gradients(fn, x, *_states(hx), *weights)


@pytest.mark.parametrize("cls", LAYERS)
@pytest.mark.parametrize("bidirectional", [False, True])
@UNROLL
def test_lengths_give_the_results_of_each_sequence_alone(cls, bidirectional, unroll, rng):
    """Padding is invisible: outputs at real steps, final states and every gradient equal
    those of running each sequence unpadded; outputs at padded steps are zero."""
    layer = cls(I, H, num_layers=2, bidirectional=bidirectional, batch_first=True, unroll=unroll).double()
    lengths = [5, 2, 4]
    x = rng.standard_normal((B, T, I))
    for b, n in enumerate(lengths):
        x[b, n:] = 1e3  # garbage in the padding must not leak anywhere
    x_batch = leaf(x)
    output, final = layer(x_batch, lengths=lengths)
    loss = (output * output).sum() + sum((s * s).sum() for s in _states(final))
    loss.backward()
    batch_grads = {name: p.grad.copy() for name, p in layer.named_parameters()}
    np.testing.assert_array_equal(output.data[1, 2:], 0.0)

    layer.zero_grad()
    total = 0
    for b, n in enumerate(lengths):
        x_alone = leaf(x[b : b + 1, :n])
        out_alone, final_alone = layer(x_alone)
        np.testing.assert_allclose(output.data[b : b + 1, :n], out_alone.data, rtol=1e-12, atol=1e-12)
        for s_batch, s_alone in zip(_states(final), _states(final_alone)):
            np.testing.assert_allclose(s_batch.data[:, b : b + 1], s_alone.data, rtol=1e-12, atol=1e-12)
        total = total + (out_alone * out_alone).sum() + sum((s * s).sum() for s in _states(final_alone))
        total.backward()
        total = 0
        np.testing.assert_allclose(x_batch.grad[b, :n], x_alone.grad[0], rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(x_batch.grad[b, n:], 0.0)
    for name, p in layer.named_parameters():
        np.testing.assert_allclose(batch_grads[name], p.grad, rtol=1e-10, atol=1e-12)


@UNROLL
def test_lengths_match_torch_packed_sequences(unroll, rng):
    torch = pytest.importorskip("torch")
    theirs = torch.nn.LSTM(I, H, num_layers=2, bidirectional=True).double()
    ours = nn.LSTM(I, H, num_layers=2, bidirectional=True, unroll=unroll).double()
    ours.load_state_dict(to_torch_state(theirs))
    x, lengths = rng.standard_normal((T, B, I)), [3, 5, 1]
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), lengths, enforce_sorted=False)
    packed_out, (h_t, c_t) = theirs(packed)
    out_t, _ = torch.nn.utils.rnn.pad_packed_sequence(packed_out, total_length=T)
    out_o, (h_o, c_o) = ours(ag.Tensor(x), lengths=np.array(lengths))
    for o, t in ((out_o, out_t), (h_o, h_t), (c_o, c_t)):
        np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cls", LAYERS)
@UNROLL
def test_dropout_acts_between_layers_in_training_only(cls, unroll, rng):
    x = ag.Tensor(rng.standard_normal((T, B, I)).astype(np.float32))
    layer = cls(I, H, num_layers=2, dropout=0.5, unroll=unroll)
    first, second = layer(x)[0], layer(x)[0]
    assert not np.allclose(first.data, second.data)
    layer.eval()
    np.testing.assert_array_equal(layer(x)[0].data, layer(x)[0].data)
    plain = cls(I, H, num_layers=2, unroll=unroll)
    plain.load_state_dict(layer.state_dict())
    np.testing.assert_array_equal(plain(x)[0].data, layer(x)[0].data)
    with pytest.warns(UserWarning, match="dropout=0.5 acts between layers"):
        cls(I, H, dropout=0.5)


def test_truncated_backprop_through_time_by_detaching_the_state(rng):
    layer = nn.LSTM(I, H)
    chunks = [ag.Tensor(rng.standard_normal((T, B, I)).astype(np.float32), requires_grad=True) for _ in range(2)]
    _, (h, c) = layer(chunks[0])
    output, _ = layer(chunks[1], (h.detach(), c.detach()))
    output.sum().backward()
    assert chunks[0].grad is None and chunks[1].grad is not None
    layer.zero_grad()
    output, _ = layer(chunks[1], (h, c))  # without detaching, the gradient reaches chunk 0
    output.sum().backward()
    assert chunks[0].grad is not None and np.abs(chunks[0].grad).sum() > 0


def test_repr():
    assert repr(nn.LSTM(4, 6)) == "LSTM(4, 6)"
    assert (
        repr(nn.GRU(4, 6, num_layers=2, bias=False, batch_first=True, dropout=0.25, bidirectional=True))
        == "GRU(4, 6, num_layers=2, bias=False, batch_first=True, dropout=0.25, bidirectional=True)"
    )
    assert repr(nn.RNN(4, 6, nonlinearity="relu")) == "RNN(4, 6, nonlinearity=relu)"
    assert repr(nn.LSTM(4, 6, unroll=True)) == "LSTM(4, 6, unroll=True)"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: nn.LSTM(4, 6)(ag.zeros(5, 3, 7)), ValueError,
         r"LSTM: input of shape \(5, 3, 7\) has 7 features, but input_size is 4"),
        (lambda: nn.GRU(4, 6)(ag.zeros(4)), ValueError,
         r"GRU: expected a 3-D input \(seq_len, batch, input_size\) or a 2-D unbatched one \(seq_len, input_size\), "
         r"got shape \(4,\)"),
        (lambda: nn.GRU(4, 6, batch_first=True)(ag.zeros(1, 2, 5, 4)), ValueError,
         r"GRU: expected a 3-D input \(batch, seq_len, input_size\)"),
        (lambda: nn.RNN(4, 6, num_layers=2)(ag.zeros(5, 3, 4), ag.zeros(1, 3, 6)), ValueError,
         r"RNN: expected hx of shape \(2, 3, 6\) \(num_layers \* num_directions, batch, hidden_size\) for this input, "
         r"got \(1, 3, 6\)"),
        (lambda: nn.RNN(4, 6)(ag.zeros(5, 4), ag.zeros(1, 3, 6)), ValueError,
         r"RNN: expected hx of shape \(1, 6\) \(num_layers \* num_directions, hidden_size\)"),
        (lambda: nn.LSTM(4, 6)(ag.zeros(5, 3, 4), ag.zeros(1, 3, 6)), ValueError,
         r"LSTM: hx must be the pair \(h_0, c_0\)"),
        (lambda: nn.LSTM(4, 6)(ag.zeros(5, 3, 4), (ag.zeros(1, 3, 6), ag.zeros(1, 2, 6))), ValueError,
         r"LSTM: expected c_0 of shape \(1, 3, 6\)"),
        (lambda: nn.GRU(4, 6)(ag.zeros(5, 3, 4), lengths=[5, 0, 2]), ValueError,
         r"GRU: every length must be between 1 and the padded length 5, got \[5, 0, 2\]"),
        (lambda: nn.GRU(4, 6)(ag.zeros(5, 3, 4), lengths=[5, 2]), ValueError,
         r"GRU: lengths must be 3 integers \(one per sequence\), got shape \(2,\)"),
        (lambda: nn.GRU(4, 6)(ag.zeros(5, 4), lengths=[5]), ValueError, "GRU: lengths needs a batched"),
        (lambda: nn.GRU(4, 6)(ag.zeros(0, 3, 4)), ValueError, r"GRU: input of shape \(0, 3, 4\) has no time steps"),
        (lambda: nn.LSTM(4, 6)(ag.zeros(5, 3, 4, dtype=np.float64)), TypeError,
         "LSTM: input has dtype float64 but the weights have dtype float32"),
        (lambda: nn.GRU(4, 6)(ag.zeros(5, 3, 4), ag.zeros(1, 3, 6, dtype=np.float64)), TypeError,
         "GRU: hx has dtype float64 but the weights have dtype float32"),
        (lambda: nn.LSTM(4, 6, proj_size=2), NotImplementedError, "proj_size"),
        (lambda: nn.GRU(4, 6, num_layers=0), ValueError, "GRU: num_layers must be a positive integer, got 0"),
        (lambda: nn.RNN(4, 6, nonlinearity="gelu"), ValueError, "RNN: unknown nonlinearity 'gelu'"),
    ],
)
def test_bad_input_gives_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
