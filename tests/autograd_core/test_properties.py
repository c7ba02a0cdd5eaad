"""Properties over random shapes (hypothesis): broadcasting, reductions, reshapes and
indexing agree with NumPy, and their gradients are the adjoints NumPy computes directly."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ag

FEW = settings(max_examples=40, deadline=None, database=None, derandomize=True)


def _values(shape, seed):
    return np.random.default_rng(seed).uniform(0.5, 1.5, size=shape)


seeds = st.integers(0, 2**16)
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)

BINARY = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "div": (lambda a, b: a / b, np.divide),
    "pow": (lambda a, b: a**b, np.power),
    "maximum": (ag.maximum, np.maximum),
}


def _sum_to(grad, shape):
    """NumPy's own undoing of broadcasting: sum the leading axes away, then the stretched ones."""
    grad = grad.sum(axis=tuple(range(grad.ndim - len(shape))))
    return grad.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True).reshape(shape)


@FEW
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4), op=st.sampled_from(sorted(BINARY)), seed=seeds)
def test_broadcasting_binary_ops(shapes, op, seed):
    ours, reference = BINARY[op]
    shape_a, shape_b = shapes.input_shapes
    a = ag.Tensor(_values(shape_a, seed), requires_grad=True)
    b = ag.Tensor(_values(shape_b, seed + 1), requires_grad=True)
    out = ours(a, b)
    np.testing.assert_allclose(out.data, reference(a.data, b.data))
    assert out.shape == shapes.result_shape
    upstream = _values(out.shape, seed + 2)
    out.backward(upstream)
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    if op == "add":
        np.testing.assert_allclose(a.grad, _sum_to(upstream, shape_a))
        np.testing.assert_allclose(b.grad, _sum_to(upstream, shape_b))
    if op == "mul":
        np.testing.assert_allclose(a.grad, _sum_to(upstream * np.broadcast_to(b.data, out.shape), shape_a))
        np.testing.assert_allclose(b.grad, _sum_to(upstream * np.broadcast_to(a.data, out.shape), shape_b))


@st.composite
def reductions(draw):
    """A shape with no empty dimension, a dim (None, an int or a tuple, negative or not) and keepdim."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    ndim = len(shape)
    axes = draw(st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim, unique_by=lambda d: d % ndim))
    dim = draw(st.sampled_from([None, axes[0], tuple(axes)]))
    return shape, dim, draw(st.booleans())


REDUCTIONS = {
    "sum": (lambda x, d, k: x.sum(d, k), lambda a, d, k: a.sum(d, keepdims=k)),
    "mean": (lambda x, d, k: x.mean(dim=d, keepdim=k), lambda a, d, k: a.mean(d, keepdims=k)),
    "var": (lambda x, d, k: x.var(d, unbiased=False, keepdim=k), lambda a, d, k: a.var(d, keepdims=k)),
    "amax": (lambda x, d, k: x.max(d, k) if not isinstance(d, int) else x.max(d, k).values, lambda a, d, k: a.max(d, keepdims=k)),
    "logsumexp": (lambda x, d, k: x.logsumexp(d, k), lambda a, d, k: np.log(np.exp(a).sum(d, keepdims=k))),
}


@FEW
@given(case=reductions(), op=st.sampled_from(sorted(REDUCTIONS)), seed=seeds)
def test_reductions_match_numpy(case, op, seed):
    shape, dim, keepdim = case
    ours, reference = REDUCTIONS[op]
    x = ag.Tensor(_values(shape, seed), requires_grad=True)
    out = ours(x, dim, keepdim)
    expected = reference(x.data, dim, keepdim)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12)
    out.sum().backward()
    assert x.grad.shape == shape
    if op == "sum":
        np.testing.assert_array_equal(x.grad, np.ones(shape))
    if op == "mean":
        np.testing.assert_allclose(x.grad, np.full(shape, expected.size / x.size))


@FEW
@given(shape=shapes, seed=seeds, data=st.data())
def test_reshape_and_permute_round_trip(shape, seed, data):
    x = ag.Tensor(_values(shape, seed), requires_grad=True)
    order = data.draw(st.permutations(range(len(shape))))
    back = x.reshape(-1).reshape(shape).permute(*order)
    np.testing.assert_array_equal(back.data, x.data.transpose(order))
    restored = back.permute(*np.argsort(order))
    np.testing.assert_array_equal(restored.data, x.data)
    upstream = _values(shape, seed + 1)
    restored.backward(upstream)
    np.testing.assert_array_equal(x.grad, upstream)  # a chain of views passes the gradient through


@st.composite
def index_cases(draw):
    """A non-empty shape and an index NumPy accepts on it: ints, slices, None, ..., integer
    arrays with repeats, or a boolean mask."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    kind = draw(st.sampled_from(["basic", "integer", "mask"]))
    if kind == "mask":
        return shape, draw(hnp.arrays(np.bool_, shape[: draw(st.integers(1, len(shape)))]))
    if kind == "integer":
        length = draw(st.integers(0, 6))
        picks = draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=length, max_size=length))
        return shape, (np.array(picks, dtype=np.int64),) + (slice(None),) * (len(shape) - 1)
    return shape, draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))


@FEW
@given(case=index_cases(), seed=seeds)
def test_indexing_matches_numpy_and_its_gradient_is_add_at(case, seed):
    shape, index = case
    x = ag.Tensor(_values(shape, seed), requires_grad=True)
    out = x[index]
    np.testing.assert_array_equal(out.data, x.data[index])
    out.sum().backward()
    expected = np.zeros(shape)
    np.add.at(expected, index, 1.0)
    np.testing.assert_array_equal(x.grad, expected)



# -- the PyTorch-named ops over random shapes, against PyTorch ---------------------------
@FEW
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    data=st.data(),
)
def test_ordering_running_sums_and_layout_match_pytorch_on_random_shapes(shape, data):
    import torch

    values = np.random.default_rng(len(shape)).permutation(int(np.prod(shape))).reshape(shape) / 7.0
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    ours, theirs = ag.tensor(values), torch.tensor(values)
    pairs = [
        (ours.cumsum(dim), theirs.cumsum(dim)),
        (ours.cumprod(dim), theirs.cumprod(dim)),
        (ours.sort(dim, descending=True).values, theirs.sort(dim, descending=True).values),
        (ours.argsort(dim), theirs.argsort(dim)),
        (ours.flip(dim), theirs.flip(dim)),
        (ours.roll(1, dim), theirs.roll(1, dim)),
        (ours.amax(dim, keepdim=True), theirs.amax(dim, keepdim=True)),
        (ours.prod(dim), theirs.prod(dim)),
        (ours.median(dim).values, theirs.median(dim).values),
    ]
    index = np.random.default_rng(0).integers(0, shape[dim], size=shape)
    pairs.append((ours.gather(dim, ag.tensor(index)), theirs.gather(dim, torch.tensor(index))))
    for o, t in pairs:
        assert o.dtype == t.numpy().dtype
        np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-12)
