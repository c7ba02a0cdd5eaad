"""autograd_core: a reverse-mode automatic differentiation engine on NumPy arrays.

>>> import autograd_core as ag
>>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad
array([2., 4., 6.], dtype=float32)

Each module lists what it exports in its ``__all__``; the package exports all of them,
so a new op is exported by naming its function in its module's ``__all__``.
"""
from numpy import float16, float32, float64, int32, int64  # noqa: F401  (dtype names, as torch.float32)

from . import tensor  # first: the argument helpers and every op family import Tensor
from . import conv, creation, elementwise, engine, function, grad_mode, gradcheck, indexing, linalg, pooling
from . import reductions, scope, shape, viz

_exporting = (
    conv, creation, elementwise, engine, function, grad_mode, gradcheck, indexing, linalg, pooling, reductions,
    scope, shape, tensor,
)
from .conv import *  # noqa: F401,F403
from .creation import *  # noqa: F401,F403
from .elementwise import *  # noqa: F401,F403
from .engine import *  # noqa: F401,F403
from .function import *  # noqa: F401,F403
from .grad_mode import *  # noqa: F401,F403
from .gradcheck import *  # noqa: F401,F403
from .indexing import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .reductions import *  # noqa: F401,F403
from .scope import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .tensor import *  # noqa: F401,F403
from .viz import BackwardStepper, draw_graph
from .compile import compile, is_compiling  # noqa: A001,E402  (the name PyTorch uses: torch.compile)

bool_ = bool

__all__ = [name for module in _exporting for name in module.__all__] + [
    "BackwardStepper", "bool_", "compile", "draw_graph", "is_compiling", "float16", "float32", "float64", "int32", "int64", "viz",
]
del _exporting
