"""Reductions: values against NumPy/SciPy, gradients and second derivatives in float64,
with ``dim`` as None, an int, a negative int or a tuple, with and without ``keepdim``."""
import numpy as np
import pytest
from scipy import special

import autograd_core as ag

# (shape, dim): every dimension, one, a negative one, a tuple, a list, a 0-d tensor, an
# empty one reduced over its empty dimension and over the other one.
DIMS = [
    ((3, 4), None),
    ((3, 4), 0),
    ((2, 3, 4), -1),
    ((2, 3, 4), (0, 2)),
    ((2, 3, 4), [2, 1]),
    ((), None),
    ((), 0),
    ((0, 3), 1),
    ((0, 3), 0),
]


def _extreme(name):
    """``max``/``min`` as the table needs them: with an int ``dim`` PyTorch returns
    (values, indices); keep the values."""

    def reduce(x, dim, keepdim):
        out = getattr(x, name)(dim, keepdim)
        return out.values if isinstance(dim, int) else out

    return reduce


def _numpy(fn, **fixed):
    return lambda x, axis, keepdims: fn(x, axis=axis, keepdims=keepdims, **fixed)


# name, ours(x, dim, keepdim), NumPy reference(x, axis, keepdims), shapes it is defined on.
# The unbiased variance of one element divides by zero and std is not differentiable where
# all values are equal, so those skip the 0-d tensor; only sum and logsumexp are defined
# on nothing (0 and -inf).
ALL = DIMS
NO_EMPTY = [d for d in DIMS if 0 not in d[0]]
NO_EMPTY_NO_SCALAR = [d for d in NO_EMPTY if d[0] != ()]
REDUCTIONS = [
    ("sum", lambda x, d, k: x.sum(d, k), _numpy(np.sum), ALL),
    ("mean", lambda x, d, k: x.mean(d, k), _numpy(np.mean), NO_EMPTY),
    ("var", lambda x, d, k: x.var(d, keepdim=k), _numpy(np.var, ddof=1), NO_EMPTY_NO_SCALAR),
    ("var_biased", lambda x, d, k: x.var(d, unbiased=False, keepdim=k), _numpy(np.var), NO_EMPTY),
    ("var_correction_0", lambda x, d, k: x.var(d, correction=0, keepdim=k), _numpy(np.var), NO_EMPTY),
    ("std", lambda x, d, k: x.std(d, keepdim=k), _numpy(np.std, ddof=1), NO_EMPTY_NO_SCALAR),
    ("std_biased", lambda x, d, k: x.std(d, unbiased=False, keepdim=k), _numpy(np.std), NO_EMPTY_NO_SCALAR),
    ("max", _extreme("max"), _numpy(np.max), NO_EMPTY),
    ("min", _extreme("min"), _numpy(np.min), NO_EMPTY),
    ("logsumexp", lambda x, d, k: x.logsumexp(d, k), _numpy(special.logsumexp), ALL),
]

def _cases():
    for name, ours, reference, dims in REDUCTIONS:
        for shape, dim in dims:
            for keepdim in (False, True):
                yield pytest.param(ours, reference, shape, dim, keepdim, id=f"{name}-{shape}-{dim}-{keepdim}")


@pytest.mark.parametrize("ours, reference, shape, dim, keepdim", _cases())
def test_reduction_values_and_gradients(ours, reference, shape, dim, keepdim, make, check):
    """A 0-d tensor reduces to itself (as in PyTorch, ``dim`` 0 or -1 is accepted)."""
    x = make(shape)
    axis = None if shape == () else tuple(dim) if isinstance(dim, list) else dim
    expected = reference(x.data, axis, keepdim and shape != ())
    out = ours(x, dim, keepdim)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    check(lambda t: ours(t, dim, keepdim), x)


@pytest.mark.parametrize("shape, dim", NO_EMPTY_NO_SCALAR, ids=str)
def test_keyword_spellings_of_numpy_are_accepted(shape, dim, make):
    x = make(shape, requires_grad=False)
    assert x.sum(axis=dim, keepdims=True).shape == x.sum(dim=dim, keepdim=True).shape
    np.testing.assert_allclose(x.mean(axis=dim).data, x.mean(dim).data)
    np.testing.assert_allclose(x.var(axis=dim, keepdims=True).data, x.var(dim, keepdim=True).data)


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("shape, dim", [((3, 4), 1), ((3, 4), -2), ((2, 3, 4), 1)], ids=str)
@pytest.mark.parametrize("keepdim", [False, True])
def test_max_min_with_dim_return_values_and_indices(name, shape, dim, keepdim, make, check):
    x = make(shape)
    values, indices = getattr(x, name)(dim, keepdim)
    np.testing.assert_array_equal(values.data, getattr(np, name)(x.data, axis=dim, keepdims=keepdim))
    pick = np.argmax if name == "max" else np.argmin
    np.testing.assert_array_equal(indices.data, pick(x.data, axis=dim, keepdims=keepdim))
    assert indices.dtype == np.int64 and not indices.requires_grad
    check(lambda t: getattr(t, name)(dim, keepdim).values, x)


def test_max_with_dim_sends_gradient_to_the_returned_index_on_ties():
    x = ag.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    values, indices = x.max(dim=1)
    values.sum().backward()
    expected = np.zeros((2, 3), dtype=np.float32)
    expected[np.arange(2), indices.data] = 1
    np.testing.assert_array_equal(x.grad, expected)


def test_max_over_all_shares_gradient_between_ties():
    """As torch.amax: the unit gradient is split evenly between the tied maxima."""
    x = ag.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.5, 0.5, 0.0])


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("dim, keepdim", [(None, False), (0, False), (1, True), (-1, False)])
def test_argmax_argmin_match_numpy(name, dim, keepdim, make):
    x = make((3, 4))
    out = getattr(x, name)(dim, keepdim)
    expected = getattr(np, name)(x.data, axis=dim, keepdims=keepdim)
    np.testing.assert_array_equal(out.data, expected)
    assert out.shape == np.shape(expected) and out.grad_fn is None and not out.requires_grad


@pytest.mark.parametrize("reduce", [lambda x: x.max(), lambda x: x.min(0), lambda x: x.argmax()])
def test_empty_extreme_raises_naming_the_shape(reduce):
    with pytest.raises(ValueError, match=r"\(0, 3\)"):
        reduce(ag.zeros(0, 3))


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape, dim", [((5,), -1), ((3, 4), 0), ((2, 3, 4), 1), ((), 0), ((0, 3), -1)], ids=str)
def test_softmax_values_and_gradients(op, shape, dim, make, check):
    x = make(shape)
    reference = special.softmax if op == "softmax" else special.log_softmax
    out = getattr(x, op)(dim)
    np.testing.assert_allclose(out.data, reference(x.data, axis=dim if x.ndim else None), rtol=1e-12, atol=1e-12)
    check(lambda t: getattr(t, op)(dim), x)


@pytest.mark.parametrize("op", ["softmax", "log_softmax", "logsumexp"])
def test_softmax_family_is_stable_for_large_inputs(op):
    x = ag.tensor([[1000.0, 1000.0, -1000.0]], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = getattr(x, op)(-1)
        out.sum().backward()
    reference = {"softmax": special.softmax, "log_softmax": special.log_softmax, "logsumexp": special.logsumexp}[op]
    np.testing.assert_allclose(out.data, reference(x.data.astype(np.float64), axis=-1), rtol=1e-6)
    assert np.all(np.isfinite(x.grad))


def test_softmax_axis_keyword_and_function_forms(make):
    x = make((2, 3), requires_grad=False)
    np.testing.assert_allclose(x.softmax(axis=0).data, ag.softmax(x, 0).data)
    np.testing.assert_allclose(ag.log_softmax(x, dim=0).data, special.log_softmax(x.data, axis=0))


def test_softmax_vjp_matches_the_full_jacobian(make, rng):
    """The backward pass never builds softmax's Jacobian diag(s) - s s^T, but must agree with it."""
    x = make((5,))
    g = rng.standard_normal(5)
    s = x.softmax(-1)
    s.backward(g)
    jacobian = np.diag(s.data) - np.outer(s.data, s.data)
    np.testing.assert_allclose(x.grad, jacobian.T @ g, atol=1e-12)


def test_mean_and_var_by_hand():
    # mean([1, 2, 3, 6]) = 3; squared deviations 4, 1, 0, 9 sum to 14: unbiased 14/3, biased 14/4.
    x = ag.tensor([1.0, 2.0, 3.0, 6.0], dtype=np.float64, requires_grad=True)
    assert x.mean().item() == 3.0
    assert x.var().item() == pytest.approx(14 / 3)
    assert x.var(unbiased=False).item() == pytest.approx(3.5)
    # d var / dx_i = 2 (x_i - mean) / (n - 1)
    x.var().backward()
    np.testing.assert_allclose(x.grad, 2 * (x.data - 3.0) / 3)


def test_reduction_rejects_out_of_range_dim():
    with pytest.raises(IndexError, match="out of range"):
        ag.zeros(2, 3).sum(2)


@pytest.mark.parametrize("reduce", [lambda x: x.sum((0, -2)), lambda x: x.mean([1, 1]), lambda x: x.logsumexp((1, -1))])
def test_reduction_rejects_a_repeated_dim(reduce):
    """As PyTorch: naming a dimension twice is an error, not a silent single reduction."""
    with pytest.raises(ValueError, match=r"\(2, 3\).*names a dimension more than once"):
        reduce(ag.zeros(2, 3, requires_grad=True))


# ours, torch's method of the same name with the same arguments
TORCH_PARITY = [
    (lambda x: x.var(), lambda t: t.var()),
    (lambda x: x.std(dim=0), lambda t: t.std(dim=0)),
    (lambda x: x.var(1, keepdim=True, unbiased=False), lambda t: t.var(1, keepdim=True, unbiased=False)),
    (lambda x: x.std((0, 1), correction=0), lambda t: t.std((0, 1), correction=0)),
    (lambda x: x.max(), lambda t: t.max()),  # tied maxima share the gradient
    (lambda x: x.min(dim=1).values, lambda t: t.min(dim=1).values),
    (lambda x: x.logsumexp(0), lambda t: t.logsumexp(0)),
    (lambda x: x.softmax(0), lambda t: t.softmax(0)),
    (lambda x: x.log_softmax(dim=-1), lambda t: t.log_softmax(dim=-1)),
    (lambda x: x.mean((0, 1), keepdim=True), lambda t: t.mean((0, 1), keepdim=True)),
]


@pytest.mark.parametrize("ours, theirs", TORCH_PARITY)
def test_values_and_gradients_match_pytorch(ours, theirs):
    torch = pytest.importorskip("torch")
    values = np.array([[0.5, 2.0, -1.0], [2.0, 0.25, -3.0]])
    x = ag.tensor(values, requires_grad=True)
    t = torch.tensor(values, requires_grad=True)
    out, expected = ours(x), theirs(t)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    upstream = np.arange(1.0, 1.0 + out.size).reshape(out.shape)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=1e-15)
