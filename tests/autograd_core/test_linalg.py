"""Linear algebra: matmul with NumPy's rules (1-D operands, broadcast batches), the fused
linear layer and einsum, against NumPy, with gradients and second derivatives."""
import numpy as np
import pytest

import autograd_core as ag

MATMUL_SHAPES = [
    ((2, 3), (3, 4)),
    ((3,), (3, 4)),
    ((2, 3), (3,)),
    ((3,), (3,)),
    ((2, 2, 3), (3, 4)),
    ((2, 1, 2, 3), (5, 3, 2)),
    ((4, 3), (2, 3, 2)),
    ((3,), (2, 3, 4)),
    ((2, 2, 3), (3,)),
    ((0, 3), (3, 2)),
    ((2, 0), (0, 3)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_values_and_gradients(shapes, make, check):
    a, b = make(shapes[0]), make(shapes[1])
    np.testing.assert_allclose((a @ b).data, np.matmul(a.data, b.data), rtol=1e-12)
    check(lambda x, y: x @ y, a, b)


def test_matmul_forms(make):
    a, b = make((2, 3)), make((3, 2))
    expected = a.data @ b.data
    for out in (a.matmul(b), ag.matmul(a, b), a.data @ b, a @ b.data):
        np.testing.assert_allclose(out.data, expected)
    assert (a.data @ b).requires_grad and (a @ b.data).requires_grad


def test_matmul_gradient_is_the_transposed_products(make, rng):
    """dL/dA = G B^T and dL/dB = A^T G, the layer equations' dL/dW = delta a^T."""
    a, b = make((2, 3)), make((3, 4))
    g = rng.standard_normal((2, 4))
    (a @ b).backward(g)
    np.testing.assert_allclose(a.grad, g @ b.data.T)
    np.testing.assert_allclose(b.grad, a.data.T @ g)


@pytest.mark.parametrize(
    "shapes, message",
    [
        (((3, 4), (5, 2)), r"matmul: shapes \(3, 4\) and \(5, 2\) do not align"),
        (((3,), (4,)), r"matmul: shapes \(3,\) and \(4,\) do not align"),
        (((), (3,)), r"matmul: .*at least 1 dimension"),
        (((2, 2, 3), (3, 3, 2)), r"matmul: shapes \(2, 2, 3\) and \(3, 3, 2\)"),
    ],
)
def test_matmul_shape_errors(shapes, message):
    with pytest.raises(ValueError, match=message):
        ag.zeros(*shapes[0], requires_grad=True) @ ag.zeros(*shapes[1])


LINEAR_SHAPES = [((4, 3), (2, 3), (2,)), ((3,), (2, 3), (2,)), ((2, 4, 3), (5, 3), (5,)), ((4, 3), (2, 3), None), ((0, 3), (2, 3), (2,))]


@pytest.mark.parametrize("x_shape, w_shape, b_shape", LINEAR_SHAPES, ids=str)
def test_linear_matches_its_equation(x_shape, w_shape, b_shape, make, check):
    x, w = make(x_shape), make(w_shape)
    inputs = (x, w) if b_shape is None else (x, w, make(b_shape))
    expected = x.data @ w.data.T + (0 if b_shape is None else inputs[2].data)
    np.testing.assert_allclose(ag.linear(*inputs).data, expected, rtol=1e-12)
    check(ag.linear, *inputs)


def test_linear_with_constant_weight(make, check):
    w = make((2, 3), requires_grad=False)
    check(lambda x, b: ag.linear(x, w, b), make((4, 3)), make((2,)))


def test_linear_bias_gradient_sums_over_the_batch(make):
    x, w, b = make((5, 3)), make((2, 3)), make((2,))
    ag.linear(x, w, b).sum().backward()
    np.testing.assert_allclose(b.grad, [5.0, 5.0])


def test_linear_shape_error():
    with pytest.raises(ValueError, match=r"linear: input of shape \(4, 3\) does not fit weight of shape \(2, 5\)"):
        ag.linear(ag.zeros(4, 3), ag.zeros(2, 5, requires_grad=True))


# equation, operand shapes
EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit output: the letters seen once, sorted
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 2)]),
    ("...ij,jk", [(2, 1, 2, 3), (3, 2)]),
    ("i...,i...->...", [(3, 2), (3, 2)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("ij", [(2, 3)]),
    ("i,j->ij", [(2,), (3,)]),
    ("i,i->", [(3,), (3,)]),
    ("ij,k->i", [(2, 3), (4,)]),  # k is summed away on its own operand
    ("ij,ij->i", [(2, 3), (2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    ("b i , b j -> b i j", [(2, 3), (2, 2)]),
    ("i,->i", [(3,), ()]),
    ("ij,jk->ik", [(0, 3), (3, 2)]),
    ("ii->i", [(3, 3)]),  # a repeated letter reads the diagonal
    ("ii", [(3, 3)]),  # the trace
    ("iji->ij", [(2, 3, 2)]),
    ("ij,jj->i", [(2, 3), (3, 3)]),
]


@pytest.mark.parametrize("equation, shapes", EINSUMS, ids=[e[0] for e in EINSUMS])
def test_einsum_values_and_gradients(equation, shapes, make, check):
    operands = [make(s) for s in shapes]
    expected = np.einsum(equation.replace(" ", ""), *[o.data for o in operands])
    out = ag.einsum(equation, *operands)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    check(lambda *ts: ag.einsum(equation, *ts), *operands)


def test_einsum_accepts_a_list_of_operands(make):
    a, b = make((2, 3)), make((3,))
    np.testing.assert_allclose(ag.einsum("ij,j->i", [a, b]).data, a.data @ b.data)


@pytest.mark.parametrize(
    "equation, shapes, message",
    [("ij,jk->ik", [(2, 3)], "names 2 operands"), ("ijk->i", [(2, 3)], r"'ijk'.*\(2, 3\)")],
)
def test_einsum_errors(equation, shapes, message):
    with pytest.raises(ValueError, match=f"einsum: .*{message}"):
        ag.einsum(equation, *[ag.zeros(*s, requires_grad=True) for s in shapes])
