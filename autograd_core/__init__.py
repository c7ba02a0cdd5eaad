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

from . import allocator

allocator.keep_freed_memory()  # see allocator: freed arrays stay with the process for the next step

from . import tensor  # first: the argument helpers and every op family import Tensor
from . import anomaly, comparison, conv, creation, elementwise, engine, function, grad_mode, gradcheck, indexing, linalg
from . import pooling, random, reductions, scope, shape, sorting, viz

_exporting = (
    anomaly, comparison, conv, creation, elementwise, engine, function, grad_mode, gradcheck, indexing, linalg, pooling,
    random, reductions, scope, shape, sorting, tensor,
)
from .anomaly import *  # noqa: F401,F403
from .comparison import *  # noqa: F401,F403
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
from .random import *  # noqa: F401,F403
from .reductions import *  # noqa: F401,F403
from .scope import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .sorting import *  # noqa: F401,F403
from .tensor import *  # noqa: F401,F403
from .viz import BackwardStepper, draw_graph
from .compile import compile, is_compiling  # noqa: A001,E402  (the name PyTorch uses: torch.compile)

# ``torch.take`` reads the flattened tensor; indexing's own ``take`` picks along an axis.
from .indexing import take_flat as take  # noqa: E402

# PyTorch's dtype names (torch.float is float32, torch.long int64...); they shadow the
# built-ins only inside this module, after everything above has used them.
from numpy import bool_, int8, int16, uint8  # noqa: E402

bool = bool_  # noqa: A001
float = float32  # noqa: A001
double = float64
long = int64
int = int32  # noqa: A001
half = float16

__all__ = [name for module in _exporting for name in module.__all__] + [
    "BackwardStepper", "bool", "bool_", "compile", "double", "draw_graph", "float", "float16", "float32", "float64", "half",
    "int", "int8", "int16", "int32", "int64", "is_compiling", "long", "take", "uint8", "viz",
]
del _exporting
