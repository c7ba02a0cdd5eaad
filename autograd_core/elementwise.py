"""Elementwise operations: arithmetic and activation functions.

Each Jacobian is diagonal, so each backward multiplies the incoming gradient by the
local derivative elementwise; no Jacobian matrix is ever built. Broadcasting is undone
by the engine, not here.
"""
import math

import numpy as np

from .function import Function
from .tensor import Tensor


def _floating(x):
    """The dtype of an activation's result: the input's if it is floating-point; integers
    compute in float64, as NumPy's exp and tanh do (never truncated back to integers)."""
    return x.dtype if x.dtype.kind in "fc" else np.float64


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


class Div(Function):
    def forward(self, a, b):
        self.save_for_backward(a, b)
        return a / b

    def backward(self, grad):
        a, b = self.saved_tensors
        grad_a = grad / b
        grad_b = -grad_a * a / b if self.needs_input_grad[1] else None
        return (grad_a if self.needs_input_grad[0] else None), grad_b


class Neg(Function):
    def forward(self, a):
        return -a

    def backward(self, grad):
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


class Exp(Function):
    def forward(self, x):
        out = np.exp(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * out


class Log(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.log(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad / x


class Sqrt(Function):
    def forward(self, x):
        out = np.sqrt(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return grad * 0.5 / out


class Abs(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.abs(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * np.sign(x.data)


class Sin(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.sin(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * x.cos()


class Cos(Function):
    def forward(self, x):
        self.save_for_backward(x)
        return np.cos(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return -grad * x.sin()


class Tanh(Function):
    """tanh(x) = 2 sigmoid(2x) - 1; derivative 1 - tanh(x)^2, at most 1."""

    def forward(self, x):
        out = np.tanh(x)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        return TanhGrad.apply(grad, out)


class TanhGrad(Function):
    """tanh's backward, g (1 - y^2), as one op: recurrent nets spend much of their
    backward pass here. Its own backward gives tanh's second derivative."""

    def forward(self, grad, out):
        self.save_for_backward(grad, out)
        return grad * (1 - out * out)

    def backward(self, gg):
        grad, out = self.saved_tensors
        return gg * (1 - out * out), -2 * gg * grad * out


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
        return SigmoidGrad.apply(grad, out)


class SigmoidGrad(Function):
    """sigmoid's backward, g s (1 - s), as one op (hot in recurrent nets, like TanhGrad)."""

    def forward(self, grad, out):
        self.save_for_backward(grad, out)
        return grad * out * (1 - out)

    def backward(self, gg):
        grad, out = self.saved_tensors
        return gg * out * (1 - out), gg * grad * (1 - 2 * out)


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


class ReLUGrad(Function):
    """relu's backward, g where y > 0 (else 0), as one op, like TanhGrad. Linear in g;
    the mask is piecewise constant, so y gets no gradient."""

    name = "relu_grad"

    def forward(self, grad, out):
        self.save_for_backward(out)
        return grad * (out > 0)

    def backward(self, gg):
        (out,) = self.saved_tensors
        return ReLUGrad.apply(gg, out), None


class LeakyReLU(Function):
    """x for x > 0, else negative_slope * x."""

    name = "leaky_relu"

    def forward(self, x, negative_slope=0.01):
        self.slope = np.where(x > 0, 1, negative_slope).astype(_floating(x))
        return x * self.slope

    def backward(self, grad):
        return grad * self.slope


class ELU(Function):
    """x for x > 0, else alpha (exp(x) - 1); derivative there is alpha exp(x) = y + alpha."""

    def forward(self, x, alpha=1.0):
        self.alpha = alpha
        out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(_floating(x), copy=False)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        x, out = self.saved_tensors
        positive = x.data > 0
        return where(positive, grad, grad * (out + self.alpha))


class Erf(Function):
    """The error function; used by the exact GELU."""

    def forward(self, x):
        self.save_for_backward(x)
        return _erf(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (2 / math.sqrt(math.pi)) * (-(x * x)).exp()


class Softplus(Function):
    """log(1 + exp(beta x)) / beta, linear above ``threshold`` (as PyTorch); derivative
    sigmoid(beta x)."""

    def forward(self, x, beta=1.0, threshold=20.0):
        self.beta = beta
        bx = beta * x
        self.linear = bx > threshold
        soft = (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta
        self.save_for_backward(x)
        return np.where(self.linear, x, soft).astype(_floating(x), copy=False)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return where(self.linear, grad, grad * (x * self.beta).sigmoid())


class Clip(Function):
    """Values limited to [min, max]; the gradient passes where min <= x <= max."""

    def forward(self, x, min=None, max=None):
        if min is None and max is None:
            raise ValueError("clip: give min, max or both")
        inside = np.ones(x.shape, dtype=bool)
        if min is not None:
            inside &= x >= min
        if max is not None:
            inside &= x <= max
        self.inside = inside
        return np.clip(x, min, max)

    def backward(self, grad):
        return grad * self.inside


def _tie_split(a, b, wins):
    """The share of the gradient that goes to ``a``: 1 where it wins, 1/2 on a tie."""
    a, b = np.asarray(a), np.asarray(b)
    dtype = np.result_type(a, b, np.float32)
    return (wins(a, b) + 0.5 * (a == b)).astype(dtype)


class Maximum(Function):
    """Elementwise maximum; where the two are equal the gradient is split evenly."""

    def forward(self, a, b):
        self.share_a = _tie_split(a, b, np.greater)
        return np.maximum(a, b)

    def backward(self, grad):
        return grad * self.share_a, grad * (1 - self.share_a)


class Minimum(Function):
    """Elementwise minimum; where the two are equal the gradient is split evenly."""

    def forward(self, a, b):
        self.share_a = _tie_split(a, b, np.less)
        return np.minimum(a, b)

    def backward(self, grad):
        return grad * self.share_a, grad * (1 - self.share_a)


class Where(Function):
    """``x`` where ``condition`` holds, else ``y``."""

    def forward(self, condition, x, y):
        self.condition = np.asarray(condition, dtype=bool)
        return np.where(self.condition, x, y)

    def backward(self, grad):
        return None, grad * self.condition, grad * ~self.condition


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
    """A copy in another dtype; the gradient comes back in the input's dtype."""

    def forward(self, x, dtype):
        self.input_dtype = x.dtype
        return x.astype(dtype)

    def backward(self, grad):
        return grad.to(self.input_dtype)


def where(condition, x, y):
    """``x`` where ``condition`` is true, else ``y`` (broadcast together)."""
    if isinstance(condition, Tensor):
        condition = condition.data
    return Where.apply(condition, x, y)


def maximum(a, b):
    return Maximum.apply(a, b)


def minimum(a, b):
    return Minimum.apply(a, b)


def erf(x):
    return Erf.apply(x)


def gelu(x, approximate="none"):
    """x Phi(x): the exact form with erf, or ``approximate="tanh"`` as in PyTorch."""
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
