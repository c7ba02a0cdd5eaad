"""Shape ops: values against NumPy, gradients and second derivatives in float64, views
sharing memory, and errors naming the op and the shapes."""
import numpy as np
import pytest

import autograd_core as ag

# name, input shape, our op, NumPy reference
VIEWS = [
    ("reshape", (2, 3), lambda x: x.reshape(3, 2), lambda a: a.reshape(3, 2)),
    ("reshape_tuple_minus_one", (2, 3, 4), lambda x: x.reshape((4, -1)), lambda a: a.reshape(4, -1)),
    ("reshape_0d_to_1x1", (), lambda x: x.reshape(1, 1), lambda a: a.reshape(1, 1)),
    ("reshape_empty", (0, 3), lambda x: x.reshape(3, 0), lambda a: a.reshape(3, 0)),
    ("view", (2, 3), lambda x: x.view(6), lambda a: a.reshape(6)),
    ("flatten", (2, 3, 4), lambda x: x.flatten(), lambda a: a.reshape(-1)),
    ("flatten_range", (2, 3, 4, 5), lambda x: x.flatten(1, 2), lambda a: a.reshape(2, 12, 5)),
    ("flatten_0d", (), lambda x: x.flatten(), lambda a: a.reshape(1)),
    ("flatten_empty", (2, 0, 3), lambda x: x.flatten(1), lambda a: a.reshape(2, 0)),
    ("transpose", (2, 3, 4), lambda x: x.transpose(0, 2), lambda a: a.swapaxes(0, 2)),
    ("transpose_default", (2, 3), lambda x: x.transpose(), lambda a: a.T),
    ("transpose_1d", (3,), lambda x: x.transpose(0, -1), lambda a: a),
    ("swapaxes", (2, 3, 4), lambda x: x.swapaxes(-1, 1), lambda a: a.swapaxes(-1, 1)),
    ("permute", (2, 3, 4), lambda x: x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1)),
    ("permute_negative", (2, 3, 4), lambda x: x.permute((-1, -3, -2)), lambda a: a.transpose(2, 0, 1)),
    ("T", (2, 3), lambda x: x.T, lambda a: a.T),
    ("T_3d", (2, 3, 4), lambda x: x.T, lambda a: a.transpose(2, 1, 0)),
    ("T_0d", (), lambda x: x.T, lambda a: a),
    ("squeeze_all", (1, 3, 1), lambda x: x.squeeze(), lambda a: a.squeeze()),
    ("squeeze_dim", (1, 3, 1), lambda x: x.squeeze(-1), lambda a: a.squeeze(-1)),
    ("squeeze_non_unit_dim_is_a_no_op", (2, 3), lambda x: x.squeeze(0), lambda a: a),
    ("squeeze_tuple", (1, 3, 1), lambda x: x.squeeze((0, 2)), lambda a: a.squeeze((0, 2))),
    ("unsqueeze", (2, 3), lambda x: x.unsqueeze(1), lambda a: a[:, None]),
    ("unsqueeze_last", (2, 3), lambda x: x.unsqueeze(-1), lambda a: a[..., None]),
    ("unsqueeze_0d", (), lambda x: x.unsqueeze(0), lambda a: a.reshape(1)),
    ("expand", (3, 1), lambda x: x.expand(2, 3, 4), lambda a: np.broadcast_to(a, (2, 3, 4))),
    ("expand_minus_one", (3, 1), lambda x: x.expand(-1, 5), lambda a: np.broadcast_to(a, (3, 5))),
    ("expand_0d", (), lambda x: x.expand(2, 2), lambda a: np.broadcast_to(a, (2, 2))),
    ("expand_to_empty", (1, 3), lambda x: x.expand(0, 3), lambda a: np.broadcast_to(a, (0, 3))),
    ("expand_as", (3,), lambda x: x.expand_as(ag.zeros(2, 3)), lambda a: np.broadcast_to(a, (2, 3))),
    ("function_form_permute", (2, 3), lambda x: ag.permute(x, 1, 0), lambda a: a.T),
]


@pytest.mark.parametrize("name, shape, op, reference", VIEWS, ids=[v[0] for v in VIEWS])
def test_view_values_and_gradients(name, shape, op, reference, make, check):
    x = make(shape)
    out = op(x)
    np.testing.assert_array_equal(out.data, reference(x.data))
    check(op, x)


@pytest.mark.parametrize(
    "op",
    [lambda x: x.reshape(4, 3), lambda x: x.T, lambda x: x.unsqueeze(0), lambda x: x[1], lambda x: x.expand(2, 3, 4)],
    ids=["reshape", "T", "unsqueeze", "getitem", "expand"],
)
def test_views_share_memory_with_their_input(op):
    x = ag.zeros(3, 4)
    y = op(x)
    assert np.shares_memory(x.data, y.data)
    # ... so they share the version counter too: in-place changes are seen through both.
    with ag.no_grad():
        x.add_(1)
    assert y._version == x._version == 1


def test_expand_sums_the_gradient_back():
    x = ag.tensor([[1.0], [2.0]], requires_grad=True)
    x.expand(3, 2, 4).sum().backward()
    np.testing.assert_array_equal(x.grad, [[12.0], [12.0]])


# name, our op over a list of inputs, NumPy reference over their arrays, input shapes
JOINS = [
    ("cat_dim0", lambda *t: ag.cat(t), lambda *a: np.concatenate(a), [(2, 3), (1, 3), (4, 3)]),
    ("cat_dim_minus_one", lambda *t: ag.cat(t, dim=-1), lambda *a: np.concatenate(a, -1), [(2, 3), (2, 1)]),
    ("cat_with_empty", lambda *t: ag.cat(t, 0), lambda *a: np.concatenate(a), [(0, 3), (2, 3)]),
    ("cat_one", lambda *t: ag.cat(list(t), 1), lambda *a: np.concatenate(a, 1), [(2, 3)]),
    ("stack", lambda *t: ag.stack(t), lambda *a: np.stack(a), [(2, 3), (2, 3), (2, 3)]),
    ("stack_last", lambda *t: ag.stack(t, -1), lambda *a: np.stack(a, -1), [(2, 3), (2, 3)]),
    ("stack_0d", lambda *t: ag.stack(t), lambda *a: np.stack(a), [(), ()]),
    ("stack_empty", lambda *t: ag.stack(t, 1), lambda *a: np.stack(a, 1), [(0, 2), (0, 2)]),
]


@pytest.mark.parametrize("name, op, reference, shapes", JOINS, ids=[j[0] for j in JOINS])
def test_join_values_and_gradients(name, op, reference, shapes, make, check):
    inputs = [make(s) for s in shapes]
    np.testing.assert_array_equal(op(*inputs).data, reference(*[t.data for t in inputs]))
    check(op, *inputs)


def test_cat_mixes_tensors_that_need_no_grad(make):
    a, b = make((2, 3)), make((1, 3), requires_grad=False)
    out = ag.cat([a, b, np.ones((1, 3))])
    out.sum().backward()
    np.testing.assert_array_equal(a.grad, np.ones((2, 3)))
    assert b.grad is None


@pytest.mark.parametrize(
    "shape, split, dim, sizes",
    [((5, 2), 2, 0, [2, 2, 1]), ((5, 2), [1, 4], 0, [1, 4]), ((2, 6), 3, -1, [3, 3]), ((2, 6), [6, 0], 1, [6, 0])],
    ids=str,
)
def test_split_values_and_gradients(shape, split, dim, sizes, make, check):
    x = make(shape)
    pieces = ag.split(x, split, dim)
    assert [p.shape[dim] for p in pieces] == sizes
    np.testing.assert_array_equal(ag.cat(pieces, dim).data, x.data)
    assert all(np.shares_memory(p.data, x.data) for p in pieces if p.size)
    # Weight the pieces differently so that a mix-up between them changes the gradient.
    check(lambda t: sum((i + 1) * (p * p).sum() for i, p in enumerate(t.split(split, dim))), x)


@pytest.mark.parametrize("bad, message", [(0, "positive"), ([2, 2], "add up")])
def test_split_rejects_bad_sizes(bad, message):
    with pytest.raises(ValueError, match=f"split: .*{message}"):
        ag.split(ag.zeros(5), bad)


PADS = [
    ((2, 3), (1, 2), "constant"),
    ((2, 3), (1, 2, 0, 1), "constant"),
    ((2, 3, 4), (2, 1, 1, 1), "reflect"),
    ((2, 4), (3, 0), "reflect"),
    ((2, 3), (2, 3, 1, 0), "replicate"),
    ((1, 3), (4, 4), "replicate"),
    ((2, 3), (3, 2), "circular"),
    ((2, 3, 4), (1, 2, 2, 1), "circular"),
]


@pytest.mark.parametrize("shape, widths, mode", PADS, ids=str)
def test_pad_matches_numpy_and_torch_order(shape, widths, mode, make, check):
    x = make(shape)
    numpy_widths = [(0, 0)] * x.ndim
    for i in range(len(widths) // 2):  # last dimension first, as torch.nn.functional.pad
        numpy_widths[x.ndim - 1 - i] = (widths[2 * i], widths[2 * i + 1])
    numpy_mode = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode]
    expected = np.pad(x.data, numpy_widths, mode=numpy_mode)
    np.testing.assert_array_equal(ag.pad(x, widths, mode=mode).data, expected)
    check(lambda t: ag.pad(t, widths, mode=mode), x)


def test_pad_constant_value_and_replicate_gradient():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    np.testing.assert_array_equal(ag.pad(x, (1, 1), value=-5.0).data, [-5.0, 1.0, 2.0, 3.0, -5.0])
    ag.pad(x, (2, 1), mode="replicate").sum().backward()
    # The first element is copied twice more on the left, the last once more on the right.
    np.testing.assert_array_equal(x.grad, [3.0, 1.0, 2.0])


@pytest.mark.parametrize(
    "widths, mode, message",
    [((1,), "constant", "does not fit"), ((3, 0), "reflect", "smaller than"), ((4, 0), "circular", "larger"), ((1, 1), "wrap", "mode")],
)
def test_pad_errors(widths, mode, message):
    with pytest.raises(ValueError, match=f"pad: .*{message}"):
        ag.pad(ag.zeros(2, 3), widths, mode=mode)


# The op, the call, and what the message must name.
SHAPE_ERRORS = [
    (lambda: ag.zeros(2, 3).reshape(4, 2), r"reshape.*\(2, 3\)"),
    (lambda: ag.zeros(2, 3).permute(0, 0), r"permute"),
    (lambda: ag.zeros(2, 3).expand(4, 3), r"expand.*\(2, 3\)"),
    (lambda: ag.zeros(2, 3).expand(3), r"expand.*\(2, 3\)"),
    (lambda: ag.zeros(3).expand(-1, 3), r"expand: -1 cannot size a new leading dimension"),
    (lambda: ag.zeros(2, 3).transpose(0, 2), r"transpose.*out of range"),
    (lambda: ag.zeros(2, 3).unsqueeze(3), r"unsqueeze.*out of range"),
    (lambda: ag.zeros(2, 3).flatten(1, 0), r"flatten"),
    (lambda: ag.cat([ag.zeros(2, 3), ag.zeros(2, 4)]), r"cat.*\(2, 3\) and \(2, 4\)"),
    (lambda: ag.cat([]), r"cat"),
    (lambda: ag.stack([ag.zeros(2), ag.zeros(3)]), r"stack.*\(2,\).*\(3,\)"),
]


@pytest.mark.parametrize("call, message", SHAPE_ERRORS)
def test_shape_errors_name_the_op_and_shapes(call, message):
    with pytest.raises((ValueError, IndexError), match=message):
        call()


@pytest.mark.parametrize("shape, widths, mode", PADS, ids=str)
def test_pad_matches_pytorch(shape, widths, mode, make):
    torch = pytest.importorskip("torch")
    x = make((1,) + shape)  # PyTorch's non-constant modes want a batch dimension
    t = torch.tensor(x.data, requires_grad=True)
    out, expected = ag.pad(x, widths, mode=mode), torch.nn.functional.pad(t, widths, mode=mode)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    upstream = np.arange(out.size, dtype=np.float64).reshape(out.shape)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x.grad, t.grad.numpy())


def test_split_of_a_size_0_dimension_is_one_empty_chunk_as_in_pytorch():
    torch = pytest.importorskip("torch")
    for size in (1, 3):
        ours = ag.zeros(0, 2).split(size)
        theirs = torch.zeros(0, 2).split(size)
        assert [tuple(c.shape) for c in ours] == [tuple(c.shape) for c in theirs] == [(0, 2)]
    with pytest.raises(TypeError, match="split: expected a chunk size"):
        ag.zeros(3).split("x")
