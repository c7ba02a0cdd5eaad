"""Linear algebra: matrix product, the fused dense layer, and einsum. The arithmetic is
BLAS's (through NumPy); the backward passes are matrix products too."""
import string

import numpy as np

from .arguments import as_tensor
from .function import Function
from .errors import names_errors

# torch.linalg's own names (norm, vector_norm, matrix_norm, inv, solve) are reached as
# ``autograd_core.linalg.norm`` etc.; ``autograd_core.norm`` is torch.norm (reductions).
__all__ = [
    "einsum", "linear", "matmul",
    "addmm", "bmm", "det", "diag", "diag_embed", "diagonal", "dot", "ger", "inner", "inverse", "kron", "mm", "mv",
    "outer", "trace", "tril", "triu", "vdot",
]


class MatMul(Function):
    """``a @ b`` with NumPy's rules: 1-D operands are promoted and batch dimensions broadcast."""

    name = "matmul"

    def forward(self, a, b):
        a, b = np.asarray(a), np.asarray(b)
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and {b.shape}")
        k_a = a.shape[-1]
        k_b = b.shape[-2] if b.ndim > 1 else b.shape[0]
        if k_a != k_b:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not align ({k_a} != {k_b})")
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise ValueError(
                f"matmul: shapes {a.shape} and {b.shape} have batch dimensions that do not broadcast"
            ) from None
        self.save_for_backward(a, b)
        return np.matmul(a, b)

    def backward(self, grad):
        return self.vjp(grad, *self.saved_tensors)

    def fast_backward(self, grad):
        return self.vjp(grad, *self.saved_arrays)

    def vjp(self, grad, a, b):
        """The gradients, from Tensors or arrays alike (both have these methods)."""
        a2 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
        b2 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
        # Put back the dimensions that 1-D operands dropped from the output.
        if a.ndim == 1:
            grad = grad.reshape(grad.shape[:-1] + (1,) + grad.shape[-1:]) if b.ndim > 1 else grad.reshape(1)
        if b.ndim == 1:
            grad = grad.reshape(grad.shape + (1,))
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            grad_a = grad @ b2.swapaxes(-1, -2)
            if a.ndim == 1:
                grad_a = grad_a.reshape(grad_a.shape[:-2] + grad_a.shape[-1:])
        if self.needs_input_grad[1]:
            grad_b = a2.swapaxes(-1, -2) @ grad
            if b.ndim == 1:
                grad_b = grad_b.reshape(grad_b.shape[:-1])
        return grad_a, grad_b


class Linear(Function):
    """The dense layer ``x @ weight.T + bias`` in one op (weight is (out, in), as in
    PyTorch): one BLAS call forward, two backward, and no intermediate tensors."""

    def forward(self, x, weight, bias=None):
        if x.ndim == 0 or x.shape[-1] != weight.shape[-1]:
            raise ValueError(
                f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape} "
                f"(expected last dimension {weight.shape[-1]})"
            )
        self.save_for_backward(x, weight)
        out = x @ weight.T
        if bias is not None:
            out += bias
        return out

    def backward(self, grad):
        return self.vjp(grad, *self.saved_tensors)

    def fast_backward(self, grad):
        return self.vjp(grad, *self.saved_arrays)

    def vjp(self, grad, x, weight):
        """The gradients, from Tensors or arrays alike."""
        needed = self.needs_input_grad
        grad_x = grad @ weight if needed[0] else None
        grad_w = grad_b = None
        flat_grad = grad.reshape(-1, grad.shape[-1])
        if needed[1]:
            grad_w = flat_grad.T @ x.reshape(-1, x.shape[-1])
        if len(needed) > 2 and needed[2]:
            grad_b = flat_grad.sum(axis=0)
        return (grad_x, grad_w, grad_b)[: len(needed)]


@names_errors
def matmul(input, other):
    """``input @ other`` with NumPy's rules (1-D operands promoted, batch dimensions broadcast)."""
    return MatMul.apply(as_tensor(input), other)


@names_errors
def linear(x, weight, bias=None):
    """``x @ weight.T + bias`` as one op."""
    if bias is None:
        return Linear.apply(x, weight)
    return Linear.apply(x, weight, bias)


class Einsum(Function):
    """``numpy.einsum`` with explicit or implicit output; the gradient of each operand is
    the einsum of the output gradient with the other operands."""

    def forward(self, *operands, equation):
        inputs, output = _parse_einsum(equation, operands)
        self.save_for_backward(*operands, letters=(inputs, output))
        spec = ",".join(inputs) + "->" + output
        return np.einsum(spec, *operands, optimize=len(operands) > 2)

    def backward(self, grad):
        operands = self.saved_tensors
        inputs, output_letters = self.saved.letters
        sizes = {}
        for letters, operand in zip(inputs, operands):
            sizes.update(zip(letters, operand.shape))
        grads = []
        for i, letters in enumerate(inputs):
            if not self.needs_input_grad[i]:
                grads.append(None)
                continue
            # A repeated letter ('ii') reads a diagonal: get the gradient of the diagonal first.
            distinct = "".join(dict.fromkeys(letters))
            others = [output_letters] + [s for j, s in enumerate(inputs) if j != i]
            available = set("".join(others))
            # Letters only this operand has were summed away: broadcast the gradient back.
            reachable = "".join(c for c in distinct if c in available)
            spec = ",".join(others) + "->" + reachable
            g = einsum(spec, grad, *[o for j, o in enumerate(operands) if j != i])
            if reachable != distinct:
                g = g.reshape([sizes[c] if c in available else 1 for c in distinct])
                g = g.expand([sizes[c] for c in distinct])
            if distinct != letters:
                g = _onto_diagonals(g, distinct, letters, sizes)
            grads.append(g)
        return tuple(grads)


def _onto_diagonals(grad, distinct, letters, sizes):
    """The adjoint of reading a diagonal: ``grad`` (indexed by ``distinct``) placed on the
    diagonals that the repeated letters of ``letters`` read, zero elsewhere. Each repeat
    gets a fresh letter tied to the first by an identity matrix (a constant)."""
    spare = iter(c for c in string.ascii_letters if c not in letters)
    seen = set()
    target = ""
    ties = []
    for c in letters:
        if c in seen:
            fresh = next(spare)
            ties.append(c + fresh)
            c = fresh
        seen.add(c)
        target += c
    identities = [np.eye(sizes[tie[0]], dtype=grad.dtype) for tie in ties]
    return einsum(",".join([distinct] + ties) + "->" + target, grad, *identities)


def _parse_einsum(equation, operands):
    """Split an einsum equation into per-operand letters and output letters, with '...'
    replaced by explicit letters so the backward pass can rearrange them."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(operands):
        raise ValueError(f"einsum: equation {equation!r} names {len(inputs)} operands, got {len(operands)}")
    unused = [c for c in string.ascii_letters if c not in equation]
    ellipsis_dims = 0
    for letters, operand in zip(inputs, operands):
        if "..." in letters:
            ellipsis_dims = max(ellipsis_dims, np.ndim(operand) - len(letters.replace("...", "")))
    fill = "".join(unused[:ellipsis_dims])
    expanded = []
    for letters, operand in zip(inputs, operands):
        if "..." in letters:
            n = np.ndim(operand) - len(letters.replace("...", ""))
            letters = letters.replace("...", fill[ellipsis_dims - n :])
        if len(letters) != np.ndim(operand):
            raise ValueError(
                f"einsum: subscripts {letters!r} do not match an operand of shape {np.shape(operand)}"
            )
        expanded.append(letters)
    if arrow:
        output = rhs.replace("...", fill)
    else:
        counts = {}
        for c in "".join(expanded):
            counts[c] = counts.get(c, 0) + 1
        output = fill + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in fill))
    return expanded, output


@names_errors
def einsum(equation, *operands):
    """Einstein summation, as ``torch.einsum(equation, *operands)``."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return Einsum.apply(*operands, equation=equation)


# -- products by name, diagonals and triangles --------------------------------------------
def _require_ndim(op, **operands):
    for name, (x, ndims) in operands.items():
        if np.ndim(x) not in ndims:
            want = " or ".join(f"{n}-D" for n in ndims)
            raise ValueError(f"{op}: {name} must be {want}, got shape {tuple(np.shape(x))}")


@names_errors
def mm(input, mat2):
    """The product of two matrices."""
    _require_ndim("mm", input=(input, (2,)), mat2=(mat2, (2,)))
    return MatMul.apply(input, mat2)


@names_errors
def bmm(input, mat2):
    """Batched matrix products: (b, n, m) @ (b, m, p) -> (b, n, p)."""
    _require_ndim("bmm", input=(input, (3,)), mat2=(mat2, (3,)))
    if input.shape[0] != mat2.shape[0]:
        raise ValueError(f"bmm: batch sizes differ, shapes {tuple(input.shape)} and {tuple(mat2.shape)}")
    return MatMul.apply(input, mat2)


@names_errors
def mv(input, vec):
    """Matrix times vector."""
    _require_ndim("mv", input=(input, (2,)), vec=(vec, (1,)))
    return MatMul.apply(input, vec)


@names_errors
def dot(input, tensor):
    """The inner product of two vectors of equal length."""
    _require_ndim("dot", input=(input, (1,)), tensor=(tensor, (1,)))
    return MatMul.apply(input, tensor)


vdot = dot


@names_errors
def inner(input, other):
    """Sum of products over the last dimension of both: shape input.shape[:-1] + other.shape[:-1]."""
    if np.ndim(input) == 0 or np.ndim(other) == 0:
        return input * other
    a = string.ascii_lowercase[: np.ndim(input) - 1]
    b = string.ascii_uppercase[: np.ndim(other) - 1]
    return einsum(f"{a}z,{b}z->{a}{b}", input, other)


@names_errors
def outer(input, vec2):
    """The outer product of two vectors: out[i, j] = input[i] * vec2[j]."""
    _require_ndim("outer", input=(input, (1,)), vec2=(vec2, (1,)))
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


@names_errors
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2); with beta = 0, input is ignored (even NaN)."""
    product = mm(mat1, mat2)
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        return product
    return product + (input if beta == 1 else input * beta)


def _diagonal_index(rows, cols, offset):
    length = max(min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols), 0)
    i = np.arange(length)
    return (i, i + offset) if offset >= 0 else (i - offset, i)


@names_errors
def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal of the matrices in ``dim1`` and ``dim2``, as a last dimension."""
    moved = input.movedim((dim1, dim2), (-2, -1))
    rows, cols = _diagonal_index(moved.shape[-2], moved.shape[-1], offset)
    return moved[..., rows, cols]


@names_errors
def diag(input, diagonal=0):
    """A 1-D input put on a diagonal of a square matrix; a 2-D input's diagonal as 1-D."""
    from .indexing import IndexAdd

    _require_ndim("diag", input=(input, (1, 2)))
    if input.ndim == 2:
        rows, cols = _diagonal_index(input.shape[0], input.shape[1], diagonal)
        return input[rows, cols]
    n = input.shape[0] + abs(diagonal)
    place = _diagonal_index(n, n, diagonal)
    return IndexAdd.apply(input, index=place, shape=(n, n))


@names_errors
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """The last dimension of ``input`` put on diagonals of new matrices (in dim1, dim2)."""
    from .indexing import IndexAdd

    n = input.shape[-1] + abs(offset)
    rows, cols = _diagonal_index(n, n, offset)
    out = IndexAdd.apply(input, index=(Ellipsis, rows, cols), shape=tuple(input.shape[:-1]) + (n, n))
    return out.movedim((-2, -1), (dim1, dim2))


@names_errors
def trace(input):
    """The sum of a matrix's diagonal."""
    _require_ndim("trace", input=(input, (2,)))
    return diagonal(input).sum()


def _triangle(input, keep, op):
    from .elementwise import where

    if input.ndim < 2:
        raise ValueError(f"{op}: needs a matrix (at least 2-D), got shape {tuple(input.shape)}")
    return where(keep, input, np.zeros((), dtype=input.dtype))


@names_errors
def tril(input, diagonal=0):
    """The lower triangle (on and below ``diagonal``) of the last two dimensions; zeros above."""
    rows, cols = input.shape[-2:] if input.ndim >= 2 else (0, 0)
    return _triangle(input, np.tri(rows, cols, diagonal, dtype=bool), "tril")


@names_errors
def triu(input, diagonal=0):
    """The upper triangle (on and above ``diagonal``); zeros below."""
    rows, cols = input.shape[-2:] if input.ndim >= 2 else (0, 0)
    return _triangle(input, ~np.tri(rows, cols, diagonal - 1, dtype=bool), "triu")


@names_errors
def kron(input, other):
    """The Kronecker product: blocks input[i, j] * other."""
    ndim = max(input.ndim, other.ndim)
    a_shape = (1,) * (ndim - input.ndim) + tuple(input.shape)
    b_shape = (1,) * (ndim - other.ndim) + tuple(other.shape)
    # Dimension k of a pairs with dimension k of b: (a_k, 1) * (1, b_k), merged into a_k * b_k.
    a = input.reshape(tuple(x for n in a_shape for x in (n, 1)))
    b = other.reshape(tuple(x for n in b_shape for x in (1, n)))
    return (a * b).reshape(tuple(m * n for m, n in zip(a_shape, b_shape)))


# -- torch.linalg: norms, determinant, inverse, solve -------------------------------------
class VectorNorm(Function):
    """(sum |x|^p)^(1/p) over ``dim``, for finite p != 0. The gradient is
    g sign(x) |x|^(p-1) / out^(p-1), taken as 0 where the norm is 0 (a subgradient)."""

    def forward(self, x, *, ord, dim, keepdim):
        from .arguments import normalize_dims

        axes = normalize_dims(dim, x.ndim, "vector_norm")
        magnitude = np.abs(x)
        if ord == 1:
            out = magnitude.sum(axis=axes, keepdims=True)
        elif ord == 2:
            out = np.sqrt((magnitude * magnitude).sum(axis=axes, keepdims=True))
        else:
            out = (magnitude**ord).sum(axis=axes, keepdims=True) ** (1.0 / ord)
        if not keepdim:
            out = out.reshape([s for i, s in enumerate(x.shape) if i not in axes])
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):
        from .elementwise import where
        from .arguments import normalize_dims
        from .reductions import _kept_shape

        x, out = self.saved_tensors
        ord, dim, keepdim = self.attrs["ord"], self.attrs["dim"], self.attrs["keepdim"]
        axes = normalize_dims(dim, x.ndim, "vector_norm")
        if not keepdim:
            grad = grad.reshape(_kept_shape(x.shape, axes))
            out = out.reshape(_kept_shape(x.shape, axes))
        if ord == 1:
            return grad * np.sign(x.data)
        zero = out.data == 0
        safe = where(zero, 1.0, out)
        if ord == 2:
            return where(zero, 0.0, grad / safe) * x
        scale = where(zero, 0.0, grad / safe ** (ord - 1))
        return scale * np.sign(x.data) * x.abs() ** (ord - 1)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """``torch.linalg.vector_norm``: (sum |x|^ord)^(1/ord) over ``dim`` (all elements by
    default); ord inf/-inf is the largest/smallest |x|, ord 0 the count of non-zeros."""
    from .reductions import _reduction_dims

    if dtype is not None:
        x = x.to(dtype)
    if x.dtype.kind not in "fc":
        raise TypeError(f"vector_norm: expected a floating-point tensor, got {x.dtype}")
    dim = _reduction_dims(dim)
    if ord == float("inf"):
        return x.abs().amax(dim, keepdim)
    if ord == -float("inf"):
        return x.abs().amin(dim, keepdim)
    if ord == 0:
        return (x != 0).to(x.dtype).sum(dim, keepdim)
    return VectorNorm.apply(x, ord=ord, dim=dim, keepdim=keepdim)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """``torch.linalg.matrix_norm`` for ord 'fro', 1, -1, inf and -inf (largest/smallest
    column or row sum of |A|)."""
    if dtype is not None:
        A = A.to(dtype)
    if A.ndim < 2:
        raise ValueError(f"matrix_norm: needs at least 2 dimensions, got shape {tuple(A.shape)}")
    rows, cols = (d % A.ndim for d in dim)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    inf = float("inf")
    if ord not in (1, -1, inf, -inf):
        raise ValueError(f"matrix_norm: ord must be 'fro', 1, -1, inf or -inf, got {ord!r}")
    summed, other = (rows, cols) if ord in (1, -1) else (cols, rows)
    sums = A.abs().sum(summed, keepdim=True)
    out = sums.amax(other, keepdim=True) if ord > 0 else sums.amin(other, keepdim=True)
    return out if keepdim else out.squeeze((rows, cols))


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """``torch.linalg.norm``: a vector norm for 1-D ``dim`` (or any input with ord None),
    a matrix norm for 2-D ``dim`` (or a 2-D input with a given ord)."""
    if isinstance(dim, int):
        dim = (dim,)
    if ord is None:
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if dim is None:
        if A.ndim == 2:
            return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
        if A.ndim != 1:
            raise ValueError(f"norm: ord {ord!r} needs a 1-D or 2-D input or dim, got shape {tuple(A.shape)}")
        dim = (0,)
    if len(dim) == 2:
        return matrix_norm(A, ord, dim, keepdim, dtype=dtype)
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)


class Inv(Function):
    """The inverse of square matrices; d(A^-1) = -A^-1 dA A^-1, so grad_A = -X^T g X^T."""

    def forward(self, A):
        _square("inv", A)
        out = np.linalg.inv(A)
        self.save_for_backward(out)
        return out

    def backward(self, grad):
        (out,) = self.saved_tensors
        inverse_t = out.mT
        return -(inverse_t @ grad @ inverse_t)


class Det(Function):
    """The determinant; its gradient is det(A) A^-T (square, invertible A)."""

    def forward(self, A):
        _square("det", A)
        out = np.linalg.det(A)
        self.save_for_backward(A, out)
        return out

    def backward(self, grad):
        A, out = self.saved_tensors
        return (grad * out).unsqueeze(-1).unsqueeze(-1) * inv(A).mT


class Solve(Function):
    """X with A X = B; grad_B = A^-T g, grad_A = -grad_B X^T."""

    def forward(self, A, B):
        _square("solve", A)
        if B.ndim < 2 or B.shape[-2] != A.shape[-1]:
            raise ValueError(f"solve: B of shape {B.shape} does not fit A of shape {A.shape}")
        out = np.linalg.solve(A, B)
        self.save_for_backward(A, out)
        return out

    def backward(self, grad):
        A, out = self.saved_tensors
        grad_b = solve(A.mT, grad)
        grad_a = -(grad_b @ out.mT) if self.needs_input_grad[0] else None
        return grad_a, grad_b


def _square(op, A):
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise ValueError(f"{op}: expected square matrices, got shape {A.shape}")


@names_errors
def inv(A):
    """``torch.linalg.inv``: the inverse of (a batch of) square matrices."""
    return Inv.apply(A)


inverse = inv


@names_errors
def det(A):
    """``torch.linalg.det``: the determinant of (a batch of) square matrices."""
    return Det.apply(A)


def solve(A, B, *, left=True):
    """``torch.linalg.solve``: X with A X = B (or X A = B with ``left=False``); a 1-D B is
    a vector."""
    if not left:
        return solve(A.mT, B.mT).mT
    if B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1])):
        return Solve.apply(A, B.unsqueeze(-1)).squeeze(-1)
    return Solve.apply(A, B)
