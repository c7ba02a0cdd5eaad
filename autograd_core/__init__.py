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
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    is_tensor,
    linspace,
    logspace,
    numel,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from .random import (
    Generator,
    bernoulli,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    multinomial,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    seed,
    set_rng_state,
)
from .elementwise import (
    acos,
    add,
    arccos,
    arcsin,
    arcsinh,
    arctan,
    asin,
    asinh,
    atan,
    atan2,
    ceil,
    clamp_max,
    clamp_min,
    cosh,
    div,
    divide,
    erf,
    exp2,
    expm1,
    fix,
    floor,
    floor_divide,
    frac,
    gelu,
    hypot,
    lerp,
    log1p,
    log2,
    log10,
    maximum,
    minimum,
    mul,
    multiply,
    nan_to_num,
    reciprocal,
    remainder,
    round,
    rsqrt,
    sign,
    sinh,
    square,
    sub,
    subtract,
    tan,
    true_divide,
    trunc,
    where,
)
from .comparison import (
    all,
    allclose,
    any,
    eq,
    equal,
    ge,
    greater,
    greater_equal,
    gt,
    isclose,
    isfinite,
    isin,
    isinf,
    isnan,
    isneginf,
    isposinf,
    le,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    ne,
    not_equal,
)
from .sorting import argsort, kthvalue, median, mode, msort, nanmedian, sort, topk, unique
from .reductions import amax, amin, aminmax, count_nonzero, cumprod, cumsum, dist, norm, prod
from .engine import backward, grad, sum_to_shape, topological_order
from .function import Function
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .indexing import (
    argwhere,
    gather,
    index_add,
    index_select,
    masked_fill,
    masked_select,
    nonzero,
    scatter,
    scatter_add,
    take_along_dim,
)
from .indexing import take_flat as take
from .conv import conv1d, conv2d
from .linalg import (
    addmm,
    bmm,
    det,
    diag,
    diag_embed,
    diagonal,
    dot,
    einsum,
    ger,
    inner,
    inverse,
    kron,
    linear,
    mm,
    mv,
    outer,
    trace,
    tril,
    triu,
    vdot,
)
from .pooling import adaptive_avg_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .scope import current_scope, scope
from .shape import (
    broadcast_tensors,
    broadcast_to,
    cat,
    chunk,
    flip,
    fliplr,
    flipud,
    movedim,
    moveaxis,
    narrow,
    pad,
    repeat_interleave,
    roll,
    select,
    split,
    stack,
    swapdims,
    t,
    tile,
    unbind,
)
from .tensor import Tensor
from . import viz
from .viz import BackwardStepper, draw_graph



def _method(name):
    def function(x, *args, **kwargs):
        return getattr(x if isinstance(x, Tensor) else Tensor(x), name)(*args, **kwargs)

    function.__name__ = name
    function.__doc__ = f"``autograd_core.{name}(x, ...)`` is ``x.{name}(...)``."
    return function


# The Tensor methods are also functions, as in PyTorch: ag.exp(x) is x.exp().
for _name in (
    "exp log sqrt abs sin cos tanh sigmoid relu leaky_relu elu softplus clip clamp pow "
    "sum mean var std max min argmax argmin logsumexp softmax log_softmax matmul "
    "reshape flatten transpose permute swapaxes squeeze unsqueeze expand"
).split():
    globals()[_name] = _method(_name)
del _name

# PyTorch's dtype names (torch.float is float32, torch.long int64...); they shadow the
# built-ins only inside this module, after everything above has used them.
from numpy import bool_, int8, int16, uint8  # noqa: E402,F401

bool = bool_  # noqa: A001
float = float32  # noqa: A001
double = float64
long = int64
int = int32  # noqa: A001
half = float16
