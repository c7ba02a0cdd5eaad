"""Linear algebra: matrix product, the fused dense layer, and einsum. The arithmetic is
BLAS's (through NumPy); the backward passes are matrix products too."""
import string

import numpy as np

from .arguments import as_tensor
from .function import Function

__all__ = ["einsum", "linear", "matmul"]


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


def matmul(input, other):
    """``input @ other`` with NumPy's rules (1-D operands promoted, batch dimensions broadcast)."""
    return MatMul.apply(as_tensor(input), other)


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


def einsum(equation, *operands):
    """Einstein summation, as ``torch.einsum(equation, *operands)``."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return Einsum.apply(*operands, equation=equation)
