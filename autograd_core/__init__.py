"""autograd_core: a reverse-mode automatic differentiation engine on NumPy arrays.

>>> import autograd_core as ag
>>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad
array([2., 4., 6.], dtype=float32)
"""
from numpy import float16, float32, float64, int32, int64  # noqa: F401  (dtype names, as torch.float32)

from .creation import (
    arange,
    default_generator,
    eye,
    from_numpy,
    full,
    manual_seed,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from .elementwise import erf, gelu, maximum, minimum, where
from .engine import backward, grad, sum_to_shape, topological_order
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .indexing import take_along_dim
from .conv import conv1d, conv2d
from .linalg import einsum, linear
from .pooling import adaptive_avg_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .scope import current_scope, scope
from .shape import cat, pad, split, stack
from .tensor import Tensor
from . import viz
from .compile import compile, is_compiling  # noqa: A001  (the name PyTorch uses: torch.compile)
from .viz import BackwardStepper, draw_graph

bool_ = bool


def _method(name):
    def function(x, *args, **kwargs):
        return getattr(x if isinstance(x, Tensor) else Tensor(x), name)(*args, **kwargs)

    function.__name__ = name
    function.__doc__ = f"``autograd_core.{name}(x, ...)`` is ``x.{name}(...)``."
    return function


# The Tensor methods are also functions, as in PyTorch: ag.exp(x) is x.exp().
for _name in (
    "exp log sqrt abs sin cos tanh sigmoid relu leaky_relu elu softplus clip clamp "
    "sum mean var std max min argmax argmin logsumexp softmax log_softmax matmul "
    "reshape flatten transpose permute swapaxes squeeze unsqueeze expand"
).split():
    globals()[_name] = _method(_name)
del _name
