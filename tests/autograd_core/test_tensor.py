"""``Tensor``: attributes, dtype rules, NumPy interop, comparisons, detach and the in-place
updates used by optimizers and initializers."""
import numpy as np
import pytest

import autograd_core as ag


def test_attributes():
    t = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == (2, 3) and t.ndim == 2 and t.dim() == 2
    assert t.size == 6 and t.numel() == 6 and len(t) == 2
    assert t.dtype == np.float32
    assert t.T.shape == (3, 2)
    np.testing.assert_array_equal(t.T.data, t.data.T)
    assert t.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert t.numpy() is t.data
    assert t[1, 2].item() == 6.0 and float(t[0, 0]) == 1.0 and int(t[1, 0]) == 4
    assert t.is_leaf and t.grad_fn is None and t.grad is None


def test_zero_dimensional_tensor():
    t = ag.tensor(3.0)
    assert t.shape == () and t.ndim == 0 and t.item() == 3.0
    with pytest.raises(TypeError, match="0-d"):
        len(t)


def test_dtype_rules():
    """Python floats -> float32; NumPy arrays keep their dtype; ints stay integer."""
    assert ag.Tensor(1.5).dtype == np.float32
    assert ag.Tensor([1.5, 2]).dtype == np.float32
    assert ag.Tensor(np.array([1.5])).dtype == np.float64
    assert ag.Tensor(3).dtype.kind == "i"
    assert ag.Tensor([1, 2]).dtype == np.int64
    assert ag.Tensor([1, 2], dtype=np.float32).dtype == np.float32
    x64 = ag.Tensor(np.ones(2), requires_grad=True)
    y = (x64 * 2.5 + 1) ** 2 / 3
    assert y.dtype == np.float64
    y.sum().backward()
    assert x64.grad.dtype == np.float64


def test_python_scalars_do_not_promote_float32():
    x = ag.ones(2, requires_grad=True)
    for y in (x + 1.5, 2.5 * x, x / 3.0, x - 1, 1 - x, x**2.0):
        assert y.dtype == np.float32


@pytest.mark.parametrize("data", [[1, 2], np.arange(3), np.array([True]), 5])
def test_integer_and_bool_tensors_refuse_requires_grad(data):
    with pytest.raises(TypeError, match=r"requires_grad_: only floating-point tensors.*got (int|bool)"):
        ag.Tensor(data, requires_grad=True)
    t = ag.Tensor(data)
    with pytest.raises(TypeError, match="floating-point"):
        t.requires_grad_()
    assert not t.requires_grad


def test_integer_ops_never_require_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    index = ag.tensor([1, 0])
    assert not (index * 2).requires_grad
    assert (x[index] * 2).requires_grad
    assert not x.argmax().requires_grad and not x.long().requires_grad


def test_requires_grad_only_switched_off_on_leaves():
    x = ag.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad_(False)
    assert x.requires_grad_(False) is x and not x.requires_grad


@pytest.mark.parametrize(
    "op, numpy_op",
    [
        (lambda a, b: a < b, np.less),
        (lambda a, b: a <= b, np.less_equal),
        (lambda a, b: a > b, np.greater),
        (lambda a, b: a >= b, np.greater_equal),
        (lambda a, b: a == b, np.equal),
        (lambda a, b: a != b, np.not_equal),
    ],
)
@pytest.mark.parametrize("other", [1.0, np.array([0.0, 1.0, 2.0]), "tensor"])
def test_comparisons_give_bool_without_grad(op, numpy_op, other):
    x = ag.tensor([0.0, 1.0, 5.0], requires_grad=True)
    other = ag.tensor([1.0, 1.0, 1.0], requires_grad=True) if isinstance(other, str) else other
    out = op(x, other)
    assert out.dtype == np.bool_
    assert not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(out.data, numpy_op(x.data, np.asarray(other)))


def test_tensors_stay_hashable_despite_elementwise_eq():
    a, b = ag.zeros(2), ag.zeros(2)
    assert len({a, b}) == 2 and {a: 1}[a] == 1


def test_truth_value():
    assert bool(ag.tensor([2.0])) and not bool(ag.tensor(0.0))
    with pytest.raises(ValueError, match=r"\(2,\) is ambiguous"):
        bool(ag.tensor([1.0, 2.0]))


def test_sign_is_not_differentiable():
    x = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    s = x.sign()
    np.testing.assert_array_equal(s.data, [-1.0, 0.0, 1.0])
    assert not s.requires_grad


def test_numpy_interop():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    np.testing.assert_array_equal(np.asarray(x), x.data)
    assert np.asarray(x, dtype=np.float64).dtype == np.float64
    # NumPy hands its operators over to the Tensor, which records the graph.
    y = np.array([3.0, 4.0], dtype=np.float32) * x
    assert isinstance(y, ag.Tensor) and y.requires_grad
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def test_detach_shares_data_and_leaves_the_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert d.data is y.data and not d.requires_grad and d.grad_fn is None
    assert np.shares_memory(x.detach().data, x.data)
    # The detached copy does not carry a gradient back.
    (y * d).sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * d.data)


def test_clone_copies_and_stays_in_the_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert not np.shares_memory(c.data, x.data) and c.grad_fn is not None
    (c * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_repr():
    assert repr(ag.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert "requires_grad=True" in repr(ag.tensor([1.0], requires_grad=True))
    assert "grad_fn=<MulBackward>" in repr(ag.tensor([1.0], requires_grad=True) * 2)
    assert "dtype=float64" in repr(ag.tensor(np.ones(1)))


def test_conversions_to_other_dtypes():
    x = ag.tensor([1.7, -2.2], requires_grad=True)
    assert x.long().dtype == np.int64 and x.long().tolist() == [1, -2]
    assert x.int().dtype == np.int32 and x.bool().dtype == np.bool_
    assert x.double().dtype == np.float64 and x.double().float().dtype == np.float32
    assert x.to(np.float16).dtype == np.float16 and x.astype("float64").dtype == np.float64
    assert not x.long().requires_grad


# The in-place update, and the values it gives on [1, 2, 3].
INPLACE = [
    (lambda t: t.add_(1), [2, 3, 4]),
    (lambda t: t.add_(np.ones(3), alpha=-2), [-1, 0, 1]),
    (lambda t: t.sub_(1, alpha=0.5), [0.5, 1.5, 2.5]),
    (lambda t: t.mul_(2), [2, 4, 6]),
    (lambda t: t.div_(2), [0.5, 1, 1.5]),
    (lambda t: t.copy_(ag.tensor([7.0, 8.0, 9.0])), [7, 8, 9]),
    (lambda t: t.copy_(5.0), [5, 5, 5]),
    (lambda t: t.fill_(4), [4, 4, 4]),
    (lambda t: t.zero_(), [0, 0, 0]),
    (lambda t: t.clamp_(1.5, 2.5), [1.5, 2, 2.5]),
    (lambda t: t.__setitem__(1, 0.0), [1, 0, 3]),
    (lambda t: t.__setitem__(ag.tensor([True, False, True]), -1.0), [-1, 2, -1]),
]


@pytest.mark.parametrize("update, expected", INPLACE)
def test_inplace_updates(update, expected):
    t = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place change of a tensor that requires grad.*no_grad"):
        update(t)
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])
    assert t._version == 0
    with ag.no_grad():
        result = update(t)
    np.testing.assert_array_equal(t.data, np.array(expected, dtype=np.float32))
    assert result is t or result is None
    assert t._version == 1 and t.dtype == np.float32
    plain = ag.tensor([1.0, 2.0, 3.0])
    update(plain)  # a tensor that needs no grad may change in place any time
    np.testing.assert_array_equal(plain.data, np.array(expected, dtype=np.float32))


def test_copy_rejects_a_source_that_does_not_fit():
    with pytest.raises(ValueError, match=r"copy_: tensor of shape \(3,\) .*broadcast"):
        ag.zeros(3).copy_(np.ones(2))


@pytest.mark.parametrize(
    "update",
    [
        lambda t: t.add_(np.ones(2)),
        lambda t: t.sub_(np.ones((4, 3))),
        lambda t: t.mul_("x"),
        lambda t: t.div_({}),
        lambda t: t.copy_(np.ones(2)),
        lambda t: t.fill_("x"),
        lambda t: t.clamp_(),
        lambda t: t.__setitem__(5, 1.0),
        lambda t: t.__setitem__(0, np.ones(2)),
    ],
)
def test_a_failed_in_place_op_changes_nothing(update):
    t = ag.tensor([1.0, 2.0, 3.0])
    view = t.reshape(3, 1)
    with pytest.raises((ValueError, TypeError, IndexError), match=r"^(add_|mul_|div_|copy_|fill_|clamp_|setitem): "):
        update(t)
    assert t._version == 0 and view._version == 0
    np.testing.assert_array_equal(t.data, [1.0, 2.0, 3.0])


def test_size_is_numpys_count_and_pytorchs_shape_when_called():
    x = ag.zeros(3, 4)
    assert x.size == 12 and x.numel() == 12
    assert x.size() == (3, 4)
    assert x.size(0) == 3 and x.size(-1) == 4
