"""Elementwise operations: arithmetic and activation functions.

Each Jacobian is diagonal, so each backward multiplies the incoming gradient by the
local derivative elementwise; no Jacobian matrix is ever built. Broadcasting is undone
by the engine, not here.
"""
import math

import numpy as np

from .arguments import as_tensor, floating_dtype
from .function import Function, function
from .tensor import Tensor
from .errors import names_errors

__all__ = [
    "abs", "clamp", "clip", "cos", "elu", "erf", "exp", "gelu", "leaky_relu", "log", "maximum",
    "minimum", "relu", "sigmoid", "sin", "softplus", "sqrt", "tanh", "where",
    "acos", "add", "arccos", "arcsin", "arcsinh", "arctan", "asin", "asinh", "atan", "atan2", "ceil",
    "clamp_max", "clamp_min", "cosh", "div", "divide", "exp2", "expm1", "fix", "floor", "floor_divide",
    "frac", "hypot", "lerp", "log10", "log1p", "log2", "mul", "multiply", "nan_to_num", "reciprocal",
    "remainder", "round", "rsqrt", "sign", "sinh", "square", "sub", "subtract", "tan", "true_divide",
    "trunc", "pow",
]


def _log(value):
    return value.log() if isinstance(value, Tensor) else np.log(value)


class Add(Function):
    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, -grad

    def fast_backward(self, grad):
        return grad, (-grad if self.needs_input_grad[1] else None)


class Mul(Function):
    def forward(self, a, b):
        self.save_for_backward(a, b)
        return a * b

    def backward(self, grad):
        a, b = self.saved_tensors
        return (
            grad * b if self.needs_input_grad[0] else None,
            grad * a if self.needs_input_grad[1] else None,
        )

    def fast_backward(self, grad):
        a, b = self.saved_arrays
        return (
            grad * b if self.needs_input_grad[0] else None,
            grad * a if self.needs_input_grad[1] else None,
        )


class Div(Function):
    def forward(self, a, b):
        self.save_for_backward(a, b)
        return a / b

    def backward(self, grad):
        a, b = self.saved_tensors
        grad_a = grad / b
        grad_b = -grad_a * a / b if self.needs_input_grad[1] else None
        return (grad_a if self.needs_input_grad[0] else None), grad_b

    def fast_backward(self, grad):
        a, b = self.saved_arrays
        grad_a = grad / b
        grad_b = -grad_a * a / b if self.needs_input_grad[1] else None
        return (grad_a if self.needs_input_grad[0] else None), grad_b


class Neg(Function):
    def forward(self, a):
        return -a

    def backward(self, grad):
        return -grad

    def fast_backward(self, grad):
        return -grad


class Pow(Function):
    """a ** b, for a tensor or scalar base and exponent."""

    def forward(self, a, b):
        out = _power(a, b)
        self.save_for_backward(a, b, out)
        return out

    def backward(self, grad):
        a, b, out = self.saved_tensors
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            # b a^(b-1), with the exponent 0 where b = 0: a^0 is constant, so its derivative
            # is 0 even at a = 0, where a^-1 would make it 0 * inf.
            nonzero = b.data != 0 if isinstance(b, Tensor) else b != 0
            grad_a = grad * b * a ** (b - nonzero)
        if self.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                grad_b = grad * where(_zero_base(a, b), 0.0, out * _log(a))
        return grad_a, grad_b

    def fast_backward(self, grad):
        a, b, out = self.saved_arrays
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            exponent = b - (b != 0)
            # No power taken for the square of every squared error (exponent 1): two
            # passes over the array instead of three.
            grad_a = grad * (b * (a if np.ndim(exponent) == 0 and exponent == 1 else _power(a, exponent)))
        if self.needs_input_grad[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                grad_b = grad * np.where(_zero_base(a, b), 0.0, out * np.log(a))
        return grad_a, grad_b


def _power(a, b):
    """a ** b on arrays. The operator, not np.power: NumPy computes an array to the scalar
    power 2, 1, 0.5 or -1 as a square, copy, root or reciprocal, five times faster for the
    square in every squared error."""
    return a ** b if isinstance(a, np.ndarray) else np.power(a, b)


def _zero_base(a, b):
    """Where d(a^b)/db = a^b log a is taken as 0: at a = 0 with b >= 0 (the limit; 0 * -inf
    otherwise), as PyTorch's. A negative base gives NaN (the log of a negative number),
    and 0 to a negative power -inf, as there."""
    base = a.data if isinstance(a, Tensor) else np.asarray(a)
    exponent = b.data if isinstance(b, Tensor) else np.asarray(b)
    return (base == 0) & (exponent >= 0)


class Exp(Function):
    def forward(self, x):
        out = np.exp(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return grad * out


class Log(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.log(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / x

    def fast_backward(self, grad):
        (x,) = self.saved_arrays
        return grad / x


class Sqrt(Function):
    def forward(self, x):
        out = np.sqrt(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * 0.5 / out

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return grad * 0.5 / out


class Abs(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.abs(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * np.sign(x.data)

    def fast_backward(self, grad):
        (x,) = self.saved_arrays
        return grad * np.sign(x)


class Sin(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.cos()

    def fast_backward(self, grad):
        (x,) = self.saved_arrays
        return grad * np.cos(x)


class Cos(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.cos(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return -grad * x.sin()

    def fast_backward(self, grad):
        (x,) = self.saved_arrays
        return -grad * np.sin(x)


class Tanh(Function):
    """tanh(x) = 2 sigmoid(2x) - 1; derivative 1 - tanh(x)^2, at most 1."""

    def forward(self, x):
        out = np.tanh(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (1 - out * out)

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return grad * (1 - out * out)


class Sigmoid(Function):
    """1 / (1 + exp(-x)); derivative s (1 - s), at most 1/4."""

    def forward(self, x):
        # exp(-x) may overflow to inf for very negative x; 1 / (1 + inf) = 0 is right.
        with np.errstate(over="ignore"):
            out = np.asarray(np.exp(-x))
        out += 1
        np.reciprocal(out, out=out)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out * (1 - out)

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return grad * out * (1 - out)


class ReLU(Function):
    """max(x, 0), with derivative 0 at x = 0 (PyTorch's convention)."""

    name = "relu"

    def forward(self, x):
        out = np.maximum(x, 0)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return ReLUGrad.apply(grad, out)

    def fast_backward(self, grad):
        (out,) = self.saved_arrays
        return grad * (out > 0)


class ReLUGrad(Function):
    """relu's backward, g where y > 0 (else 0), as one op. Linear in g;
    the mask is piecewise constant, so y gets no gradient."""

    name = "relu_grad"

    def forward(self, grad, out):
        self.save_for_backward(out)
        return grad * (out > 0)

    def backward(self, gg):
        (out,) = self.saved_tensors
        return ReLUGrad.apply(gg, out), None

    def fast_backward(self, gg):
        (out,) = self.saved_arrays
        return gg * (out > 0), None


class LeakyReLU(Function):
    """x for x > 0, else negative_slope * x."""

    name = "leaky_relu"

    def forward(self, x, *, negative_slope=0.01):
        slope = np.where(x > 0, 1, negative_slope).astype(floating_dtype(x))
        self.save_for_backward(slope=slope)
        return x * slope

    def backward(self, grad):
        return grad * self.saved.slope

    def fast_backward(self, grad):
        return grad * self.saved.slope


class ELU(Function):
    """x for x > 0, else alpha (exp(x) - 1); derivative there is alpha exp(x) = y + alpha."""

    def forward(self, x, *, alpha=1.0):
        out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(floating_dtype(x), copy=False)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        return where(x.data > 0, grad, grad * (out + self.attrs["alpha"]))

    def fast_backward(self, grad):
        x, out = self.saved_arrays
        return np.where(x > 0, grad, grad * (out + self.attrs["alpha"]))


class Erf(Function):
    """The error function; used by the exact GELU."""

    def forward(self, x):
        self.save_for_backward(x)
        return _erf(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (2 / math.sqrt(math.pi)) * (-(x * x)).exp()

    def fast_backward(self, grad):
        (x,) = self.saved_arrays
        return grad * (2 / math.sqrt(math.pi)) * np.exp(-(x * x))


class Softplus(Function):
    """log(1 + exp(beta x)) / beta, linear above ``threshold`` (as PyTorch); derivative
    sigmoid(beta x)."""

    def forward(self, x, *, beta=1.0, threshold=20.0):
        bx = beta * x
        linear = bx > threshold
        soft = (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta
        self.save_for_backward(x, linear=linear)
        return np.where(linear, x, soft).astype(floating_dtype(x), copy=False)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return where(self.saved.linear, grad, grad * (x * self.attrs["beta"]).sigmoid())

    def fast_backward(self, grad):
        (x,) = self.saved_arrays
        with np.errstate(over="ignore"):
            slope = 1 / (1 + np.exp(-self.attrs["beta"] * x))
        return np.where(self.saved.linear, grad, grad * slope)


class Clip(Function):
    """Values limited to [min, max]; the gradient passes where min <= x <= max and is
    exactly 0 elsewhere, even where it arrives inf or NaN (as PyTorch's)."""

    def forward(self, x, *, min=None, max=None):
        if min is None and max is None:
            raise ValueError("clip: give min, max or both")
        if self.recording:
            inside = np.ones(x.shape, dtype=bool)
            if min is not None:
                inside &= x >= min
            if max is not None:
                inside &= x <= max
            self.save_for_backward(inside=inside)
        return np.clip(x, min, max)

    def backward(self, grad):
        return where(self.saved.inside, grad, 0.0)

    def fast_backward(self, grad):
        return np.where(self.saved.inside, grad, 0)


def _tie_split(a, b, wins):
    """The share of the gradient that goes to ``a``: 1 where it wins, 1/2 on a tie."""
    a, b = np.asarray(a), np.asarray(b)
    dtype = np.result_type(a, b, np.float32)
    return (wins(a, b) + 0.5 * (a == b)).astype(dtype)


class Maximum(Function):
    """Elementwise maximum; where the two are equal the gradient is split evenly. The
    loser gets exactly 0, even from an inf or NaN gradient (as PyTorch's)."""

    pick, wins = staticmethod(np.maximum), staticmethod(np.greater)

    def forward(self, a, b):
        if self.recording:
            self.save_for_backward(share_a=_tie_split(a, b, self.wins))
        return self.pick(a, b)

    def backward(self, grad):
        share_a = self.saved.share_a
        return where(share_a != 0, grad * share_a, 0.0), where(share_a != 1, grad * (1 - share_a), 0.0)

    def fast_backward(self, grad):
        share_a = self.saved.share_a
        return np.where(share_a != 0, grad * share_a, 0), np.where(share_a != 1, grad * (1 - share_a), 0)


class Minimum(Maximum):
    """Elementwise minimum; where the two are equal the gradient is split evenly."""

    pick, wins = staticmethod(np.minimum), staticmethod(np.less)


class Where(Function):
    """``x`` where ``condition`` holds, else ``y``. The branch not taken gets a gradient of
    exactly 0, even where it arrives inf or NaN (as PyTorch's), so a guarded expression
    such as ``where(x > 0, x, 1).log()`` stays NaN-free."""

    def forward(self, condition, x, y):
        condition = np.asarray(condition, dtype=bool)
        self.save_for_backward(condition=condition)
        return np.where(condition, x, y)

    def backward(self, grad):
        condition = self.saved.condition
        return None, where(condition, grad, 0.0), where(condition, 0.0, grad)

    def fast_backward(self, grad):
        condition = self.saved.condition
        return (
            None,
            np.where(condition, grad, 0) if self.needs_input_grad[1] else None,
            np.where(condition, 0, grad) if self.needs_input_grad[2] else None,
        )


class Compare(Function):
    """``a < b``, ``a == b``... (``ufunc`` is NumPy's comparison): a boolean result, not
    differentiable. An op like the others, so that a trace records it."""

    def forward(self, a, b, ufunc):
        return np.asarray(ufunc(a, b))


class Sign(Function):
    """-1, 0 or +1, as ``numpy.sign``: piecewise constant, not differentiable."""

    def forward(self, x):
        return np.sign(x)


class Cast(Function):
    """A copy in another dtype; the gradient comes back in the input's dtype (the engine
    casts every input's gradient to that input's dtype)."""

    def forward(self, x, *, dtype):
        return x.astype(dtype)

    def backward(self, grad):
        return grad

    def fast_backward(self, grad):
        return grad


@names_errors
def where(condition, input=None, other=None):
    """``input`` where ``condition`` is true, else ``other`` (broadcast together; either may
    be a number). ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``."""
    if input is None and other is None:
        from .indexing import nonzero

        return nonzero(condition, as_tuple=True)
    x, y = input, other
    if isinstance(condition, Tensor):
        condition = condition.data
    return Where.apply(condition, x, y)


exp = function(Exp)
log = function(Log)
sqrt = function(Sqrt)
abs = function(Abs)
sin = function(Sin)
cos = function(Cos)
tanh = function(Tanh)
sigmoid = function(Sigmoid)
relu = function(ReLU)
erf = function(Erf)
maximum = function(Maximum)
minimum = function(Minimum)


@names_errors
def leaky_relu(input, negative_slope=0.01):
    """x for x > 0, else negative_slope * x."""
    return LeakyReLU.apply(as_tensor(input), negative_slope=negative_slope)


@names_errors
def elu(input, alpha=1.0):
    """x for x > 0, else alpha (exp(x) - 1)."""
    return ELU.apply(as_tensor(input), alpha=alpha)


@names_errors
def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, linear above ``threshold``."""
    return Softplus.apply(as_tensor(input), beta=beta, threshold=threshold)


@names_errors
def clip(input, min=None, max=None):
    """Values limited to [min, max]; the gradient passes where min <= x <= max."""
    return Clip.apply(as_tensor(input), min=min, max=max)


clamp = clip


@names_errors
def gelu(input, approximate="none"):
    """x Phi(x): the exact form with erf, or ``approximate="tanh"`` as in PyTorch."""
    x = as_tensor(input)
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + inner.tanh())
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return 0.5 * x * (1 + erf(x * (1 / math.sqrt(2))))


try:  # SciPy's erf is vectorised; without SciPy, the standard library's is exact but slower.
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover - depends on the environment
    _math_erf = np.vectorize(math.erf, otypes=[np.float64])

    def _erf(x):
        return _math_erf(x).astype(np.result_type(x, np.float32), copy=False)


# -- more of torch's math: logs and exponentials, trigonometry, rounding -------------------
_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


def _float_input(x):
    """Integer and boolean tensors compute in float32, as PyTorch's floating-point math does."""
    x = as_tensor(x)
    return x if x.dtype.kind in "fc" else x.to(np.float32)


class Log2(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.log2(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (x * _LN2)


class Log10(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.log10(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (x * _LN10)


class Log1p(Function):
    """log(1 + x), accurate for small x."""

    def forward(self, x):
        self.save_for_backward(x)
        return np.log1p(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (x + 1)


class Expm1(Function):
    """exp(x) - 1, accurate for small x; derivative exp(x) = out + 1."""

    def forward(self, x):
        out = np.expm1(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (out + 1)


class Exp2(Function):
    def forward(self, x):
        out = np.exp2(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out * _LN2


class Rsqrt(Function):
    """1 / sqrt(x); derivative -out^3 / 2."""

    def forward(self, x):
        with np.errstate(divide="ignore"):
            out = 1 / np.sqrt(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out * out * out * -0.5


class Reciprocal(Function):
    def forward(self, x):
        with np.errstate(divide="ignore"):
            out = np.reciprocal(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return -grad * out * out


class Tan(Function):
    """tan(x); derivative 1 + tan(x)^2."""

    def forward(self, x):
        out = np.tan(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * (1 + out * out)


class Asin(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.arcsin(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (1 - x * x).rsqrt()


class Acos(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.arccos(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return -grad * (1 - x * x).rsqrt()


class Atan(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.arctan(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / (1 + x * x)


class Sinh(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.sinh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.cosh()


class Cosh(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.cosh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.sinh()


class Asinh(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.arcsinh(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (x * x + 1).rsqrt()


class Atan2(Function):
    """The angle of the point (b, a): d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2)."""

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return np.arctan2(a, b)

    def backward(self, grad):
        a, b = self.saved_tensors
        scale = grad / (a * a + b * b)
        return scale * b, -scale * a


class Hypot(Function):
    """sqrt(a^2 + b^2) without overflow; d/da = a / out."""

    def forward(self, a, b):
        out = np.hypot(a, b)
        self.save_for_backward(a, b, out)
        return out

    def backward(self, grad):
        a, b, out = self.saved_tensors
        scale = grad / out
        return scale * a, scale * b


class Remainder(Function):
    """a - floor(a / b) * b, with the sign of b (Python's %); d/da = 1, d/db = -floor(a / b)."""

    def forward(self, a, b):
        self.save_for_backward(np.floor_divide(a, b))
        return np.remainder(a, b)

    def backward(self, grad):
        (quotient,) = self.saved_tensors
        return grad, -grad * quotient


def _data(value):
    return value.data if isinstance(value, Tensor) else np.asarray(value)


def _unary(cls):
    """The function form of a floating-point op: integer inputs compute in float32."""

    def op(input):
        return cls.apply(_float_input(input))

    op.__name__ = cls.name
    op.__doc__ = f"Elementwise {cls.name} (integers compute in float32); differentiable."
    return names_errors(op)


log2 = _unary(Log2)
log10 = _unary(Log10)
log1p = _unary(Log1p)
expm1 = _unary(Expm1)
exp2 = _unary(Exp2)
rsqrt = _unary(Rsqrt)
reciprocal = _unary(Reciprocal)
tan = _unary(Tan)
asin = _unary(Asin)
acos = _unary(Acos)
atan = _unary(Atan)
sinh = _unary(Sinh)
cosh = _unary(Cosh)
asinh = _unary(Asinh)
arcsin, arccos, arctan, arcsinh = asin, acos, atan, asinh


def _binary_floats(input, other):
    """Integer tensors meeting floating-point math take the other operand's float dtype
    (float32 if both are integers), as PyTorch promotes them."""
    floats = [v.dtype for v in (input, other) if isinstance(v, (Tensor, np.ndarray)) and v.dtype.kind in "fc"]
    target = np.result_type(*floats) if floats else np.float32

    def cast(value):
        if isinstance(value, (Tensor, np.ndarray)) and value.dtype.kind not in "fc":
            return value.to(target) if isinstance(value, Tensor) else value.astype(target)
        return value

    return cast(input), cast(other)


@names_errors
def atan2(input, other):
    """The angle of (other, input) in (-pi, pi]; differentiable in both."""
    return Atan2.apply(*_binary_floats(as_tensor(input), other))


@names_errors
def hypot(input, other):
    """sqrt(input^2 + other^2), elementwise; differentiable in both."""
    return Hypot.apply(as_tensor(input), other)


def _constant(op, x, values):
    """A result that is piecewise constant in ``x`` (rounding, sign): not differentiable,
    so it never requires grad (its derivative is zero wherever it exists)."""
    x = as_tensor(x)
    if x.dtype.kind not in "fc":
        return Tensor._make(x.data.copy())
    return Tensor._make(np.asarray(values(x.data)))


@names_errors
def sign(input):
    """-1, 0 or +1 (the perceptron's step): piecewise constant, so not differentiable."""
    return Sign.apply(as_tensor(input)).detach()


@names_errors
def floor(input):
    """Round down; not differentiable."""
    return _constant("floor", input, np.floor)


@names_errors
def ceil(input):
    """Round up; not differentiable."""
    return _constant("ceil", input, np.ceil)


@names_errors
def trunc(input):
    """Round towards zero; not differentiable."""
    return _constant("trunc", input, np.trunc)


@names_errors
def round(input, *, decimals=0):
    """Round half to even (as PyTorch and NumPy); not differentiable."""
    return _constant("round", input, lambda a: np.round(a, decimals))


fix = trunc


@names_errors
def frac(input):
    """The fractional part x - trunc(x), with x's sign; its derivative is 1."""
    return input - trunc(input)


@names_errors
def square(input):
    return input * input


@names_errors
def lerp(input, end, weight):
    """input + weight * (end - input); differentiable in all three."""
    return input + weight * (end - input)


@names_errors
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN, +inf and -inf replaced by ``nan`` and by the dtype's largest and smallest
    finite values (or ``posinf``/``neginf``); the gradient passes where input is finite."""
    data = input.data
    if data.dtype.kind not in "fc":
        return Tensor._make(data.copy())
    replaced = np.nan_to_num(data, nan=nan, posinf=posinf, neginf=neginf)
    return Where.apply(np.isfinite(data), input, replaced)


@names_errors
def clamp_min(input, min):
    return Clip.apply(as_tensor(input), min=min, max=None)


@names_errors
def clamp_max(input, max):
    return Clip.apply(as_tensor(input), min=None, max=max)


@names_errors
def add(input, other, *, alpha=1):
    """input + alpha * other."""
    return input + (other if alpha == 1 else other * alpha)


@names_errors
def sub(input, other, *, alpha=1):
    """input - alpha * other."""
    return input - (other if alpha == 1 else other * alpha)


subtract = sub


@names_errors
def pow(input, exponent):
    """input ** exponent (either may be a number)."""
    return Pow.apply(input, exponent)


@names_errors
def mul(input, other):
    return input * other


multiply = mul


@names_errors
def div(input, other, *, rounding_mode=None):
    """input / other; ``rounding_mode`` "trunc" or "floor" rounds the quotient (and is then
    not differentiable, keeping integer dtypes as PyTorch does)."""
    if rounding_mode is None:
        input, other = _binary_floats(input, other)
        return input / other
    a, b = _data(input), _data(other)
    if rounding_mode == "floor":
        quotient = np.floor_divide(a, b) if np.result_type(a, b).kind in "iub" else np.floor(a / b)
    elif rounding_mode == "trunc":
        quotient = np.trunc(a / b)
        if np.result_type(a, b).kind in "iu":
            quotient = quotient.astype(np.result_type(a, b))
    else:
        raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}")
    return Tensor._make(np.asarray(quotient))


divide = true_divide = div


@names_errors
def floor_divide(input, other):
    """floor(input / other); not differentiable."""
    return div(input, other, rounding_mode="floor")


@names_errors
def remainder(input, other):
    """input - floor(input / other) * other: the sign of ``other``, as Python's ``%``."""
    return Remainder.apply(as_tensor(input), other)

