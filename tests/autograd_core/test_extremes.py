"""Numerical extremes against PyTorch: every op and loss at huge and tiny values, at 0 and
1 probabilities, at -inf and inf, on ties, on constants and on empty tensors gives the
values and gradients PyTorch gives, NaN exactly where PyTorch gives NaN, inf where it
gives inf (with its sign), zero where it gives zero, and the same finite numbers
elsewhere."""
import warnings

import numpy as np
import pytest

import autograd_core as ag
import nn.functional as F

torch = pytest.importorskip("torch")
tF = torch.nn.functional

inf, nan = np.inf, np.nan


class Const:
    """An input that does not require grad (a float target, a mask)."""

    def __init__(self, value):
        self.value = np.asarray(value)


def a(*values):
    return np.array(values, dtype=np.float64)


# (id, fn(library, functional, *inputs), inputs). ``library`` is autograd_core or torch,
# ``functional`` nn.functional or torch.nn.functional. Float arrays become leaves that
# require grad; integer arrays and Const ones do not.
CASES = [
    # variance and standard deviation of constants, and of too few elements
    ("std-constant", lambda m, f, x: x.std(), [np.full(5, 3.0)]),
    ("std-constant-dim", lambda m, f, x: x.std(dim=1), [np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]])]),
    ("std-constant-biased", lambda m, f, x: x.std(unbiased=False), [np.full((2, 3), -1.5)]),
    ("std-one-element", lambda m, f, x: x.std(), [a(4.0)]),
    ("std-one-element-biased", lambda m, f, x: x.std(correction=0), [a(4.0)]),
    ("var-constant", lambda m, f, x: x.var(), [np.full(4, 7.0)]),
    ("var-one-element", lambda m, f, x: x.var(), [a(4.0)]),
    ("std-empty", lambda m, f, x: x.std(), [np.zeros(0)]),
    ("var-empty-dim", lambda m, f, x: x.var(dim=1), [np.zeros((2, 0))]),
    # negative log-likelihood with impossible classes
    ("nll-neginf-elsewhere", lambda m, f, x, y: f.nll_loss(x, y), [a(0.0, -inf, -inf).reshape(1, 3).repeat(2, 0), np.array([0, 0])]),
    ("nll-neginf-elsewhere-none", lambda m, f, x, y: f.nll_loss(x, y, reduction="none"), [np.array([[-0.1, -inf, -2.5], [-inf, -0.3, -inf]]), np.array([0, 1])]),
    ("nll-neginf-elsewhere-weight", lambda m, f, x, y: f.nll_loss(x, y, weight=m.tensor(a(0.5, 2.0, 1.0)), reduction="sum"), [np.array([[-0.1, -inf, -2.5], [-inf, -0.3, -inf]]), np.array([0, 1])]),
    ("nll-neginf-ignored", lambda m, f, x, y: f.nll_loss(x, y, ignore_index=1), [np.array([[-0.1, -inf, -2.5], [-inf, -0.3, -inf]]), np.array([0, 1])]),
    ("nll-neginf-target", lambda m, f, x, y: f.nll_loss(x, y), [np.array([[-inf, 0.0], [-0.5, -1.0]]), np.array([0, 1])]),
    ("nll-all-ignored", lambda m, f, x, y: f.nll_loss(x, y, ignore_index=0), [np.array([[-0.1, -2.0], [-0.5, -1.0]]), np.array([0, 0])]),
    ("nll-empty-batch", lambda m, f, x, y: f.nll_loss(x, y, reduction="sum"), [np.zeros((0, 3)), np.zeros(0, dtype=np.int64)]),
    # binary cross-entropy at certain predictions
    ("bce-p0-p1", lambda m, f, p, y: f.binary_cross_entropy(p, y), [a(0.0, 1.0, 0.0, 1.0), Const(a(1.0, 0.0, 0.0, 1.0))]),
    ("bce-p0-p1-none", lambda m, f, p, y: f.binary_cross_entropy(p, y, reduction="none"), [a(0.0, 1.0, 0.0, 1.0, 0.5), Const(a(1.0, 0.0, 0.0, 1.0, 0.5))]),
    ("bce-tiny", lambda m, f, p, y: f.binary_cross_entropy(p, y, reduction="sum"), [a(1e-300, 1e-50, 1e-13, 1 - 1e-16), Const(a(1.0, 1.0, 0.0, 0.0))]),
    ("bce-soft-target", lambda m, f, p, y: f.binary_cross_entropy(p, y, reduction="none"), [a(0.0, 1.0, 0.3), Const(a(0.25, 0.75, 0.3))]),
    ("bce-weight", lambda m, f, p, y: f.binary_cross_entropy(p, y, weight=m.tensor(a(2.0, 0.5, 0.0))), [a(0.0, 1.0, 0.0), Const(a(1.0, 0.0, 1.0))]),
    ("bce-target-grad", lambda m, f, p, y: f.binary_cross_entropy(p, y, reduction="sum"), [Const(a(0.0, 1.0, 0.3, 1e-60)), a(1.0, 0.0, 0.6, 0.5)]),
    ("bce-logits-huge", lambda m, f, x, y: f.binary_cross_entropy_with_logits(x, y, reduction="none"), [a(1e4, -1e4, 800.0, -800.0, 0.0), Const(a(0.0, 1.0, 1.0, 0.0, 1.0))]),
    # cross-entropy with huge, infinite and tied logits
    ("ce-huge", lambda m, f, x, y: f.cross_entropy(x, y), [np.array([[1e300, -1e300, 0.0], [1e308, 1e308, -1e308]]), np.array([1, 0])]),
    ("ce-huge-none", lambda m, f, x, y: f.cross_entropy(x, y, reduction="none"), [np.array([[800.0, -800.0, 0.0], [-1e4, 1e4, 3.0]]), np.array([0, 0])]),
    ("ce-neginf-elsewhere", lambda m, f, x, y: f.cross_entropy(x, y), [np.array([[2.0, -inf, 0.5], [-inf, 1.0, -inf]]), np.array([0, 1])]),
    ("ce-neginf-elsewhere-none", lambda m, f, x, y: f.cross_entropy(x, y, reduction="none"), [np.array([[2.0, -inf, 0.5], [-inf, 1.0, -inf]]), np.array([2, 1])]),
    ("ce-neginf-smoothing", lambda m, f, x, y: f.cross_entropy(x, y, label_smoothing=0.1), [np.array([[2.0, -inf, 0.5], [0.0, 1.0, 3.0]]), np.array([0, 1])]),
    ("ce-neginf-target", lambda m, f, x, y: f.cross_entropy(x, y, reduction="none"), [np.array([[-inf, 1.0], [0.5, 1.0]]), np.array([0, 1])]),
    ("ce-posinf", lambda m, f, x, y: f.cross_entropy(x, y, reduction="none"), [np.array([[inf, 1.0], [0.5, 1.0]]), np.array([0, 1])]),
    ("ce-ties", lambda m, f, x, y: f.cross_entropy(x, y), [np.full((2, 4), 5.0), np.array([3, 0])]),
    ("ce-all-ignored", lambda m, f, x, y: f.cross_entropy(x, y, ignore_index=1), [np.array([[0.2, 1.0], [0.5, 1.0]]), np.array([1, 1])]),
    ("ce-soft-neginf", lambda m, f, x, y: f.cross_entropy(x, y), [np.array([[2.0, -inf, 0.5]]), Const(a(0.5, 0.0, 0.5).reshape(1, 3))]),
    # softmax family with infinities and huge values
    ("softmax-posinf", lambda m, f, x: x.softmax(-1), [np.array([[inf, 0.0, 1.0], [inf, inf, 0.0]])]),
    ("softmax-neginf", lambda m, f, x: x.softmax(-1), [np.array([[-inf, 0.0, 1.0], [-inf, -inf, -inf]])]),
    ("softmax-huge", lambda m, f, x: x.softmax(-1), [np.array([[1e308, -1e308, 0.0], [1e308, 1e308, 1e308]])]),
    ("softmax-empty", lambda m, f, x: x.softmax(-1), [np.zeros((2, 0))]),
    ("log-softmax-posinf", lambda m, f, x: x.log_softmax(-1), [np.array([[inf, 0.0, 1.0], [inf, inf, 0.0]])]),
    ("log-softmax-neginf", lambda m, f, x: x.log_softmax(-1), [np.array([[-inf, 0.0, 1.0], [-inf, -inf, -inf]])]),
    ("log-softmax-huge", lambda m, f, x: x.log_softmax(-1), [np.array([[1e308, -1e308, 0.0], [1e308, 1e308, 1e308]])]),
    ("log-softmax-tiny-probabilities", lambda m, f, x: x.log_softmax(0), [a(0.0, -800.0, -1e4)]),
    ("log-softmax-empty", lambda m, f, x: x.log_softmax(0), [np.zeros((0, 2))]),
    ("logsumexp-posinf", lambda m, f, x: x.logsumexp(1), [np.array([[inf, 0.0, 1.0], [inf, inf, 0.0]])]),
    ("logsumexp-neginf", lambda m, f, x: x.logsumexp(1), [np.array([[-inf, 0.0, 1.0], [-inf, -inf, -inf]])]),
    ("logsumexp-mixed-inf", lambda m, f, x: x.logsumexp(0), [a(inf, -inf, 0.0)]),
    ("logsumexp-huge", lambda m, f, x: x.logsumexp(1), [np.array([[1e308, 1e308, 0.0], [-1e308, -1e308, -1e308]])]),
    ("logsumexp-empty", lambda m, f, x: x.logsumexp(1), [np.zeros((2, 0))]),
    ("log-of-softmax-underflow", lambda m, f, x: x.softmax(-1).log(), [a(0.0, -800.0, 10.0)]),
    # roots and powers at 0
    ("sqrt-zero", lambda m, f, x: x.sqrt(), [a(0.0, 4.0, -0.0)]),
    ("sqrt-negative", lambda m, f, x: x.sqrt(), [a(-1.0, inf)]),
    ("pow-half-at-zero", lambda m, f, x: x**0.5, [a(0.0, 4.0)]),
    ("pow-two-at-zero", lambda m, f, x: x**2, [a(0.0, -3.0)]),
    ("pow-zero-at-zero", lambda m, f, x: x**0, [a(0.0, -3.0)]),
    ("pow-minus-one-at-zero", lambda m, f, x: x**-1, [a(0.0, -0.0, 2.0)]),
    ("pow-tensor-exponent-zero-base", lambda m, f, x, b: x**b, [a(0.0, 0.0, 0.0, 2.0), a(2.0, 0.0, -1.0, 0.0)]),
    ("pow-tensor-exponent-negative-base", lambda m, f, x, b: x**b, [a(-2.0, -2.0, -0.5), a(2.0, 0.5, 3.0)]),
    ("pow-scalar-base", lambda m, f, b: m.pow(0.0, b), [a(2.0, 0.0, -1.0)]),
    ("pow-overflow", lambda m, f, x: x**400, [a(10.0, -10.0, 1e-10)]),
    # norms of zero vectors
    ("norm-zeros", lambda m, f, x: x.norm(), [np.zeros(4)]),
    ("norm-zeros-dim", lambda m, f, x: x.norm(dim=1), [np.array([[0.0, 0.0], [3.0, 4.0]])]),
    ("norm-1-zeros", lambda m, f, x: x.norm(p=1), [np.zeros(3)]),
    ("norm-3-zeros", lambda m, f, x: x.norm(p=3), [np.zeros(3)]),
    ("norm-3-some-zeros", lambda m, f, x: x.norm(p=3), [a(0.0, 1.0, -2.0)]),
    ("norm-half-some-zeros", lambda m, f, x: x.norm(p=0.5), [a(0.0, 1.0, -2.0)]),
    ("norm-inf-zeros", lambda m, f, x: x.norm(p=inf), [np.zeros(3)]),
    ("norm-huge", lambda m, f, x: x.norm(), [a(1e200, 1e200)]),
    ("norm-empty", lambda m, f, x: x.norm(), [np.zeros(0)]),
    # saturating activations
    ("sigmoid-large", lambda m, f, x: x.sigmoid(), [a(-1e4, -800.0, -40.0, 40.0, 800.0, 1e4, -inf, inf)]),
    ("tanh-large", lambda m, f, x: x.tanh(), [a(-1e4, -40.0, 40.0, 1e4, -inf, inf)]),
    ("softplus-large", lambda m, f, x: f.softplus(x), [a(-1e4, -800.0, -40.0, 19.0, 21.0, 800.0, 1e4, -inf, inf)]),
    ("softplus-beta-large", lambda m, f, x: f.softplus(x, beta=3.0, threshold=5.0), [a(-1e4, 1.0, 2.0, 1e4)]),
    ("logsigmoid-large", lambda m, f, x: f.logsigmoid(x), [a(-1e4, -800.0, 800.0, 1e4)]),
    ("elu-large", lambda m, f, x: f.elu(x), [a(-1e4, -800.0, 0.0, 800.0, -inf)]),
    ("gelu-large", lambda m, f, x: f.gelu(x), [a(-1e4, -40.0, 40.0, 1e4)]),
    ("silu-large", lambda m, f, x: f.silu(x), [a(-1e4, -800.0, 800.0, 1e4)]),
    # exponentials and logarithms out of range
    ("exp-overflow", lambda m, f, x: x.exp(), [a(710.0, 1e4, -1e4, inf, -inf)]),
    ("log-zero", lambda m, f, x: x.log(), [a(0.0, -0.0, -1.0, inf)]),
    ("log1p-minus-one", lambda m, f, x: x.log1p(), [a(-1.0, -2.0, inf)]),
    ("expm1-overflow", lambda m, f, x: x.expm1(), [a(710.0, -1e4)]),
    # division by zero
    ("div-by-zero", lambda m, f, x, y: x / y, [a(1.0, -1.0, 0.0, 1e300, 1e-300), a(0.0, 0.0, 0.0, 1e-300, 1e300)]),
    ("div-by-constant-zero", lambda m, f, x: x / 0.0, [a(1.0, 0.0)]),
    ("reciprocal-zero", lambda m, f, x: x.reciprocal(), [a(0.0, -0.0, inf)]),
    # clamping at the boundaries
    ("clamp-boundary", lambda m, f, x: x.clamp(-1.0, 1.0), [a(-1.0, 1.0, -1.5, 1.5, 0.0)]),
    ("clamp-min-only-boundary", lambda m, f, x: x.clamp(min=0.0), [a(0.0, -0.0, 1.0, -1.0)]),
    ("clamp-max-below-min", lambda m, f, x: x.clamp(2.0, 1.0), [a(0.0, 1.5, 3.0)]),
    ("clamp-infinite", lambda m, f, x: x.clamp(-1.0, 1.0), [a(-inf, inf)]),
    # kinks at 0
    ("abs-zero", lambda m, f, x: x.abs(), [a(0.0, -0.0, 2.0, -2.0)]),
    ("relu-zero", lambda m, f, x: x.relu(), [a(0.0, -0.0, 2.0, -2.0, inf, -inf)]),
    ("leaky-relu-zero", lambda m, f, x: f.leaky_relu(x, 0.1), [a(0.0, -0.0, 2.0, -2.0)]),
    ("hardtanh-boundary", lambda m, f, x: f.hardtanh(x), [a(-1.0, 1.0, 0.0, 2.0)]),
    # an infinite gradient meeting a zero slope: masked to 0, never 0 * inf = NaN
    ("sqrt-of-clamp", lambda m, f, x: x.clamp(0.0, 1.0).sqrt(), [a(-1.0, 0.0, 0.25, 4.0)]),
    ("sqrt-of-where", lambda m, f, x: m.where(m.tensor([True, False, True]), x, 0.0).sqrt(), [a(4.0, 9.0, 0.0)]),
    ("sqrt-of-maximum", lambda m, f, x: m.maximum(x, m.zeros(3, dtype=m.float64)).sqrt(), [a(-1.0, 0.0, 4.0)]),
    ("log-of-leaky-relu", lambda m, f, x: f.leaky_relu(x, 0.0).log(), [a(-1.0, 0.0, 4.0)]),
    ("sqrt-of-hardtanh", lambda m, f, x: f.hardtanh(x, 0.0, 1.0).sqrt(), [a(-1.0, 0.0, 2.0)]),
    ("sqrt-of-amax", lambda m, f, x: x.amax(dim=1).sqrt(), [np.array([[0.0, -1.0], [0.0, 0.0]])]),
    ("log-of-masked-fill", lambda m, f, x: x.masked_fill(m.tensor([True, False]), 0.0).log(), [a(2.0, 3.0)]),
    ("sqrt-of-abs-of-zero", lambda m, f, x: x.abs().sqrt(), [a(0.0, -4.0)]),
    ("sqrt-of-nll-all-ignored", lambda m, f, x, y: f.nll_loss(x, y, ignore_index=0).sqrt(), [np.array([[-0.1, -2.0]]), np.array([0])]),
    # ties in extremes
    ("max-ties", lambda m, f, x: x.max(), [a(1.0, 3.0, 3.0, -2.0, 3.0)]),
    ("max-dim-ties", lambda m, f, x: x.max(dim=1).values, [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])]),
    ("min-dim-ties", lambda m, f, x: x.min(dim=0).values, [np.array([[1.0, 3.0], [1.0, 2.0]])]),
    ("amax-ties", lambda m, f, x: x.amax(dim=1), [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])]),
    ("amin-ties-all", lambda m, f, x: x.amin(), [np.full((2, 3), -4.0)]),
    ("max-infinite-ties", lambda m, f, x: x.max(), [a(inf, 1.0, inf)]),
    ("amax-neginf", lambda m, f, x: x.amax(dim=0), [np.array([[-inf, 1.0], [-inf, 1.0]])]),
    ("maximum-ties", lambda m, f, x, y: m.maximum(x, y), [a(1.0, 2.0, 3.0), a(1.0, 0.0, 3.0)]),
    # sums and means of empty and constant tensors
    ("mean-empty", lambda m, f, x: x.mean(), [np.zeros(0)]),
    ("mean-empty-dim", lambda m, f, x: x.mean(dim=0), [np.zeros((0, 3))]),
    ("sum-empty", lambda m, f, x: x.sum(), [np.zeros((0, 3))]),
    ("prod-zeros", lambda m, f, x: x.prod(), [a(0.0, 0.0, 2.0)]),
    ("prod-one-zero", lambda m, f, x: x.prod(), [a(0.0, 3.0, 2.0)]),
    # normalisation of a constant input (zero variance)
    ("layer-norm-constant", lambda m, f, x: f.layer_norm(x, (4,)), [np.full((2, 4), 3.0)]),
    ("normalize-zero-vector", lambda m, f, x: f.normalize(x, dim=1), [np.array([[0.0, 0.0], [3.0, 4.0]])]),
    ("cosine-similarity-zero", lambda m, f, x, y: f.cosine_similarity(x, y), [np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [0.0, 0.0]])]),
    # float32, where exp overflows at 89 and underflows below -104
    ("float32-sigmoid", lambda m, f, x: x.sigmoid(), [np.array([-200.0, -90.0, 90.0, 200.0], np.float32)]),
    ("float32-exp", lambda m, f, x: x.exp(), [np.array([88.0, 89.0, -104.0, -110.0], np.float32)]),
    ("float32-softmax-underflow", lambda m, f, x: x.softmax(-1), [np.array([[0.0, -50.0, -120.0]], np.float32)]),
    ("float32-log-softmax", lambda m, f, x: x.log_softmax(-1), [np.array([[0.0, -50.0, -120.0], [3e38, -3e38, 0.0]], np.float32)]),
    ("float32-ce-huge", lambda m, f, x, y: f.cross_entropy(x, y, reduction="none"), [np.array([[3e38, -3e38, 0.0], [200.0, -200.0, 0.0]], np.float32), np.array([1, 0])]),
    ("float32-bce-p0-p1", lambda m, f, p, y: f.binary_cross_entropy(p, y, reduction="none"), [np.array([0.0, 1.0, 1e-30], np.float32), Const(np.array([1.0, 0.0, 1.0], np.float32))]),
    ("float32-std-constant", lambda m, f, x: x.std(dim=0), [np.full((3, 2), 0.1, np.float32)]),
    ("mse-huge", lambda m, f, x, y: f.mse_loss(x, y), [a(1e200, -1e200), a(-1e200, 1e200)]),
    ("huber-boundary", lambda m, f, x, y: f.huber_loss(x, y), [a(1.0, -1.0, 0.0), Const(a(0.0, 0.0, 0.0))]),
]


def _inputs(values, library):
    converted = []
    for value in values:
        if isinstance(value, Const):
            converted.append(ag.tensor(value.value) if library is ag else torch.tensor(value.value))
        elif value.dtype.kind == "f":
            converted.append(ag.tensor(value, requires_grad=True) if library is ag else torch.tensor(value, requires_grad=True))
        else:
            converted.append(ag.tensor(value) if library is ag else torch.tensor(value))
    return converted


def _run(fn, values, library):
    functional = F if library is ag else tF
    inputs = _inputs(values, library)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degrees of freedom <= 0, and the like
        out = fn(library, functional, *inputs)
        weights = np.linspace(0.5, 1.5, max(int(np.prod(out.shape)), 1))[: int(np.prod(out.shape))].reshape(out.shape)
        if out.requires_grad:
            if library is ag:
                out.backward(ag.tensor(weights))
            else:
                out.backward(torch.tensor(weights))
    grads = []
    for value, tensor in zip(values, inputs):
        if tensor.requires_grad:
            grad = tensor.grad
            if grad is None:
                grad = np.zeros(value.shape)
            grads.append(grad.numpy() if library is torch else np.asarray(grad))
    result = out.detach().numpy() if library is torch else out.data
    return result, grads


def assert_same(ours, theirs, what):
    """Equal shapes, NaN, +inf, -inf and zeros in the same places, and close elsewhere."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape}, PyTorch {theirs.shape}"
    for kind, test in (("NaN", np.isnan), ("+inf", np.isposinf), ("-inf", np.isneginf)):
        np.testing.assert_array_equal(test(ours), test(theirs), err_msg=f"{what}: where {kind}\nours   {ours}\nPyTorch {theirs}")
    finite = np.isfinite(theirs)
    rtol, atol = (1e-5, 1e-6) if theirs.dtype == np.float32 else (1e-6, 1e-12)
    assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype}, PyTorch {theirs.dtype}"
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=rtol, atol=atol, err_msg=what)


@pytest.mark.parametrize("name,fn,values", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients_match_pytorch_at_extremes(name, fn, values):
    ours, our_grads = _run(fn, values, ag)
    theirs, their_grads = _run(fn, values, torch)
    assert_same(ours, theirs, f"{name} value")
    assert len(our_grads) == len(their_grads)
    for i, (o, t) in enumerate(zip(our_grads, their_grads)):
        assert_same(o, t, f"{name} gradient of input {i}")
