"""The differential test: for every op of the engine, a compiled function and the same
function run eagerly give the same outputs and gradients on fresh random inputs, after
the compiled one was traced on other inputs (a value baked in as a constant fails it)."""
import importlib
import pkgutil

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import conv, dropout, elementwise, indexing, linalg, losses, pooling, recurrent, recurrent_sequence
from autograd_core.function import Function

CONV = dict(stride=(1,), padding=((1, 1),), dilation=(1,), groups=1)
POOL = dict(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False)
EYE = ag.Tensor(5 * np.eye(3))  # keeps a random 3x3 matrix well away from singular
MAX_INDEX = np.array([[[[5, 2], [12, 15]]]])  # arg-max positions in a 4x4 plane, per window
SEQUENCE_MASK = np.array([[True, True], [True, False], [True, False]])[:, :, None]  # lengths 3 and 1


# Each case: the op's name -> (function of tensors, input specs). A spec is a shape, or
# (shape, "positive") for inputs that must be positive, or (shape, "classes") for class
# indices (an integer input without gradient).
CASES = {
    "add": (lambda a, b: a + b, [(2, 3), (3,)]),
    "sub": (lambda a, b: a - b, [(2, 3), (2, 1)]),
    "mul": (lambda a, b: a * b * 3.0, [(2, 3), (2, 3)]),
    "div": (lambda a, b: a / b, [(2, 3), ((2, 3), "positive")]),
    "neg": (lambda a: -a, [(4,)]),
    "pow": (lambda a, b: a**2 + a**b, [((2, 3), "positive"), (2, 3)]),
    "exp": (lambda a: a.exp(), [(2, 3)]),
    "log": (lambda a: a.log(), [((2, 3), "positive")]),
    "sqrt": (lambda a: a.sqrt(), [((2, 3), "positive")]),
    "abs": (lambda a: a.abs(), [(2, 3)]),
    "sin": (lambda a: a.sin(), [(2, 3)]),
    "cos": (lambda a: a.cos(), [(2, 3)]),
    "tanh": (lambda a: a.tanh(), [(2, 3)]),
    "sigmoid": (lambda a: a.sigmoid(), [(2, 3)]),
    "relu": (lambda a: a.relu(), [(2, 3)]),
    "relu_grad": (lambda g, y: elementwise.ReLUGrad.apply(g, y), [(2, 3), (2, 3)]),
    "leaky_relu": (lambda a: a.leaky_relu(0.1), [(2, 3)]),
    "elu": (lambda a: a.elu(), [(2, 3)]),
    "erf": (lambda a: ag.erf(a), [(2, 3)]),
    "softplus": (lambda a: a.softplus(2.0, 1.0), [(2, 3)]),
    "clip": (lambda a: a.clip(-0.8, 0.9), [(3, 4)]),
    "maximum": (lambda a, b: ag.maximum(a, b), [(2, 3), (2, 3)]),
    "minimum": (lambda a, b: ag.minimum(a, b), [(2, 3), (2, 3)]),
    "where": (lambda a, b: ag.where(a > b, a * 2, b), [(2, 3), (2, 3)]),
    "compare": (lambda a, b: ((a <= b) * a, (a == a).float()), [(2, 3), (2, 3)]),
    "sign": (lambda a: a * a.sign(), [(2, 3)]),
    "cast": (lambda a: a.float().double() * a.long(), [(2, 3)]),
    "sum": (lambda a: a.sum(1) + a.sum(), [(2, 3)]),
    "mean": (lambda a: a.mean(0, keepdim=True), [(2, 3)]),
    "std": (lambda a: a.std(1) + a.std(correction=0), [(2, 3)]),
    "amax": (lambda a: a.max() + a.max(dim=(0, 1)), [(2, 3)]),
    "amin": (lambda a: a.min(), [(2, 3)]),
    "arg_extreme": (lambda a: (a.max(dim=1).values, a.argmin(0), ag.argmax(a, 1)), [(3, 4)]),
    "logsumexp": (lambda a: a.logsumexp(1), [(2, 3)]),
    "softmax": (lambda a: a.softmax(1), [(2, 3)]),
    "log_softmax": (lambda a: a.log_softmax(-1), [(2, 3)]),
    "reshape": (lambda a: a.reshape(3, 2).flatten(), [(2, 3)]),
    "permute": (lambda a: a.permute(2, 0, 1).T, [(2, 3, 4)]),
    "expand": (lambda a: a.unsqueeze(0).expand(3, 2, 3), [(2, 3)]),
    "cat": (lambda a, b: ag.cat([a, b, a], dim=1), [(2, 3), (2, 1)]),
    "constant_pad": (lambda a: ag.pad(a, (1, 2), value=0.5) + ag.pad(a, (1, 2), mode="reflect"), [(2, 3)]),
    "get_item": (lambda a: a[:, 1:].sum(1) + a[[0, 0, 1]].sum(1)[:2] + a[..., None][0, 2], [(2, 3)]),
    "index_add": (lambda g: indexing.IndexAdd.apply(g, index=([0, 1, 0],), shape=(3, 2)), [(3, 2)]),
    "matmul": (lambda a, b, v: (a @ b) @ v + v @ v, [(2, 3), (3, 4), (4,)]),
    "linear": (lambda x, w, b: ag.linear(x, w, b) + ag.linear(x, w), [(5, 3), (4, 3), (4,)]),
    "einsum": (lambda a, b: ag.einsum("ij,jk->ik", a, b) + ag.einsum("ii->i", b[:, :3]).sum(), [(2, 3), (3, 4)]),
    "conv": (lambda x, w, b: conv.conv2d(x, w, b, padding=1), [(2, 2, 5, 5), (3, 2, 3, 3), (3,)]),
    "conv_input_grad": (lambda g, w: conv.ConvInputGrad.apply(g, w, input_shape=(1, 2, 5), **CONV), [(1, 3, 5), (3, 2, 3)]),
    "conv_weight_grad": (lambda x, g: conv.ConvWeightGrad.apply(x, g, weight_shape=(3, 2, 3), **CONV), [(1, 2, 5), (1, 3, 5)]),
    "max_pool": (lambda x: pooling.max_pool2d(x, 2), [(2, 3, 4, 4)]),
    "max_pool_grad": (
        lambda g: pooling.MaxPoolGrad.apply(g, index=MAX_INDEX, input_shape=(1, 1, 4, 4), padding=((0, 0), (0, 0)), disjoint=True),
        [(1, 1, 2, 2)],
    ),
    "avg_pool": (lambda x: pooling.avg_pool2d(x, 2), [(2, 3, 4, 4)]),
    "avg_pool_grad": (
        lambda g: pooling.AvgPoolGrad.apply(g, input_shape=(1, 2, 4, 4), count_include_pad=True, divisor_override=None, **POOL),
        [(1, 2, 2, 2)],
    ),
    "rnn_step": (lambda x, h, wi, wh, b: recurrent.rnn_step(x, h, wi, wh, b, b), [(2, 3), (2, 4), (4, 3), (4, 4), (4,)]),
    "lstm_step": (lambda x, s, wi, wh: recurrent.lstm_step(x, s, wi, wh), [(2, 3), (2, 2, 4), (16, 3), (16, 4)]),
    "gru_step": (lambda x, h, wi, wh, b: recurrent.gru_step(x, h, wi, wh, b, b), [(2, 3), (2, 4), (12, 3), (12, 4), (12,)]),
    "rnn_sequence": (
        lambda x, h, wi, wh, b: recurrent_sequence.rnn_sequence(x, h, wi, wh, b, b, SEQUENCE_MASK, reverse=True),
        [(3, 2, 3), (2, 4), (4, 3), (4, 4), (4,)],
    ),
    "lstm_sequence": (lambda x, s, wi, wh: recurrent_sequence.lstm_sequence(x, s, wi, wh), [(3, 2, 3), (2, 2, 4), (16, 3), (16, 4)]),
    "gru_sequence": (
        lambda x, h, wi, wh, b: recurrent_sequence.gru_sequence(x, h, wi, wh, b, b, SEQUENCE_MASK),
        [(3, 2, 3), (2, 4), (12, 3), (12, 4), (12,)],
    ),
    "cross_entropy": (lambda x, t: losses.CrossEntropy.apply(x, t), [(4, 5), ((4,), "classes")]),
    "binary_cross_entropy": (lambda a, b: losses.BinaryCrossEntropy.apply(a.sigmoid(), b.sigmoid()), [(2, 3), (2, 3)]),
    "dropout_mask": (lambda a: a * dropout.dropout_mask(a.shape, 0.3, a.dtype), [(4, 5)]),
    "log2": (lambda a: a.log2(), [((2, 3), "positive")]),
    "log10": (lambda a: a.log10(), [((2, 3), "positive")]),
    "log1p": (lambda a: a.log1p(), [((2, 3), "positive")]),
    "expm1": (lambda a: a.expm1(), [(2, 3)]),
    "exp2": (lambda a: a.exp2(), [(2, 3)]),
    "rsqrt": (lambda a: a.rsqrt(), [((2, 3), "positive")]),
    "reciprocal": (lambda a: a.reciprocal(), [((2, 3), "positive")]),
    "tan": (lambda a: (a * 0.5).tan(), [(2, 3)]),
    "asin": (lambda a: (a * 0.5).asin(), [(2, 3)]),
    "acos": (lambda a: (a * 0.5).acos(), [(2, 3)]),
    "atan": (lambda a: a.atan(), [(2, 3)]),
    "sinh": (lambda a: a.sinh(), [(2, 3)]),
    "cosh": (lambda a: a.cosh(), [(2, 3)]),
    "asinh": (lambda a: ag.asinh(a), [(2, 3)]),
    "atan2": (lambda a, b: ag.atan2(a, b), [(2, 3), (2, 3)]),
    "hypot": (lambda a, b: ag.hypot(a, b), [(2, 3), (3,)]),
    "remainder": (lambda a, b: ag.remainder(a, b), [(2, 3), ((2, 3), "positive")]),
    "cumsum": (lambda a: ag.cumsum(a, 1) + a.cumsum(0), [(2, 3)]),
    "cumprod": (lambda a: ag.cumprod(a, 1), [(2, 3)]),
    "scatter": (lambda a, b: ag.scatter(a, 1, ag.Tensor(np.array([[2, 0], [1, 2]])), b[:, :2]), [(2, 3), (2, 3)]),
    "vector_norm": (lambda a: linalg.vector_norm(a) + linalg.vector_norm(a, 3, dim=1).sum(), [(2, 3)]),
    "inv": (lambda a: linalg.inv(a + EYE), [(3, 3)]),
    "det": (lambda a: linalg.det(a + EYE), [(3, 3)]),
    "solve": (lambda a, b: linalg.solve(a + EYE, b) + linalg.solve(a + EYE, b[:, 0]).sum(), [(3, 3), (3, 2)]),
}


def engine_ops():
    """Every op the engine defines (Function subclasses in autograd_core's modules)."""
    ops = {}
    for info in pkgutil.iter_modules(ag.__path__):
        module = importlib.import_module(f"autograd_core.{info.name}")
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, Function) and cls.__module__ == module.__name__:
                ops[cls.name] = cls
    ops.pop("recurrent_step")  # the base classes of the fused steps and sequences
    ops.pop("recurrent_sequence")
    ops.pop("function")  # Function itself
    return ops


def test_every_op_of_the_engine_has_a_case():
    missing = sorted(set(engine_ops()) - set(CASES))
    assert not missing, f"add these ops to CASES: {missing}"


def make_inputs(specs, seed):
    rng = np.random.default_rng(seed)
    tensors = []
    for spec in specs:
        shape, kind = spec if isinstance(spec[-1], str) else (spec, "real")
        if kind == "classes":
            tensors.append(ag.Tensor(rng.integers(0, 5, size=shape)))
            continue
        values = rng.uniform(0.5, 2.0, size=shape) if kind == "positive" else rng.uniform(0.2, 1.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        tensors.append(ag.Tensor(values, requires_grad=True))
    return tensors


def run(fn, inputs, seed):
    """Outputs and input gradients of ``fn`` (a backward pass from random output gradients)."""
    ag.manual_seed(seed)
    result = fn(*inputs)
    outputs = result if isinstance(result, tuple) else (result,)
    rng = np.random.default_rng(seed)
    differentiable = [o for o in outputs if o.requires_grad]
    if differentiable:
        total = sum((o * ag.Tensor(rng.standard_normal(o.shape))).sum() for o in differentiable)
        total.backward()
    return [o.data for o in outputs], [None if t.grad is None else t.grad for t in inputs]


@pytest.mark.parametrize("op", sorted(CASES))
def test_compiled_equals_eager_on_fresh_inputs(op):
    fn, specs = CASES[op]
    compiled = ag.compile(fn)
    run(compiled, make_inputs(specs, seed=1), seed=1)  # traced on other values
    for seed in (2, 3):
        eager_out, eager_grads = run(fn, make_inputs(specs, seed), seed)
        out, grads = run(compiled, make_inputs(specs, seed), seed)
        for a, b in zip(out, eager_out):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=f"{op}: output")
            assert a.dtype == b.dtype and a.shape == b.shape, op
        for a, b in zip(grads, eager_grads):
            assert (a is None) == (b is None), op
            if a is not None:
                np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=f"{op}: gradient\n{compiled.code}")
                assert a.dtype == b.dtype, op
    assert compiled.traces == 1
