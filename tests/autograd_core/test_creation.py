"""Making tensors: PyTorch's names and defaults, float32 unless told otherwise, copies
where PyTorch copies, and a seeded generator."""
import numpy as np
import pytest

import autograd_core as ag

# name, call, expected values (as NumPy builds them), expected dtype
FACTORIES = [
    ("zeros", lambda: ag.zeros(2, 3), np.zeros((2, 3)), np.float32),
    ("zeros_tuple", lambda: ag.zeros((2, 3)), np.zeros((2, 3)), np.float32),
    ("zeros_0d", lambda: ag.zeros(()), np.zeros(()), np.float32),
    ("zeros_empty", lambda: ag.zeros(0, 2), np.zeros((0, 2)), np.float32),
    ("ones_float64", lambda: ag.ones(3, dtype=np.float64), np.ones(3), np.float64),
    ("ones_int", lambda: ag.ones([2], dtype=ag.int64), np.ones(2), np.int64),
    ("full", lambda: ag.full((2, 2), 1.5), np.full((2, 2), 1.5), np.float32),
    ("full_int", lambda: ag.full(3, 7), np.full(3, 7), np.int64),
    ("full_dtype", lambda: ag.full([2], 7, dtype=np.float64), np.full(2, 7.0), np.float64),
    ("arange", lambda: ag.arange(5), np.arange(5), np.int64),
    ("arange_start_end_step", lambda: ag.arange(1, 10, 3), np.arange(1, 10, 3), np.int64),
    ("arange_float", lambda: ag.arange(0, 1, 0.25), np.arange(0, 1, 0.25), np.float32),
    ("arange_dtype", lambda: ag.arange(3, dtype=np.float64), np.arange(3.0), np.float64),
    ("eye", lambda: ag.eye(3), np.eye(3), np.float32),
    ("eye_rectangular", lambda: ag.eye(2, 3), np.eye(2, 3), np.float32),
    ("zeros_like", lambda: ag.zeros_like(ag.ones(2, 3, dtype=np.float64)), np.zeros((2, 3)), np.float64),
    ("ones_like_array", lambda: ag.ones_like(np.zeros(4, dtype=np.int32)), np.ones(4), np.int32),
    ("ones_like_dtype", lambda: ag.ones_like(ag.zeros(2), dtype=np.float64), np.ones(2), np.float64),
    ("tensor_floats", lambda: ag.tensor([1.5, 2.0]), np.array([1.5, 2.0]), np.float32),
    ("tensor_python_float", lambda: ag.tensor(2.5), np.array(2.5), np.float32),
    ("tensor_ints", lambda: ag.tensor([[1, 2], [3, 4]]), np.array([[1, 2], [3, 4]]), np.int64),
    ("tensor_bools", lambda: ag.tensor([True, False]), np.array([True, False]), np.bool_),
    ("tensor_float64_array", lambda: ag.tensor(np.array([1.0, 2.0])), np.array([1.0, 2.0]), np.float64),
    ("tensor_float16_array", lambda: ag.tensor(np.ones(2, dtype=np.float16)), np.ones(2), np.float16),
    ("tensor_dtype", lambda: ag.tensor([1, 2], dtype=np.float64), np.array([1.0, 2.0]), np.float64),
    ("tensor_of_tensor", lambda: ag.tensor(ag.tensor([1.0, 2.0])), np.array([1.0, 2.0]), np.float32),
]


@pytest.mark.parametrize("name, make_tensor, expected, dtype", FACTORIES, ids=[f[0] for f in FACTORIES])
def test_factories_match_numpy_with_pytorch_dtypes(name, make_tensor, expected, dtype):
    t = make_tensor()
    assert isinstance(t, ag.Tensor)
    assert t.dtype == dtype
    assert t.shape == expected.shape
    np.testing.assert_array_equal(t.data, expected.astype(dtype))
    assert t.is_leaf and not t.requires_grad and t.grad is None


@pytest.mark.parametrize(
    "make_tensor",
    [
        lambda: ag.zeros(2, requires_grad=True),
        lambda: ag.ones(2, requires_grad=True),
        lambda: ag.full((2,), 3.0, requires_grad=True),
        lambda: ag.randn(2, requires_grad=True),
        lambda: ag.rand(2, requires_grad=True),
        lambda: ag.eye(2, requires_grad=True),
        lambda: ag.tensor([1.0], requires_grad=True),
        lambda: ag.arange(0.0, 2.0, requires_grad=True),
        lambda: ag.zeros_like(np.zeros(2), requires_grad=True),
    ],
)
def test_factories_take_requires_grad(make_tensor):
    t = make_tensor()
    assert t.requires_grad and t.is_leaf


@pytest.mark.parametrize(
    "make_tensor",
    [lambda: ag.tensor([1, 2], requires_grad=True), lambda: ag.arange(3, requires_grad=True), lambda: ag.zeros(2, dtype=np.int64, requires_grad=True)],
)
def test_integer_factories_refuse_requires_grad(make_tensor):
    with pytest.raises(TypeError, match="floating-point"):
        make_tensor()


def test_tensor_copies_and_from_numpy_shares():
    array = np.zeros(3, dtype=np.float32)
    copied, shared = ag.tensor(array), ag.from_numpy(array)
    array[0] = 5
    assert copied.data[0] == 0 and shared.data[0] == 5
    source = ag.tensor([1.0, 2.0])
    assert not np.shares_memory(ag.tensor(source).data, source.data)


@pytest.mark.parametrize("factory", [ag.randn, ag.rand])
def test_manual_seed_makes_random_tensors_reproducible(factory):
    ag.manual_seed(123)
    first = factory(3, 4)
    ag.manual_seed(123)
    again = factory((3, 4))
    np.testing.assert_array_equal(first.data, again.data)
    assert first.dtype == np.float32 and first.shape == (3, 4)
    assert not np.array_equal(factory(3, 4).data, first.data)


def test_random_distributions():
    ag.manual_seed(0)
    normal, uniform = ag.randn(20000, dtype=np.float64), ag.rand(20000)
    assert abs(normal.data.mean()) < 0.03 and abs(normal.data.std() - 1) < 0.03
    assert uniform.data.min() >= 0 and uniform.data.max() < 1 and abs(uniform.data.mean() - 0.5) < 0.01


def test_explicit_generator_and_default_generator():
    a = ag.randn(3, generator=np.random.default_rng(7))
    b = ag.randn(3, generator=np.random.default_rng(7))
    np.testing.assert_array_equal(a.data, b.data)
    generator = ag.manual_seed(5)
    assert isinstance(generator, ag.Generator)
    assert ag.default_generator() is ag.random.numpy_generator(generator)


def _same_as_torch(ours, theirs):
    import torch

    expected = theirs.numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert ours.dtype == expected.dtype and ours.shape == expected.shape
    np.testing.assert_allclose(ours.data, expected, rtol=1e-6)


def test_pytorch_creation_functions():
    import torch

    _same_as_torch(ag.linspace(-3, 0, 7), torch.linspace(-3, 0, 7))
    _same_as_torch(ag.linspace(0, 1, 1), torch.linspace(0, 1, 1))
    _same_as_torch(ag.linspace(0, 1, 0), torch.linspace(0, 1, 0))
    _same_as_torch(ag.linspace(0, 1, 5, dtype=np.float64), torch.linspace(0, 1, 5, dtype=torch.float64))
    _same_as_torch(ag.logspace(-2, 2, 5), torch.logspace(-2, 2, 5))
    _same_as_torch(ag.logspace(0, 3, 4, base=2), torch.logspace(0, 3, 4, base=2))
    _same_as_torch(ag.full_like(ag.zeros(2, 3), 7), torch.full_like(torch.zeros(2, 3), 7))
    _same_as_torch(ag.full_like(ag.tensor([1, 2]), 2.7), torch.full_like(torch.tensor([1, 2]), 2.7))
    _same_as_torch(ag.full((2,), 3), torch.full((2,), 3))
    _same_as_torch(ag.full((2,), True), torch.full((2,), True))
    assert ag.empty(2, 3).shape == (2, 3) and ag.empty(2, 3).dtype == np.float32
    assert ag.empty((0, 4)).shape == (0, 4)
    assert ag.empty_like(ag.tensor([1, 2])).dtype == np.int64
    assert ag.empty(3, requires_grad=True).requires_grad


def test_as_tensor_shares_memory_and_is_tensor_numel():
    array = np.arange(3.0)
    shared = ag.as_tensor(array)
    array[0] = 9
    assert shared.data[0] == 9 and shared.dtype == np.float64
    t = ag.tensor([1.0, 2.0])
    assert ag.as_tensor(t) is t
    assert ag.as_tensor(t, dtype=np.float64).dtype == np.float64
    assert ag.as_tensor([1, 2]).dtype == np.int64
    assert ag.is_tensor(t) and not ag.is_tensor(array)
    assert ag.numel(ag.zeros(2, 3)) == 6 and ag.zeros(2, 3).nelement() == 6


def test_new_tensors_take_the_dtype_of_their_tensor():
    import torch

    base, tbase = ag.zeros(2, dtype=np.float64), torch.zeros(2, dtype=torch.float64)
    _same_as_torch(base.new_zeros(2, 3), tbase.new_zeros(2, 3))
    _same_as_torch(base.new_ones((3,)), tbase.new_ones((3,)))
    _same_as_torch(base.new_full((2, 2), 1.5), tbase.new_full((2, 2), 1.5))
    _same_as_torch(base.new_tensor([1, 2]), tbase.new_tensor([1, 2]))
    _same_as_torch(base.new_zeros(2, dtype=np.int64), tbase.new_zeros(2, dtype=torch.int64))
    assert base.new_empty(4).shape == (4,)
    assert base.new_zeros(2, requires_grad=True).requires_grad
    source = [1.0, 2.0]
    copy = base.new_tensor(source)
    source[0] = 5
    assert copy.tolist() == [1.0, 2.0]


def test_fill_zero_and_masked_fill_in_place():
    x = ag.ones(2, 3)
    assert x.fill_(2.5) is x and x.data.max() == 2.5
    x.masked_fill_(ag.tensor([True, False, True]), -1)
    np.testing.assert_array_equal(x.data, [[-1, 2.5, -1], [-1, 2.5, -1]])
    assert x.zero_().data.max() == 0


def test_inference_mode_and_no_grad():
    w = ag.ones(2, requires_grad=True)
    with ag.inference_mode():
        assert ag.is_inference_mode_enabled() and not ag.is_grad_enabled()
        assert not (w * 2).requires_grad
    assert not ag.is_inference_mode_enabled() and ag.is_grad_enabled()
    with ag.inference_mode(False):
        assert (w * 2).requires_grad

    @ag.inference_mode()
    def evaluate():
        return w * 2

    assert not evaluate().requires_grad
    assert (w * 2).requires_grad


def test_dtype_names_as_in_pytorch():
    assert ag.float is np.float32 and ag.double is np.float64 and ag.long is np.int64
    assert ag.tensor([1, 2], dtype=ag.float).dtype == np.float32
    assert ag.zeros(2).to(ag.long).dtype == np.int64
