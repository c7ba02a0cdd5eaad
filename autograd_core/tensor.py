"""``Tensor``: a NumPy array that remembers how it was made, so gradients can flow back.

The methods here only dispatch to the ``Function`` subclasses that do the work (in
``elementwise``, ``reductions``, ``shape``, ``indexing`` and ``linalg``) or compose them,
the way micrograd's ``Value`` composes its few primitives.
"""
import collections
import weakref

import numpy as np

from . import grad_mode
from .errors import names_errors

__all__ = ["Tensor"]

MaxMin = collections.namedtuple("MaxMin", ["values", "indices"])

#: While ``autograd_core.compile`` traces a function, the tracer: it refuses reads of a
#: tensor's value into Python (``item()``, ``if t > 0:``), which a trace cannot replay,
#: and records writes into tensors (``copy_``). ``None`` otherwise.
_tracer = None


class Tensor:
    """An n-dimensional array with an optional gradient.

    ``data`` is the ``numpy.ndarray``; ``grad`` is an array of the same shape and dtype,
    or ``None``; ``grad_fn`` is the ``Function`` node that made this tensor (``None`` for
    leaves). Construct with ``autograd_core.tensor(...)`` (copies) or ``Tensor(array)``
    (wraps the array without copying).
    """

    __slots__ = ("data", "grad", "requires_grad", "grad_fn", "_vc", "_hooks", "name", "__weakref__")
    # Make NumPy's binary operators hand over to ours: ``array * tensor`` is a Tensor.
    __array_priority__ = 1000

    @names_errors
    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        self.data = as_array(data, dtype)
        self.grad = None
        self.grad_fn = None
        self._vc = None
        self._hooks = None
        self.name = name
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data, requires_grad=False, grad_fn=None):
        """Fast constructor for results of operations (no conversion or checks)."""
        t = object.__new__(Tensor)
        t.data = data
        t.grad = None
        t.requires_grad = requires_grad
        t.grad_fn = grad_fn
        t._vc = None
        t._hooks = None
        t.name = None
        return t

    # -- attributes -------------------------------------------------------------------
    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def size(self):
        """The number of elements, as NumPy's ``size``; called, the shape, as PyTorch's
        ``size()``: ``x.size == 12``, ``x.size() == (3, 4)``, ``x.size(0) == 3``."""
        return _Size(self.data.shape, self.data.size)

    def numel(self):
        return self.data.size

    def dim(self):
        return self.data.ndim

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def _version(self):
        """How many times the data was changed in place (shared by views)."""
        return 0 if self._vc is None else self._vc[0]

    def _counter(self):
        """The version counter, a one-element list shared by views, made when first
        needed: most tensors are never saved, viewed or changed in place, and a list per
        tensor is one more object for the garbage collector to scan in a large graph."""
        if self._vc is None:
            self._vc = [0]
        return self._vc

    @property
    def T(self):
        return self.permute(*reversed(range(self.ndim)))

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def item(self):
        if _tracer is not None:
            _tracer.read_value(self, "item()")
        if self.data.size != 1:
            raise ValueError(f"item: only a one-element tensor converts to a Python number, this one has shape {tuple(self.shape)}")
        return self.data.item()

    def numpy(self):
        if _tracer is not None:
            _tracer.read_value(self, "numpy()")
        return self.data

    def tolist(self):
        if _tracer is not None:
            _tracer.read_value(self, "tolist()")
        return self.data.tolist()

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __float__(self):
        if _tracer is not None:
            _tracer.read_value(self, "float()")
        return float(self.data)

    def __int__(self):
        if _tracer is not None:
            _tracer.read_value(self, "int()")
        return int(self.data)

    def __bool__(self):
        if _tracer is not None:
            _tracer.read_value(self, "a truth test (if, while, and, or)")
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous")
        return bool(self.data)

    __hash__ = object.__hash__

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4)
        extras = []
        if self.data.dtype not in (np.float32, np.int64, np.bool_):
            extras.append(f"dtype={self.data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn={self.grad_fn!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body] + extras) + ")"

    # -- autograd ---------------------------------------------------------------------
    def requires_grad_(self, requires_grad=True):
        """Mark a leaf tensor as needing a gradient (floating-point tensors only)."""
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "requires_grad_: only leaf tensors can stop requiring grad; use detach()"
            )
        if requires_grad and self.data.dtype.kind not in "fc":
            raise TypeError(
                f"requires_grad_: only floating-point tensors can require gradients (got {self.data.dtype})"
            )
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self):
        """The same data (shared, no copy) cut off from the graph."""
        t = Tensor._make(self.data)
        t._vc = self._counter()
        return t

    def clone(self):
        """A copy of the data that stays in the graph."""
        return self * 1

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Accumulate d(self)/d(leaf) into ``.grad`` of every leaf that requires grad.

        ``gradient`` is dL/d(self), required unless ``self`` has one element.
        """
        from .engine import backward

        backward(self, gradient, retain_graph, create_graph)

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        if self.grad_fn is not None:
            self.grad_fn._retained = weakref.ref(self)

    def register_hook(self, hook):
        """Call ``hook(grad)`` with the gradient of this tensor during backward; a non-None
        return value replaces the gradient. Returns a handle with ``remove()``."""
        if not self.requires_grad:
            raise RuntimeError("register_hook: the tensor does not require grad")
        owner = self.grad_fn if self.grad_fn is not None else self
        if owner._hooks is None:
            owner._hooks = []
        owner._hooks.append(hook)
        return _HookHandle(owner._hooks, hook)

    # -- in-place updates (no graph; used by optimizers and initializers) ---------------
    def _inplace(self, op, change, *operands):
        """Run ``change(data, *operands)``, which writes into ``self.data``, and count the
        change in the version counter. A refused or failed change leaves the tensor, its
        version included, as it was."""
        if _tracer is not None:
            # copy_ is replayed by the compiled program; the tracer refuses every other write.
            _tracer.write(self, op, None)
        if grad_mode._enabled and self.requires_grad:
            raise RuntimeError(
                f"{op}: in-place change of a tensor that requires grad; do it inside no_grad() "
                "or build a new tensor instead"
            )
        try:
            operands = [_inplace_operand(v, op) for v in operands]
            change(self.data, *operands)
        except (TypeError, ValueError, IndexError) as error:
            if str(error).startswith(op + ":"):
                raise
            kind = next(k for k in (IndexError, ValueError, TypeError) if isinstance(error, k))
            raise kind(f"{op}: tensor of shape {tuple(self.data.shape)} and dtype {self.data.dtype}: {error}") from None
        self._counter()[0] += 1
        return self

    def __setitem__(self, index, value):
        index = index_arg(index)

        def assign(data, value):
            data[index] = value

        self._inplace("setitem", assign, as_array(value))

    def add_(self, other, alpha=1):
        def add(data, other, alpha):
            np.add(data, other * alpha if alpha != 1 else other, out=data, casting="unsafe")

        return self._inplace("add_", add, other, alpha)

    def sub_(self, other, alpha=1):
        return self.add_(other, -alpha)

    def mul_(self, other):
        return self._inplace("mul_", lambda data, other: np.multiply(data, other, out=data, casting="unsafe"), other)

    def div_(self, other):
        return self._inplace("div_", lambda data, other: np.divide(data, other, out=data, casting="unsafe"), other)

    def copy_(self, source):
        if _tracer is not None:
            shape = as_array(source).shape
            try:
                fits = np.broadcast_shapes(shape, self.shape) == self.shape
            except ValueError:
                fits = False
            if not fits:
                raise ValueError(f"copy_: tensor of shape {tuple(self.shape)}: source of shape {shape} does not broadcast to it")
            # A traced write is replayed by the compiled program, not done now.
            return _tracer.write(self, "copy_", source)
        return self._inplace("copy_", lambda data, source: np.copyto(data, source, casting="unsafe"), as_array(source))

    def fill_(self, value):
        return self._inplace("fill_", lambda data, value: data.fill(value), value)

    def zero_(self):
        return self.fill_(0)

    def masked_fill_(self, mask, value):
        where = as_array(mask).astype(bool)
        return self._inplace(
            "masked_fill_", lambda data, value: np.copyto(data, value, where=where, casting="unsafe"), as_array(value)
        )

    def clamp_(self, min=None, max=None):
        def clamp(data, low, high):
            if low is None and high is None:
                raise ValueError("give min, max or both")
            np.clip(data, low, high, out=data)

        return self._inplace("clamp_", clamp, min, max)

    # -- conversions ------------------------------------------------------------------
    def to(self, dtype):
        """A copy in ``dtype`` (differentiable); the same tensor if the dtype already matches."""
        dtype = np.dtype(dtype)
        if dtype == self.data.dtype:
            return self
        return elementwise.Cast.apply(self, dtype=dtype)

    astype = to
    type = to

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def long(self):
        return elementwise.Cast.apply(self, dtype=np.dtype(np.int64))

    def int(self):
        return elementwise.Cast.apply(self, dtype=np.dtype(np.int32))

    def bool(self):
        return elementwise.Cast.apply(self, dtype=np.dtype(bool))

    # -- arithmetic -------------------------------------------------------------------
    def __add__(self, other):
        return elementwise.Add.apply(self, other)

    def __radd__(self, other):
        return elementwise.Add.apply(other, self)

    def __sub__(self, other):
        return elementwise.Sub.apply(self, other)

    def __rsub__(self, other):
        return elementwise.Sub.apply(other, self)

    def __mul__(self, other):
        return elementwise.Mul.apply(self, other)

    def __rmul__(self, other):
        return elementwise.Mul.apply(other, self)

    def __truediv__(self, other):
        return elementwise.Div.apply(self, other)

    def __rtruediv__(self, other):
        return elementwise.Div.apply(other, self)

    def __pow__(self, exponent):
        return elementwise.Pow.apply(self, exponent)

    def __rpow__(self, base):
        return elementwise.Pow.apply(base, self)

    def __matmul__(self, other):
        return linalg.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        return linalg.MatMul.apply(other, self)

    def __neg__(self):
        return elementwise.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return elementwise.Abs.apply(self)

    def __floordiv__(self, other):
        return elementwise.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return elementwise.floor_divide(other, self)

    def __mod__(self, other):
        return elementwise.Remainder.apply(self, other)

    def __rmod__(self, other):
        return elementwise.Remainder.apply(other, self)

    mul = multiply = __mul__
    pow = __pow__
    matmul = __matmul__
    neg = __neg__

    # Comparisons give boolean tensors and are not differentiable.
    def _compare(self, other, ufunc):
        return elementwise.Compare.apply(self, as_array(other) if isinstance(other, (list, tuple)) else other, ufunc=ufunc)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    # -- elementwise functions --------------------------------------------------------
    def exp(self):
        return elementwise.Exp.apply(self)

    def log(self):
        return elementwise.Log.apply(self)

    def sqrt(self):
        return elementwise.Sqrt.apply(self)

    def abs(self):
        return elementwise.Abs.apply(self)

    def sin(self):
        return elementwise.Sin.apply(self)

    def cos(self):
        return elementwise.Cos.apply(self)

    def tanh(self):
        return elementwise.Tanh.apply(self)

    def sigmoid(self):
        return elementwise.Sigmoid.apply(self)

    def relu(self):
        """max(x, 0); its derivative at 0 is taken as 0, as in PyTorch."""
        return elementwise.ReLU.apply(self)

    def leaky_relu(self, negative_slope=0.01):
        return elementwise.LeakyReLU.apply(self, negative_slope=negative_slope)

    def elu(self, alpha=1.0):
        return elementwise.ELU.apply(self, alpha=alpha)

    def gelu(self, approximate="none"):
        """x * Phi(x), with the exact erf form by default (``approximate="tanh"`` for the other)."""
        return elementwise.gelu(self, approximate)

    def softplus(self, beta=1.0, threshold=20.0):
        return elementwise.Softplus.apply(self, beta=beta, threshold=threshold)

    def clip(self, min=None, max=None):
        """Limit values to [min, max]; the gradient passes where min <= x <= max."""
        return elementwise.Clip.apply(self, min=min, max=max)

    clamp = clip

    def maximum(self, other):
        return elementwise.Maximum.apply(self, other)

    def minimum(self, other):
        return elementwise.Minimum.apply(self, other)

    # -- reductions -------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return reductions.Sum.apply(self, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))

    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return reductions.Mean.apply(self, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
        """Variance, unbiased (divides by n - 1) by default as in PyTorch; ``correction=0``
        or ``unbiased=False`` gives the biased (population) variance."""
        return reductions.variance(self, dim_arg(dim, axis), unbiased, keepdim_arg(keepdim, keepdims), correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
        return self.var(dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims).sqrt()

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The largest value, or with ``dim`` the pair (values, indices) as in PyTorch."""
        return reductions.extreme(self, reductions.Amax, dim_arg(dim, axis), keepdim_arg(keepdim, keepdims))

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return reductions.extreme(self, reductions.Amin, dim_arg(dim, axis), keepdim_arg(keepdim, keepdims))

    def argmax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return reductions.ArgExtreme.apply(self, pick=np.argmax, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))

    def argmin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return reductions.ArgExtreme.apply(self, pick=np.argmin, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))

    def logsumexp(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return reductions.LogSumExp.apply(self, dim=dim_arg(dim, axis), keepdim=keepdim_arg(keepdim, keepdims))

    def softmax(self, dim=-1, *, axis=None):
        return reductions.Softmax.apply(self, dim=dim if axis is None else axis)

    def log_softmax(self, dim=-1, *, axis=None):
        return reductions.LogSoftmax.apply(self, dim=dim if axis is None else axis)

    # -- shape ------------------------------------------------------------------------
    def reshape(self, *shape):
        return shape_ops.Reshape.apply(self, shape=shape_arg(shape))

    view = reshape

    def flatten(self, start_dim=0, end_dim=-1):
        return shape_ops.flatten(self, start_dim, end_dim)

    def permute(self, *dims):
        return shape_ops.Permute.apply(self, dims=shape_arg(dims))

    def transpose(self, dim0=-2, dim1=-1):
        return shape_ops.transpose(self, dim0, dim1)

    swapaxes = transpose

    def squeeze(self, dim=None):
        return shape_ops.squeeze(self, dim)

    def unsqueeze(self, dim):
        return shape_ops.unsqueeze(self, dim)

    def expand(self, *shape):
        return shape_ops.Expand.apply(self, shape=shape_arg(shape))

    def expand_as(self, other):
        return self.expand(other.shape)

    def view_as(self, other):
        return self.reshape(other.shape)

    def type_as(self, other):
        """This tensor in ``other``'s dtype."""
        return self.to(other.dtype)

    def contiguous(self):
        """The tensor itself: NumPy handles any memory layout, so nothing needs copying."""
        return self

    def is_contiguous(self):
        return bool(self.data.flags.c_contiguous)

    @property
    def mT(self):
        """The matrices of the last two dimensions, transposed."""
        return self.transpose(-2, -1)

    def nelement(self):
        return self.data.size

    def is_floating_point(self):
        return self.data.dtype.kind == "f"

    def element_size(self):
        return self.data.itemsize

    # -- new tensors like this one (its dtype unless told otherwise) -------------------
    def new_zeros(self, *size, dtype=None, requires_grad=False):
        return Tensor(np.zeros(shape_arg(size), dtype=dtype or self.dtype), requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        return Tensor(np.ones(shape_arg(size), dtype=dtype or self.dtype), requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False):
        return Tensor(np.empty(shape_arg(size), dtype=dtype or self.dtype), requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, requires_grad=False):
        return Tensor(np.full(shape_arg((size,)), fill_value, dtype=dtype or self.dtype), requires_grad=requires_grad)

    def new_tensor(self, data, *, dtype=None, requires_grad=False):
        """A copy of ``data`` as a tensor, in this tensor's dtype unless told otherwise."""
        return Tensor(np.array(as_array(data), dtype=dtype or self.dtype), requires_grad=requires_grad)

    def split(self, split_size_or_sections, dim=0):
        return shape_ops.split(self, split_size_or_sections, dim)

    def __getitem__(self, index):
        return indexing.GetItem.apply(self, index=index_arg(index))


def _inplace_operand(value, op):
    """Python numbers stay Python numbers, so NumPy applies them in the tensor's own dtype
    (``as_array`` would round them to float32 first, wrong for a float64 tensor)."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    if isinstance(value, (str, bytes, dict)):
        raise TypeError(f"expected a number or a tensor, got {type(value).__name__}")
    return as_array(value)


class _Size(int):
    """An element count that, called, answers with the shape (see ``Tensor.size``)."""

    def __new__(cls, shape, count):
        size = int.__new__(cls, count)
        size.shape = shape
        return size

    def __call__(self, dim=None):
        return self.shape if dim is None else self.shape[dim]


class _HookHandle:
    def __init__(self, hooks, hook):
        self._hooks = hooks
        self._hook = hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


# The argument helpers and the op families import Tensor, so they come after it.
from .arguments import as_array, dim_arg, index_arg, keepdim_arg, shape_arg  # noqa: E402
from . import comparison, elementwise, indexing, linalg, random, reductions, sorting  # noqa: E402
from . import shape as shape_ops  # noqa: E402

# Methods that are the op families' functions, as in PyTorch: x.log2() is log2(x).
Tensor.add = elementwise.add
Tensor.sub = Tensor.subtract = elementwise.sub
Tensor.div = Tensor.divide = Tensor.true_divide = elementwise.div
Tensor.floor_divide = elementwise.floor_divide
Tensor.remainder = elementwise.remainder
Tensor.log2 = elementwise.log2
Tensor.log10 = elementwise.log10
Tensor.log1p = elementwise.log1p
Tensor.expm1 = elementwise.expm1
Tensor.exp2 = elementwise.exp2
Tensor.rsqrt = elementwise.rsqrt
Tensor.reciprocal = elementwise.reciprocal
Tensor.square = elementwise.square
Tensor.sign = elementwise.sign
Tensor.floor = elementwise.floor
Tensor.ceil = elementwise.ceil
Tensor.round = elementwise.round
Tensor.trunc = Tensor.fix = elementwise.trunc
Tensor.frac = elementwise.frac
Tensor.tan = elementwise.tan
Tensor.asin = Tensor.arcsin = elementwise.asin
Tensor.acos = Tensor.arccos = elementwise.acos
Tensor.atan = Tensor.arctan = elementwise.atan
Tensor.sinh = elementwise.sinh
Tensor.cosh = elementwise.cosh
Tensor.asinh = Tensor.arcsinh = elementwise.asinh
Tensor.atan2 = Tensor.arctan2 = elementwise.atan2
Tensor.hypot = elementwise.hypot
Tensor.lerp = elementwise.lerp
Tensor.nan_to_num = elementwise.nan_to_num
Tensor.clamp_min = elementwise.clamp_min
Tensor.clamp_max = elementwise.clamp_max

Tensor.prod = reductions.prod
Tensor.cumsum = reductions.cumsum
Tensor.cumprod = reductions.cumprod
Tensor.amax = reductions.amax
Tensor.amin = reductions.amin
Tensor.aminmax = reductions.aminmax
Tensor.count_nonzero = reductions.count_nonzero
Tensor.norm = reductions.norm
Tensor.dist = reductions.dist
Tensor.sort = sorting.sort
Tensor.argsort = sorting.argsort
Tensor.msort = sorting.msort
Tensor.topk = sorting.topk
Tensor.kthvalue = sorting.kthvalue
Tensor.median = sorting.median
Tensor.nanmedian = sorting.nanmedian
Tensor.mode = sorting.mode
Tensor.unique = sorting.unique

Tensor.mm = linalg.mm
Tensor.bmm = linalg.bmm
Tensor.mv = linalg.mv
Tensor.dot = Tensor.vdot = linalg.dot
Tensor.inner = linalg.inner
Tensor.outer = Tensor.ger = linalg.outer
Tensor.addmm = linalg.addmm
Tensor.diag = linalg.diag
Tensor.diag_embed = linalg.diag_embed
Tensor.diagonal = linalg.diagonal
Tensor.trace = linalg.trace
Tensor.tril = linalg.tril
Tensor.triu = linalg.triu
Tensor.kron = linalg.kron
Tensor.det = linalg.det
Tensor.inverse = linalg.inv

Tensor.gather = indexing.gather
Tensor.scatter = indexing.scatter
Tensor.scatter_add = indexing.scatter_add
Tensor.index_select = indexing.index_select
Tensor.index_add = indexing.index_add
Tensor.masked_fill = indexing.masked_fill
Tensor.masked_select = indexing.masked_select
Tensor.take = indexing.take_flat
Tensor.nonzero = indexing.nonzero
Tensor.argwhere = indexing.argwhere

Tensor.flip = shape_ops.flip
Tensor.fliplr = shape_ops.fliplr
Tensor.flipud = shape_ops.flipud
Tensor.roll = shape_ops.roll
Tensor.repeat = shape_ops.repeat
Tensor.tile = shape_ops.tile
Tensor.repeat_interleave = shape_ops.repeat_interleave
Tensor.chunk = shape_ops.chunk
Tensor.narrow = shape_ops.narrow
Tensor.select = shape_ops.select
Tensor.unbind = shape_ops.unbind
Tensor.movedim = Tensor.moveaxis = shape_ops.movedim
Tensor.swapdims = shape_ops.transpose
Tensor.t = shape_ops.t
Tensor.broadcast_to = shape_ops.broadcast_to

Tensor.any = comparison.any
Tensor.all = comparison.all
Tensor.isnan = comparison.isnan
Tensor.isinf = comparison.isinf
Tensor.isposinf = comparison.isposinf
Tensor.isneginf = comparison.isneginf
Tensor.isfinite = comparison.isfinite
Tensor.isclose = comparison.isclose
Tensor.allclose = comparison.allclose
Tensor.equal = comparison.equal
Tensor.logical_not = comparison.logical_not
Tensor.logical_and = comparison.logical_and
Tensor.logical_or = comparison.logical_or
Tensor.logical_xor = comparison.logical_xor

Tensor.uniform_ = random.uniform_
Tensor.normal_ = random.normal_
Tensor.random_ = random.random_
Tensor.bernoulli_ = random.bernoulli_
Tensor.bernoulli = random.bernoulli
Tensor.multinomial = random.multinomial
