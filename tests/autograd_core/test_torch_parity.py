"""Parity with PyTorch: each function and method runs on the same inputs here and in
PyTorch, and values, dtypes, whether the result requires grad, and gradients must agree.
Differentiable ops are also gradchecked and gradgradchecked."""
import functools

import numpy as np
import pytest
import torch

import autograd_core as ag

RNG = np.random.default_rng(0)


def real(*shape):
    return RNG.uniform(0.2, 1.5, size=shape) * RNG.choice([-1.0, 1.0], size=shape)


def positive(*shape):
    return RNG.uniform(0.5, 2.0, size=shape)


def unit(*shape):
    return RNG.uniform(-0.8, 0.8, size=shape)


def distinct(*shape):
    """Values without ties, also in magnitude, and away from 0, so that sorting and
    picking extremes (of |x| too) is unambiguous."""
    magnitudes = (RNG.permutation(int(np.prod(shape))) + 1.0) / 3
    return (magnitudes * RNG.choice([-1.0, 1.0], size=magnitudes.shape)).reshape(shape)


def ints(*shape, high=5):
    return RNG.integers(-high, high, size=shape)


def index(*shape, high):
    return RNG.integers(0, high, size=shape)


def bools(*shape):
    return RNG.random(shape) < 0.5


# (name, arguments, keyword arguments, kind). Arrays become tensors (float ones require
# grad); kind says whether the function ("f"), the method ("m") or both exist, and "g"
# that the op is differentiable (its gradients are compared and checked), "n" that the
# input sits where the derivative does not exist (ties, zero norms) or is float32, so
# only PyTorch's choice of gradient is compared, not central differences.
CASES = [
    # math
    *[(n, (positive(3, 4),), {}, "fmg") for n in "log2 log10 log1p rsqrt reciprocal".split()],
    *[(n, (real(3, 4),), {}, "fmg") for n in "expm1 exp2 square tan atan sinh cosh asinh frac".split()],
    *[(n, (unit(2, 3),), {}, "fmg") for n in "asin acos".split()],
    *[(n, (real(3, 4),), {}, "fm") for n in "sign floor ceil round trunc".split()],
    *[(n, (ints(3, 4),), {}, "fm") for n in "sign floor ceil round trunc".split()],
    *[(n, (ints(3, 4, high=3) + 4,), {}, "fm") for n in "log2 log10 rsqrt exp2 tan".split()],
    ("round", (real(3, 4) * 10,), {"decimals": 1}, "fm"),
    ("atan2", (real(3, 4), real(4)), {}, "fmg"),
    ("hypot", (real(3, 1), real(4)), {}, "fmg"),
    ("lerp", (real(3, 4), real(4), 0.3), {}, "fmg"),
    ("lerp", (real(3, 4), real(3, 4), unit(3, 4)), {}, "fmg"),
    ("nan_to_num", (np.array([1.0, np.nan, np.inf, -np.inf, -2.0]),), {}, "fmg"),
    ("nan_to_num", (np.array([1.0, np.nan, np.inf, -np.inf]),), {"nan": 2.0, "posinf": 9.0, "neginf": -9.0}, "fmg"),
    ("clamp_min", (real(3, 4), 0.1), {}, "fmg"),
    ("clamp_max", (real(3, 4), 0.1), {}, "fmg"),
    ("add", (real(3, 4), real(4)), {"alpha": 2.5}, "fmg"),
    ("sub", (real(3, 4), real(4)), {"alpha": -2}, "fmg"),
    ("add", (ints(3, 4), ints(4)), {"alpha": 3}, "fm"),
    ("true_divide", (real(3, 4), real(3, 1)), {}, "fmg"),
    ("true_divide", (ints(3, 4), ints(4) * 2 + 1), {}, "fm"),
    ("div", (real(3, 4) * 5, real(4)), {"rounding_mode": "floor"}, "fm"),
    ("div", (real(3, 4) * 5, real(4)), {"rounding_mode": "trunc"}, "fm"),
    ("div", (ints(3, 4) * 3, ints(4) * 2 + 1), {"rounding_mode": "trunc"}, "fm"),
    ("floor_divide", (real(3, 4) * 5, real(4)), {}, "fm"),
    ("floor_divide", (ints(3, 4) * 3, ints(4) * 2 + 1), {}, "fm"),
    ("remainder", (real(3, 4) * 5, real(4)), {}, "fmg"),
    ("remainder", (ints(3, 4) * 3, ints(4) * 2 + 1), {}, "fm"),
    ("log2", (positive(0, 3),), {}, "fmg"),
    # reductions and running ones
    ("prod", (real(3, 4),), {}, "fmg"),
    ("prod", (real(3, 4), 1), {}, "fmg"),
    ("prod", (real(3, 4), -2, True), {}, "fmg"),
    ("prod", (np.array([[1.5, 0.0, 2.0], [0.0, 0.0, 3.0]]), 1), {}, "fmg"),
    ("prod", (ints(3, 4),), {}, "fm"),
    ("prod", (positive(2, 0), 1), {}, "fm"),
    ("cumsum", (real(3, 4), 1), {}, "fmg"),
    ("cumsum", (real(3, 4), -2), {}, "fmg"),
    ("cumsum", (ints(3, 4), 0), {}, "fm"),
    ("cumsum", (bools(5), 0), {}, "fm"),
    ("cumsum", (real(0, 3), 0), {}, "fm"),
    ("cumprod", (real(3, 4), 1), {}, "fmg"),
    ("cumprod", (np.array([[1.5, 0.0, 2.0, -1.0], [0.0, 0.7, 0.0, 3.0]]), 1), {}, "fmg"),
    ("cumprod", (ints(3, 4), 0), {}, "fm"),
    ("amax", (distinct(3, 4),), {}, "fmg"),
    ("amax", (distinct(3, 4, 2), (0, -1), True), {}, "fmg"),
    ("amin", (distinct(3, 4), -1), {}, "fmg"),
    ("amax", (np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]), 1), {}, "fmgn"),
    ("amax", (ints(3, 4), 0), {}, "fm"),
    ("aminmax", (distinct(3, 4),), {}, "fmg"),
    ("aminmax", (distinct(3, 4),), {"dim": 1, "keepdim": True}, "fmg"),
    ("count_nonzero", (ints(3, 4, high=2),), {}, "fm"),
    ("count_nonzero", (ints(3, 4, high=2), 1), {}, "fm"),
    ("count_nonzero", (ints(3, 4, 2, high=2), (0, 2)), {}, "fm"),
    ("norm", (real(3, 4),), {}, "fmg"),
    ("norm", (real(3, 4),), {"p": 1, "dim": 1}, "fmg"),
    ("norm", (real(3, 4),), {"p": 3, "dim": -1, "keepdim": True}, "fmg"),
    ("norm", (real(3, 4),), {"p": float("inf"), "dim": 0}, "fmg"),
    ("norm", (np.zeros((2, 3)),), {"dim": 1}, "fmgn"),
    ("dist", (real(3, 4), real(4)), {}, "fmg"),
    ("dist", (real(3, 4), real(4)), {"p": 1}, "fmg"),
    # ordering
    ("sort", (distinct(3, 4),), {}, "fmg"),
    ("sort", (distinct(3, 4), 0, True), {}, "fmg"),
    ("sort", (np.array([3, 1, 2, 1, 3, 0]),), {"stable": True}, "fm"),
    ("sort", (np.array([3, 1, 2, 1, 3, 0]),), {"descending": True, "stable": True}, "fm"),
    ("sort", (real(0, 3),), {}, "fm"),
    ("argsort", (distinct(3, 4),), {"dim": 0}, "fm"),
    ("argsort", (distinct(3, 4),), {"descending": True}, "fm"),
    ("topk", (distinct(3, 5), 2), {}, "fmg"),
    ("topk", (distinct(3, 5), 2), {"dim": 0, "largest": False}, "fmg"),
    ("kthvalue", (distinct(3, 5), 2), {}, "fmg"),
    ("kthvalue", (distinct(3, 5), 3, 0, True), {}, "fmg"),
    ("median", (distinct(3, 4),), {}, "fmg"),
    ("median", (distinct(3, 4), 1), {}, "fmg"),
    ("median", (distinct(3, 5), -1, True), {}, "fmg"),
    ("median", (ints(7),), {}, "fm"),
    ("msort", (distinct(3, 4),), {}, "fg"),
    ("unique", (ints(10),), {}, "fm"),
    ("unique", (np.array([[1, 2], [1, 2], [0, 1]]),), {"dim": 0, "return_inverse": True, "return_counts": True}, "fm"),
    ("mode", (np.array([[1, 2, 2, 3, 3], [5, 5, 1, 1, 0]]),), {}, "fm"),
    ("mode", (np.array([[1.0, 2.0, 2.0, 3.0], [5.0, 5.0, 1.0, 0.0]]), 1, True), {}, "fmgn"),
    ("mode", (np.array([[1.0, 2.0], [1.0, 3.0], [0.0, 3.0]]), 0), {}, "fmgn"),
    ("unique", (ints(3, 4),), {"return_inverse": True, "return_counts": True}, "fm"),
    # linear algebra
    ("mm", (real(3, 4), real(4, 2)), {}, "fmg"),
    ("bmm", (real(2, 3, 4), real(2, 4, 2)), {}, "fmg"),
    ("mv", (real(3, 4), real(4)), {}, "fmg"),
    ("dot", (real(4), real(4)), {}, "fmg"),
    ("dot", (ints(4), ints(4)), {}, "fm"),
    ("inner", (real(2, 4), real(3, 4)), {}, "fmg"),
    ("inner", (real(4), real(4)), {}, "fmg"),
    ("outer", (real(3), real(4)), {}, "fmg"),
    ("addmm", (real(4), real(3, 2), real(2, 4)), {}, "fmg"),
    ("addmm", (real(3, 4), real(3, 2), real(2, 4)), {"beta": 0.5, "alpha": 2}, "fmg"),
    ("diag", (real(3),), {}, "fmg"),
    ("diag", (real(3),), {"diagonal": -1}, "fmg"),
    ("diag", (real(3, 4),), {}, "fmg"),
    ("diag", (real(3, 4), 1), {}, "fmg"),
    ("diagonal", (real(3, 4),), {}, "fmg"),
    ("diagonal", (real(2, 3, 4),), {"offset": -1, "dim1": 1, "dim2": 2}, "fmg"),
    ("diagonal", (real(2, 3, 4), 1, 2, 0), {}, "fmg"),
    ("trace", (real(3, 4),), {}, "fmg"),
    ("tril", (real(3, 4),), {}, "fmg"),
    ("tril", (real(2, 3, 4), -1), {}, "fmg"),
    ("triu", (real(3, 4), 1), {}, "fmg"),
    ("triu", (ints(3, 3),), {}, "fm"),
    ("kron", (real(2, 3), real(2, 2)), {}, "fmg"),
    ("kron", (real(2), real(2, 3)), {}, "fmg"),
    ("det", (real(3, 3) + 2 * np.eye(3),), {}, "fmg"),
    ("det", (real(2, 3, 3) + 2 * np.eye(3),), {}, "fmg"),
    ("inverse", (real(3, 3) + 2 * np.eye(3),), {}, "fmg"),
    ("linalg.inv", (real(2, 3, 3) + 2 * np.eye(3),), {}, "fg"),
    ("linalg.det", (real(3, 3) + 2 * np.eye(3),), {}, "fg"),
    ("linalg.solve", (real(3, 3) + 2 * np.eye(3), real(3, 2)), {}, "fg"),
    ("linalg.solve", (real(2, 3, 3) + 2 * np.eye(3), real(2, 3)), {}, "fg"),
    ("linalg.solve", (real(3, 3) + 2 * np.eye(3), real(2, 3)), {"left": False}, "fg"),
    ("linalg.norm", (real(3, 4),), {}, "fg"),
    ("linalg.norm", (real(3, 4),), {"ord": "fro"}, "fg"),
    ("linalg.norm", (distinct(3, 4),), {"ord": 1}, "fg"),
    ("linalg.norm", (distinct(3, 4),), {"ord": float("inf")}, "fg"),
    ("linalg.norm", (real(3, 4),), {"ord": 3, "dim": 1, "keepdim": True}, "fg"),
    ("linalg.norm", (real(4),), {"ord": 1}, "fg"),
    ("linalg.vector_norm", (real(3, 4),), {}, "fg"),
    ("linalg.vector_norm", (real(3, 4, 2),), {"ord": 1.5, "dim": (0, 2)}, "fg"),
    ("linalg.vector_norm", (distinct(3, 4),), {"ord": -float("inf"), "dim": -1}, "fg"),
    ("linalg.vector_norm", (ints(3, 4).astype(np.float64),), {"ord": 0}, "f"),
    ("linalg.matrix_norm", (distinct(2, 3, 4),), {"ord": -1}, "fg"),
    ("linalg.matrix_norm", (real(2, 3, 4),), {}, "fg"),
    # indexing
    ("gather", (real(3, 4), 1, index(3, 2, high=4)), {}, "fmg"),
    ("gather", (real(3, 4), 0, index(2, 4, high=3)), {}, "fmg"),
    ("gather", (real(3, 4), -1, np.array([[0, 0], [1, 1], [3, 3]])), {}, "fmg"),
    ("scatter", (real(3, 4), 1, np.array([[0, 2], [1, 3], [3, 0]]), real(3, 2)), {}, "fmg"),
    ("scatter", (real(3, 4), 0, np.array([[0, 2, 1, 0]]), real(1, 4)), {}, "fmg"),
    ("scatter", (real(3, 4), 1, np.array([[0, 2], [1, 3], [3, 0]])), {"value": 2.5}, "fmg"),
    ("scatter_add", (real(3, 4), 1, np.array([[0, 0], [1, 3], [3, 3]]), real(3, 2)), {}, "fmg"),
    ("scatter_add", (ints(3, 4), 0, index(2, 4, high=3), ints(2, 4)), {}, "fm"),
    ("index_select", (real(3, 4), 1, np.array([0, 3, 3])), {}, "fmg"),
    ("index_select", (real(3, 4), -2, np.array([2, 0])), {}, "fmg"),
    ("index_add", (real(3, 4), 0, np.array([0, 2, 0]), real(3, 4)), {}, "fmg"),
    ("index_add", (real(3, 4), 1, np.array([1, 1]), real(3, 2)), {"alpha": -2}, "fmg"),
    ("masked_fill", (real(3, 4), bools(4), -1.5), {}, "fmg"),
    ("masked_fill", (ints(3, 4), bools(3, 4), 7), {}, "fm"),
    ("masked_select", (real(3, 4), bools(3, 4)), {}, "fmg"),
    ("masked_select", (real(3, 4), bools(4)), {}, "fmg"),
    ("take", (real(3, 4), np.array([[0, 11], [5, 5]])), {}, "fmg"),
    ("nonzero", (ints(3, 4, high=2),), {}, "fm"),
    ("nonzero", (ints(3, 4, high=2),), {"as_tuple": True}, "fm"),
    ("nonzero", (np.zeros((0, 3)),), {}, "fm"),
    ("argwhere", (ints(3, 4, high=2),), {}, "fm"),
    ("where", (bools(3, 4),), {}, "f"),
    ("where", (bools(3, 4), real(3, 4), real(4)), {}, "fg"),
    ("where", (bools(3, 4), real(3, 4), 0.0), {}, "fg"),
    # layout
    ("flip", (real(2, 3, 4), (0, 2)), {}, "fmg"),
    ("flip", (real(2, 3), [-1]), {}, "fmg"),
    ("fliplr", (real(2, 3),), {}, "fmg"),
    ("flipud", (real(2, 3),), {}, "fmg"),
    ("roll", (real(3, 4), 1), {}, "fmg"),
    ("roll", (real(3, 4), (1, -5), (0, 1)), {}, "fmg"),
    ("roll", (real(3, 4), -1, 1), {}, "fmg"),
    ("repeat", (real(2, 3), 2, 1, 3), {}, "mg"),
    ("repeat", (real(2, 3), (2, 2)), {}, "mg"),
    ("tile", (real(2, 3), (2,)), {}, "fmg"),
    ("tile", (real(2, 3), (3, 1, 2)), {}, "fmg"),
    ("repeat_interleave", (real(2, 3), 2), {}, "fmg"),
    ("repeat_interleave", (real(2, 3), np.array([1, 0, 2]), 1), {}, "fmg"),
    ("repeat_interleave", (real(2, 3), 3), {"dim": 0}, "fmg"),
    ("chunk", (real(5, 4), 2), {}, "fmg"),
    ("chunk", (real(5, 4), 3, 1), {}, "fmg"),
    ("chunk", (real(6, 4), 4), {}, "fmg"),
    ("narrow", (real(5, 4), 0, 1, 3), {}, "fmg"),
    ("narrow", (real(5, 4), -1, -2, 2), {}, "fmg"),
    ("select", (real(5, 4), 1, -1), {}, "fmg"),
    ("unbind", (real(3, 4),), {}, "fmg"),
    ("unbind", (real(3, 4), -1), {}, "fmg"),
    ("movedim", (real(2, 3, 4), 0, -1), {}, "fmg"),
    ("movedim", (real(2, 3, 4, 5), (0, 1), (3, 0)), {}, "fmg"),
    ("moveaxis", (real(2, 3, 4), 2, 0), {}, "fmg"),
    ("swapdims", (real(2, 3, 4), 0, 2), {}, "fmg"),
    ("t", (real(2, 3),), {}, "fmg"),
    ("t", (real(3),), {}, "fmg"),
    ("contiguous", (real(2, 3),), {}, "mg"),
    ("view_as", (real(2, 3), real(3, 2)), {}, "mg"),
    ("expand_as", (real(3, 1), real(3, 4)), {}, "mg"),
    ("type_as", (real(2, 3), positive(2).astype(np.float32)), {}, "mgn"),
    ("type_as", (ints(2, 3), positive(2)), {}, "m"),
    # logic
    *[(n, (ints(3, 4, high=2), ints(4, high=2)), {}, "fm") for n in "eq ne gt ge lt le".split()],
    *[(n, (real(3, 4), 0.5), {}, "fm") for n in "eq ne gt ge lt le".split()],
    ("any", (ints(3, 4, high=2),), {}, "fm"),
    ("any", (ints(3, 4, high=2), 1), {}, "fm"),
    ("all", (ints(3, 4, high=2) + 1, -1, True), {}, "fm"),
    ("all", (bools(0, 3),), {}, "fm"),
    ("any", (bools(0, 3), 0), {}, "fm"),
    *[(n, (np.array([1.0, np.nan, np.inf, -np.inf, 0.0]),), {}, "fm") for n in "isnan isinf isfinite isposinf isneginf".split()],
    ("isclose", (np.array([1.0, 1.0 + 1e-9, 1.1, np.nan]), np.array([1.0, 1.0, 1.0, np.nan])), {}, "fm"),
    ("isclose", (np.array([1.0, np.nan]), np.array([1.0, np.nan])), {"equal_nan": True}, "fm"),
    ("allclose", (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])), {}, "fm"),
    ("allclose", (np.array([1.0, 2.0]), np.array([1.0, 2.1])), {}, "fm"),
    ("equal", (np.array([1, 2]), np.array([1, 2])), {}, "fm"),
    ("equal", (np.array([1, 2]), np.array([1, 3])), {}, "fm"),
    ("logical_and", (bools(3, 4), bools(4)), {}, "fm"),
    ("logical_or", (ints(3, 4, high=2), bools(4)), {}, "fm"),
    ("logical_xor", (bools(3, 4), bools(3, 4)), {}, "fm"),
    ("logical_not", (ints(3, 4, high=2),), {}, "fm"),
    ("isin", (ints(3, 4), np.array([0, 2, 3])), {}, "f"),
]


def _convert(value, library, grad):
    if isinstance(value, np.ndarray):
        wants = grad and value.dtype.kind == "f"
        if library == "torch":
            return torch.tensor(value, requires_grad=wants)
        return ag.tensor(value, requires_grad=wants)
    if isinstance(value, tuple) and value and all(isinstance(v, np.ndarray) for v in value):
        return tuple(_convert(v, library, grad) for v in value)
    return value


def _flatten(result):
    if isinstance(result, (tuple, list)):
        return [r for part in result for r in _flatten(part)]
    return [result]


def _run(name, args, kwargs, library, form, grad):
    inputs = [_convert(a, library, grad) for a in args]
    module = torch if library == "torch" else ag
    if form == "function":
        result = functools.reduce(getattr, name.split("."), module)(*inputs, **kwargs)
    else:
        result = getattr(inputs[0], name)(*inputs[1:], **kwargs)
    return inputs, _flatten(result)


def _as_numpy(value):
    if isinstance(value, torch.Tensor):
        return value.detach().numpy()
    if isinstance(value, ag.Tensor):
        return value.data
    return np.asarray(value)


def _compare_outputs(name, ours, theirs):
    assert len(ours) == len(theirs), f"{name}: {len(ours)} outputs, PyTorch gives {len(theirs)}"
    for o, t in zip(ours, theirs):
        assert type(o) is not ag.Tensor or isinstance(t, torch.Tensor), f"{name}: tensor where PyTorch gives {type(t)}"
        if isinstance(t, torch.Tensor):
            assert isinstance(o, ag.Tensor), f"{name}: PyTorch gives a tensor, we give {type(o)}"
            expected = t.detach().numpy()
            assert o.dtype == expected.dtype, f"{name}: dtype {o.dtype}, PyTorch {expected.dtype}"
            assert o.shape == expected.shape, f"{name}: shape {o.shape}, PyTorch {expected.shape}"
            assert o.requires_grad == t.requires_grad, f"{name}: requires_grad {o.requires_grad}, PyTorch {t.requires_grad}"
        else:
            assert type(o) is type(t), f"{name}: {type(o)} where PyTorch gives {type(t)}"
        np.testing.assert_allclose(_as_numpy(o), _as_numpy(t), rtol=1e-6, atol=1e-9, err_msg=name)


def _ids(cases):
    return [f"{i}-{c[0]}" for i, c in enumerate(cases)]


def _forms(kind):
    return [form for form, letter in (("function", "f"), ("method", "m")) if letter in kind]


PARAMS = [(case, form) for case in CASES for form in _forms(case[3])]


@pytest.mark.parametrize("case,form", PARAMS, ids=[f"{form}-{i}-{c[0]}" for i, (c, form) in enumerate(PARAMS)])
def test_values_dtypes_and_gradients_match_pytorch(case, form):
    name, args, kwargs, kind = case
    grad = "g" in kind
    our_inputs, ours = _run(name, args, kwargs, "ag", form, grad)
    their_inputs, theirs = _run(name, args, kwargs, "torch", form, grad)
    # PyTorch's rounding ops keep a zero-gradient node; ours are constants, as the issue asks.
    theirs = [t.detach() if isinstance(t, torch.Tensor) and not grad else t for t in theirs]
    _compare_outputs(name, ours, theirs)
    if not grad:
        return
    differentiable = [(o, t) for o, t in zip(ours, theirs) if isinstance(t, torch.Tensor) and t.requires_grad]
    assert differentiable, f"{name}: no differentiable output"
    weights = [RNG.normal(size=t.shape) for _, t in differentiable]
    sum((o * w).sum() for (o, _), w in zip(differentiable, weights)).backward()
    sum((t * torch.tensor(w)).sum() for (_, t), w in zip(differentiable, weights)).backward()
    leaves = [(o, t) for o, t in zip(_flatten(our_inputs), _flatten(their_inputs)) if isinstance(t, torch.Tensor) and t.requires_grad]
    for o, t in leaves:
        expected = np.zeros(t.shape) if t.grad is None else t.grad.numpy()
        got = np.zeros(o.shape) if o.grad is None else o.grad
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9, err_msg=f"{name} gradient")


GRAD_CASES = [case for case in CASES if "g" in case[3] and "n" not in case[3] and all(np.size(a) for a in case[1] if isinstance(a, np.ndarray))]


@pytest.mark.parametrize("case", GRAD_CASES, ids=_ids(GRAD_CASES))
def test_gradcheck_and_gradgradcheck(case, check):
    name, args, kwargs, kind = case
    inputs = [_convert(a, "ag", True) for a in args]
    positions = [i for i, a in enumerate(inputs) if isinstance(a, ag.Tensor) and a.requires_grad]
    function = functools.reduce(getattr, name.split("."), ag) if "f" in kind else None

    def fn(*leaves):
        values = list(inputs)
        for i, leaf in zip(positions, leaves):
            values[i] = leaf
        result = function(*values, **kwargs) if function else getattr(values[0], name)(*values[1:], **kwargs)
        return tuple(r for r in _flatten(result) if isinstance(r, ag.Tensor) and r.dtype.kind == "f")

    check(fn, *[inputs[i] for i in positions])


def test_matrix_transpose_property_and_type_conversions():
    x = ag.tensor(real(2, 3, 4), requires_grad=True)
    t = torch.tensor(x.data, requires_grad=True)
    np.testing.assert_array_equal(x.mT.data, t.mT.detach().numpy())
    (x.mT * ag.tensor(np.arange(24.0).reshape(2, 4, 3))).sum().backward()
    (t.mT * torch.arange(24.0, dtype=torch.float64).reshape(2, 4, 3)).sum().backward()
    np.testing.assert_array_equal(x.grad, t.grad.numpy())
    assert x.contiguous() is x and x.is_floating_point()


def test_non_differentiable_results_never_require_grad():
    x = ag.tensor(real(3, 4), requires_grad=True)
    for result in (x.round(), x.floor(), x.sign(), x > 0, x.argsort(), x.sort().indices, x.isnan(),
                   x.topk(2).indices, x.nonzero(), x.count_nonzero(), x.unique(), x // 2, x.any()):
        assert not result.requires_grad and result.grad_fn is None


def test_errors_name_the_operation():
    x = ag.tensor(real(3, 4))
    with pytest.raises(IndexError, match="gather"):
        ag.gather(x, 1, ag.tensor([[4]]).expand(3, 1).long())
    with pytest.raises(IndexError, match="sort"):
        x.sort(dim=2)
    with pytest.raises(ValueError, match="topk"):
        x.topk(5)
    with pytest.raises(ValueError, match="mm"):
        ag.mm(x, x[0])
    with pytest.raises(TypeError, match="masked_fill"):
        x.masked_fill(ag.tensor([1, 0, 1, 0]), 0.0)
    with pytest.raises(IndexError, match="narrow"):
        x.narrow(0, 2, 2)
    with pytest.raises(ValueError, match="repeat"):
        x.repeat(2)
    before = x.data.copy()
    with pytest.raises(ValueError, match="index_add"):
        x.index_add(0, ag.tensor([0, 1]), ag.ones(3, 4, dtype=np.float64))
    np.testing.assert_array_equal(x.data, before)
