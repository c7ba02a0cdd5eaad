"""Elementwise ops: values against NumPy, gradients and second derivatives against central
differences (float64), over shapes with broadcasting, 0-d tensors and empty dimensions."""
import math

import numpy as np
import pytest
from scipy import special

import autograd_core as ag

# Pairs of shapes that broadcast together: equal, a row against a matrix, both stretched,
# a 0-d tensor against a vector, and an empty dimension.
BINARY_SHAPES = [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1, 3), (4, 1)), ((), (3,)), ((0, 3), (3,))]

# name, function, domain of the first input, domain of the second
BINARY = [
    ("add", lambda a, b: a + b, "real", "real"),
    ("sub", lambda a, b: a - b, "real", "real"),
    ("mul", lambda a, b: a * b, "real", "real"),
    ("div", lambda a, b: a / b, "real", "real"),
    ("pow_tensor_exponent", lambda a, b: a**b, "positive", "real"),
    ("maximum", ag.maximum, "real", "real"),
    ("minimum", ag.minimum, "real", "real"),
    ("method_add", lambda a, b: a.add(b), "real", "real"),
    ("method_pow", lambda a, b: a.pow(b), "positive", "real"),
]


@pytest.mark.parametrize("shapes", BINARY_SHAPES, ids=str)
@pytest.mark.parametrize("name, fn, domain_a, domain_b", BINARY, ids=[b[0] for b in BINARY])
def test_binary_gradients(name, fn, domain_a, domain_b, shapes, make, check):
    a, b = make(shapes[0], domain_a), make(shapes[1], domain_b)
    check(fn, a, b)


# A Python scalar on either side of each operator.
SCALAR = [
    ("x + 2", lambda x: x + 2, "real"),
    ("2 + x", lambda x: 2 + x, "real"),
    ("x - 2", lambda x: x - 2, "real"),
    ("2 - x", lambda x: 2 - x, "real"),
    ("x * 3", lambda x: x * 3, "real"),
    ("3 * x", lambda x: 3 * x, "real"),
    ("x / 3", lambda x: x / 3, "real"),
    ("3 / x", lambda x: 3 / x, "real"),
    ("x ** 3", lambda x: x**3, "real"),
    ("x ** 2.5", lambda x: x**2.5, "positive"),
    ("x ** -1.5", lambda x: x**-1.5, "positive"),
    ("x ** 0", lambda x: x**0, "real"),
    ("2 ** x", lambda x: 2**x, "real"),
    ("0.5 ** x", lambda x: 0.5**x, "real"),
    ("array * x", lambda x: np.full(x.shape, 1.5) * x, "real"),
    ("x - array", lambda x: x - np.full(x.shape, 1.5), "real"),
]


@pytest.mark.parametrize("shape", [(), (2, 3), (0, 2)], ids=str)
@pytest.mark.parametrize("name, fn, domain", SCALAR, ids=[s[0] for s in SCALAR])
def test_scalar_on_either_side(name, fn, domain, shape, make, check):
    check(fn, make(shape, domain))


# name, our function, NumPy reference, domain
UNARY = [
    ("neg", lambda x: -x, lambda x: -x, "real"),
    ("exp", lambda x: x.exp(), np.exp, "real"),
    ("log", lambda x: x.log(), np.log, "positive"),
    ("sqrt", lambda x: x.sqrt(), np.sqrt, "positive"),
    ("abs", lambda x: x.abs(), np.abs, "real"),
    ("abs_builtin", abs, np.abs, "real"),
    ("sin", lambda x: x.sin(), np.sin, "real"),
    ("cos", lambda x: x.cos(), np.cos, "real"),
    ("tanh", lambda x: x.tanh(), np.tanh, "real"),
    ("sigmoid", lambda x: x.sigmoid(), special.expit, "real"),
    ("relu", lambda x: x.relu(), lambda x: np.maximum(x, 0), "real"),
    ("leaky_relu", lambda x: x.leaky_relu(0.1), lambda x: np.where(x > 0, x, 0.1 * x), "real"),
    ("leaky_relu_default", lambda x: x.leaky_relu(), lambda x: np.where(x > 0, x, 0.01 * x), "real"),
    ("elu", lambda x: x.elu(1.3), lambda x: np.where(x > 0, x, 1.3 * np.expm1(x)), "real"),
    ("gelu_erf", lambda x: x.gelu(), lambda x: x * special.ndtr(x), "real"),
    (
        "gelu_tanh",
        lambda x: x.gelu(approximate="tanh"),
        lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
        "real",
    ),
    ("softplus", lambda x: x.softplus(), lambda x: np.log1p(np.exp(x)), "real"),
    ("softplus_beta", lambda x: x.softplus(beta=2.0), lambda x: np.log1p(np.exp(2 * x)) / 2, "real"),
    # Above beta * x > threshold softplus is the identity, as in PyTorch.
    (
        "softplus_threshold",
        lambda x: x.softplus(beta=3.0, threshold=1.0),
        lambda x: np.where(3 * x > 1, x, np.log1p(np.exp(3 * x)) / 3),
        "real",
    ),
    ("clip", lambda x: x.clip(-0.5, 0.7), lambda x: np.clip(x, -0.5, 0.7), "real"),
    ("clip_min_only", lambda x: x.clip(min=0.5), lambda x: np.maximum(x, 0.5), "real"),
    ("clamp_max_only", lambda x: x.clamp(max=-0.5), lambda x: np.minimum(x, -0.5), "real"),
    ("square", lambda x: x.square(), np.square, "real"),
    ("erf", ag.erf, special.erf, "real"),
    ("function_form_exp", ag.exp, np.exp, "real"),
    ("function_form_tanh", ag.tanh, np.tanh, "real"),
]


@pytest.mark.parametrize("shape", [(), (2, 3), (0, 3)], ids=str)
@pytest.mark.parametrize("name, fn, reference, domain", UNARY, ids=[u[0] for u in UNARY])
def test_unary_values_and_gradients(name, fn, reference, domain, shape, make, check):
    x = make(shape, domain)
    np.testing.assert_allclose(fn(x).data, reference(x.data), rtol=1e-12, atol=1e-12)
    check(fn, x)


def test_where_gradients_with_broadcast_condition(make, check, rng):
    condition = ag.tensor(rng.random((2, 1)) > 0.5)
    check(lambda x, y: ag.where(condition, x, y), make((2, 3)), make((3,)))
    check(lambda x, y: ag.where(np.array([True, False, True]), x, y), make(()), make((2, 3)))


def test_where_routes_gradient_by_condition():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ag.tensor([10.0, 20.0, 30.0], requires_grad=True)
    out = ag.where(x > 1.5, x, y)
    np.testing.assert_array_equal(out.data, [10.0, 2.0, 3.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0])
    np.testing.assert_array_equal(y.grad, [1.0, 0.0, 0.0])


@pytest.mark.parametrize("fn", [ag.maximum, ag.minimum], ids=["maximum", "minimum"])
def test_maximum_minimum_split_ties_evenly(fn):
    a = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = ag.tensor([1.0, 0.0, 5.0], requires_grad=True)
    fn(a, b).sum().backward()
    # Each element's unit gradient goes to the winner, half to each on the tie at index 0.
    assert a.grad[0] == b.grad[0] == 0.5
    np.testing.assert_array_equal(a.grad + b.grad, [1.0, 1.0, 1.0])


def test_kink_conventions():
    """relu'(0) = 0 and abs'(0) = 0, as in PyTorch; leaky_relu'(0) is the negative slope."""
    x = ag.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])
    x.grad = None
    x.abs().sum().backward()
    np.testing.assert_array_equal(x.grad, [-1.0, 0.0, 1.0])
    x.grad = None
    x.leaky_relu(0.2).sum().backward()
    np.testing.assert_allclose(x.grad, [0.2, 0.2, 1.0])


def test_clip_gradient_passes_on_the_boundary():
    x = ag.tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
    x.clip(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0, 1.0, 0.0])


def test_clip_needs_a_bound():
    with pytest.raises(ValueError, match="clip"):
        ag.tensor([1.0]).clip()


def test_derivative_bounds_of_sigmoid_and_tanh():
    """sigmoid' <= 1/4 and tanh' <= 1, with equality at 0 (the notes' claims)."""
    x = ag.tensor(np.linspace(-6, 6, 101), requires_grad=True)
    x.sigmoid().sum().backward()
    assert x.grad.max() == pytest.approx(0.25) and x.grad.max() == x.grad[50]
    x.grad = None
    x.tanh().sum().backward()
    assert x.grad.max() == pytest.approx(1.0) and x.grad.max() == x.grad[50]


def test_tanh_is_a_rescaled_sigmoid(make):
    x = make((5,))
    np.testing.assert_allclose(x.tanh().data, (2 * (2 * x).sigmoid() - 1).data, atol=1e-12)


def test_elu_derivative_is_output_plus_alpha_below_zero():
    x = ag.tensor([-2.0, -0.5], dtype=np.float64, requires_grad=True)
    y = x.elu(alpha=0.7)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, y.data + 0.7)


def test_stable_at_extreme_inputs():
    x = ag.tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = x.sigmoid()
        sp = x.softplus()
    np.testing.assert_array_equal(s.data, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(sp.data, [0.0, np.log(2), 1000.0])
    (s + sp).sum().backward()
    assert np.all(np.isfinite(x.grad))


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="gelu"):
        ag.tensor([1.0]).gelu(approximate="fast")


def test_power_of_zero_base_has_zero_exponent_gradient():
    """d(a^b)/db = a^b log a, taken as 0 at a = 0 (its limit for b > 0)."""
    a = ag.tensor([0.0, 2.0], dtype=np.float64, requires_grad=True)
    b = ag.tensor([2.0, 3.0], dtype=np.float64, requires_grad=True)
    (a**b).sum().backward()
    np.testing.assert_allclose(b.grad, [0.0, 8 * np.log(2)])
    np.testing.assert_allclose(a.grad, [0.0, 3 * 4.0])


def test_zero_exponent_has_zero_base_gradient_even_at_zero():
    """a^0 = 1 is constant, so d/da is 0 at a = 0 too (not 0 * 0^-1 = nan), as in PyTorch."""
    a = ag.tensor([0.0, 2.0], dtype=np.float64, requires_grad=True)
    b = ag.tensor([0.0, 0.0], dtype=np.float64, requires_grad=True)
    (a**0).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])
    a.grad = None
    (a**b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_results_keep_the_input_dtype(dtype):
    x = ag.tensor(np.ones(3, dtype=dtype), requires_grad=True)
    for y in (x * 2.5, 1 / x, x**2, x.sigmoid(), x.gelu(), x.elu(), x.leaky_relu(), x.softplus(), 2**x):
        assert y.dtype == dtype, y.grad_fn
    (x.gelu() + x.sigmoid()).sum().backward()
    assert x.grad.dtype == dtype


def test_cast_gradient(make):
    # float64 -> float32 rounds to 1e-7 relative, so the central difference needs a larger step.
    x = make((2, 3))
    assert ag.gradcheck(lambda t: t.to(np.float32) * 2, (x,), eps=1e-3, atol=1e-3)
    assert ag.gradcheck(lambda t: t.float().double() * t, (x,), eps=1e-3, atol=1e-3)


def test_cast_gives_gradient_in_the_input_dtype():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.double()
    assert y.dtype == np.float64 and y.grad_fn is not None
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    assert x.to(np.float32) is x


# ours, the torch function of the same name (same arguments)
TORCH_PARITY = [
    (lambda x: x.gelu(), lambda t, F: F.gelu(t)),
    (lambda x: x.gelu(approximate="tanh"), lambda t, F: F.gelu(t, approximate="tanh")),
    (lambda x: x.softplus(beta=2.0, threshold=1.5), lambda t, F: F.softplus(t, beta=2.0, threshold=1.5)),
    (lambda x: x.elu(0.5), lambda t, F: F.elu(t, 0.5)),
    (lambda x: x.leaky_relu(), lambda t, F: F.leaky_relu(t)),
    (lambda x: x.relu(), lambda t, F: t.relu()),
    (lambda x: x.abs(), lambda t, F: t.abs()),
    (lambda x: x.clip(-1.0, 0.5), lambda t, F: t.clip(-1.0, 0.5)),
    (lambda x: x.clamp(min=0.0), lambda t, F: t.clamp(min=0.0)),
    (lambda x: ag.maximum(x, x * x), lambda t, F: t.maximum(t * t)),  # ties at 0 and 1
    (lambda x: ag.minimum(x * x, x), lambda t, F: (t * t).minimum(t)),
    (lambda x: x**0, lambda t, F: t**0),
    (lambda x: 2**x, lambda t, F: 2**t),
]


@pytest.mark.parametrize("ours, theirs", TORCH_PARITY)
def test_values_and_gradients_match_pytorch(ours, theirs):
    """Including the points where PyTorch picks a convention: kinks at 0, the boundaries of
    clip, softplus's threshold, ties of maximum."""
    torch = pytest.importorskip("torch")
    values = np.array([-2.0, -1.0, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 3.0])
    x = ag.tensor(values, requires_grad=True)
    t = torch.tensor(values, requires_grad=True)
    out, expected = ours(x), theirs(t, torch.nn.functional)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    upstream = np.linspace(0.5, 1.5, values.size)
    out.backward(upstream)
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x.grad, t.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op", ["sigmoid", "tanh", "exp", "elu", "leaky_relu", "softplus", "gelu"])
def test_activations_of_integer_tensors_are_not_truncated(op):
    out = getattr(ag.tensor([-1, 2]), op)()
    assert out.dtype.kind == "f" and not out.requires_grad
    np.testing.assert_allclose(out.data, getattr(ag.tensor(np.array([-1.0, 2.0])), op)().data)
