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

__all__ = [
    "abs", "clamp", "clip", "cos", "elu", "erf", "exp", "gelu", "leaky_relu", "log", "maximum",
    "minimum", "relu", "sigmoid", "sin", "softplus", "sqrt", "tanh", "where",
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
        out = np.power(a, b)
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
            # d(a^b)/db = a^b log a, taken as 0 where a = 0 (the limit for b > 0).
            base = a.data if isinstance(a, Tensor) else np.asarray(a)
            positive = base > 0
            safe = where(positive, a, 1.0) if isinstance(a, Tensor) else np.where(positive, base, 1.0)
            grad_b = grad * out * _log(safe) * positive
        return grad_a, grad_b

    def fast_backward(self, grad):
        a, b, out = self.saved_arrays
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = grad * b * np.power(a, b - (b != 0))
        if self.needs_input_grad[1]:
            positive = np.asarray(a) > 0
            grad_b = grad * out * np.log(np.where(positive, a, 1.0)) * positive
        return grad_a, grad_b


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
    """Values limited to [min, max]; the gradient passes where min <= x <= max."""

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
        return grad * self.saved.inside

    def fast_backward(self, grad):
        return grad * self.saved.inside


def _tie_split(a, b, wins):
    """The share of the gradient that goes to ``a``: 1 where it wins, 1/2 on a tie."""
    a, b = np.asarray(a), np.asarray(b)
    dtype = np.result_type(a, b, np.float32)
    return (wins(a, b) + 0.5 * (a == b)).astype(dtype)


class Maximum(Function):
    """Elementwise maximum; where the two are equal the gradient is split evenly."""

    pick, wins = staticmethod(np.maximum), staticmethod(np.greater)

    def forward(self, a, b):
        if self.recording:
            self.save_for_backward(share_a=_tie_split(a, b, self.wins))
        return self.pick(a, b)

    def backward(self, grad):
        share_a = self.saved.share_a
        return grad * share_a, grad * (1 - share_a)

    def fast_backward(self, grad):
        share_a = self.saved.share_a
        return grad * share_a, grad * (1 - share_a)


class Minimum(Maximum):
    """Elementwise minimum; where the two are equal the gradient is split evenly."""

    pick, wins = staticmethod(np.minimum), staticmethod(np.less)


class Where(Function):
    """``x`` where ``condition`` holds, else ``y``."""

    def forward(self, condition, x, y):
        condition = np.asarray(condition, dtype=bool)
        self.save_for_backward(condition=condition)
        return np.where(condition, x, y)

    def backward(self, grad):
        condition = self.saved.condition
        return None, grad * condition, grad * ~condition

    def fast_backward(self, grad):
        condition = self.saved.condition
        return (
            None,
            grad * condition if self.needs_input_grad[1] else None,
            grad * ~condition if self.needs_input_grad[2] else None,
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


def where(condition, x, y):
    """``x`` where ``condition`` is true, else ``y`` (broadcast together)."""
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


def leaky_relu(input, negative_slope=0.01):
    """x for x > 0, else negative_slope * x."""
    return LeakyReLU.apply(as_tensor(input), negative_slope=negative_slope)


def elu(input, alpha=1.0):
    """x for x > 0, else alpha (exp(x) - 1)."""
    return ELU.apply(as_tensor(input), alpha=alpha)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, linear above ``threshold``."""
    return Softplus.apply(as_tensor(input), beta=beta, threshold=threshold)


def clip(input, min=None, max=None):
    """Values limited to [min, max]; the gradient passes where min <= x <= max."""
    return Clip.apply(as_tensor(input), min=min, max=max)


clamp = clip


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
