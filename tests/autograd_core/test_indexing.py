"""Indexing: values against NumPy for basic, advanced and boolean indices; the gradient of
``x[index]`` adds into the indexed places, accumulating where an index repeats."""
import numpy as np
import pytest

import autograd_core as ag

MASK = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])

# name, input shape, index
INDICES = [
    ("int", (3, 4), 1),
    ("negative_int", (3, 4), -1),
    ("slice", (3, 4), slice(1, None)),
    ("negative_step", (3, 4), (slice(None, None, -2), slice(None, 1, -1))),
    ("int_and_slice", (3, 4), (2, slice(0, 3))),
    ("ellipsis", (2, 3, 4), (Ellipsis, 1)),
    ("none", (3, 4), (None, slice(None), None)),
    ("0d_ellipsis", (), Ellipsis),
    ("0d_none", (), None),
    ("empty_slice", (3, 4), slice(2, 2)),
    ("of_empty", (0, 4), (slice(None), 1)),
    ("int_array", (5,), np.array([0, 3, 1])),
    ("repeated_ints", (5,), np.array([1, 1, 4, 1])),
    ("list", (4, 3), [3, 0, 0]),
    ("tensor_index", (4, 3), ag.tensor([2, 2, 1])),
    ("2d_int_array", (5,), np.array([[0, 1], [1, 4]])),
    ("two_arrays", (3, 4), (np.array([0, 2, 0]), np.array([1, 3, 1]))),
    ("array_and_slice", (3, 4), (slice(None), np.array([3, 3, 0]))),
    ("slice_array_slice", (2, 3, 4), (slice(None), np.array([2, 0, 2]), slice(1, 3))),
    ("separated_arrays", (2, 3, 4), (np.array([1, 1]), slice(None), np.array([0, 0]))),
    ("empty_int_array", (3, 4), np.array([], dtype=np.int64)),
    ("boolean_mask", (3, 4), MASK),
    ("boolean_rows", (3, 4), np.array([True, False, True])),
    ("boolean_tensor_mask", (3, 4), ag.tensor(MASK)),
    ("boolean_and_slice", (3, 4), (np.array([False, True, True]), slice(1, 3))),
]


def _numpy_index(index):
    if isinstance(index, ag.Tensor):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index


@pytest.mark.parametrize("name, shape, index", INDICES, ids=[i[0] for i in INDICES])
def test_getitem_values_and_gradients(name, shape, index, make, check, rng):
    x = make(shape)
    out = x[index]
    np.testing.assert_array_equal(out.data, x.data[_numpy_index(index)])
    check(lambda t: t[index], x)
    # The gradient is the adjoint of the gather: upstream values added at the indexed places.
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    expected = np.zeros(shape)
    np.add.at(expected, _numpy_index(index), upstream)
    np.testing.assert_allclose(x.grad, expected)


def test_repeated_indices_accumulate():
    x = ag.tensor([10.0, 20.0, 30.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    # Index 0 is picked three times, index 1 never, index 2 once.
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])


def test_basic_index_is_a_view_and_advanced_is_a_copy():
    x = ag.zeros(3, 4)
    assert np.shares_memory(x[1:].data, x.data)
    assert not np.shares_memory(x[[0, 1]].data, x.data)


def test_take_along_dim(make, check):
    x = make((3, 4))
    indices = np.array([[0, 3], [2, 2], [1, 0]])
    np.testing.assert_array_equal(ag.take_along_dim(x, indices, 1).data, np.take_along_axis(x.data, indices, 1))
    check(lambda t: ag.take_along_dim(t, indices, 1), x)
    check(lambda t: ag.take_along_dim(t, np.array([[2, 0, 1, 1]]), -2), x)


def test_iteration_and_len_index_the_first_dimension(make):
    x = make((3, 2))
    rows = list(x)
    assert len(x) == 3 and len(rows) == 3
    sum(r.sum() * (i + 1) for i, r in enumerate(rows)).backward()
    np.testing.assert_array_equal(x.grad, [[1, 1], [2, 2], [3, 3]])


@pytest.mark.parametrize(
    "index, message",
    [(5, r"get_item: shapes \(3, 4\).*out of bounds"), (np.array([0, 7]), r"get_item.*\(3, 4\)"), (np.array([True, False]), r"get_item.*\(3, 4\)")],
)
def test_index_errors_name_the_op_and_shape(index, message):
    with pytest.raises(IndexError, match=message):
        ag.zeros(3, 4, requires_grad=True)[index]
