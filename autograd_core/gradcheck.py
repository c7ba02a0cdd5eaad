"""Checking gradients against central differences: (f(x + e) - f(x - e)) / 2e, whose
error is O(e^2). It costs one pair of forward passes per input element (O(W^2) for a
network with W weights, against backprop's O(W)), so use it on small inputs, in float64.
"""
import numpy as np

from .engine import grad
from .grad_mode import enable_grad, no_grad
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Raised when analytical and numerical derivatives disagree."""


def _outputs(func, inputs):
    out = func(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def _differentiable(inputs):
    chosen = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    if not chosen:
        raise ValueError("gradcheck: no input requires grad")
    for t in chosen:
        if t.dtype != np.float64:
            raise ValueError(
                f"gradcheck: inputs must be float64 for the check to be meaningful; got {t.dtype} "
                f"for an input of shape {tuple(t.shape)}"
            )
    return chosen


def _analytical(func, inputs, wrt):
    """Jacobian rows from backprop: one vector-Jacobian product per output element."""
    outputs = _outputs(func, inputs)
    jacobians = [np.zeros((sum(o.size for o in outputs), t.size)) for t in wrt]
    row = 0
    for o in outputs:
        for k in range(o.size):
            if o.requires_grad:
                seed = np.zeros(o.shape, dtype=o.dtype)
                seed.flat[k] = 1
                grads = grad([o], wrt, [Tensor(seed)], retain_graph=True, allow_unused=True)
                for j, g in enumerate(grads):
                    if g is not None:
                        jacobians[j][row] = g.data.ravel()
            row += 1
    return outputs, jacobians


def _numerical(func, inputs, wrt, eps):
    """Jacobian columns from central differences, one input element at a time."""
    jacobians = []
    with no_grad():
        for t in wrt:
            columns = []
            flat = t.data.reshape(-1)
            for i in range(t.size):
                original = flat[i]
                flat[i] = original + eps
                plus = np.concatenate([o.data.ravel() for o in _outputs(func, inputs)])
                flat[i] = original - eps
                minus = np.concatenate([o.data.ravel() for o in _outputs(func, inputs)])
                flat[i] = original
                columns.append((plus - minus) / (2 * eps))
            jacobians.append(np.stack(columns, axis=1) if columns else np.zeros((0, 0)))
    return jacobians


def _as_inputs(func, inputs, op):
    if not callable(func):
        raise TypeError(f"{op}: func must be callable, got {type(func).__name__}")
    if isinstance(inputs, Tensor):
        return (inputs,)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"{op}: inputs must be a Tensor or a tuple, got {type(inputs).__name__}")
    return tuple(inputs)


def gradcheck(func, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Compare backprop's derivatives of ``func(*inputs)`` with central differences.

    ``inputs`` is a Tensor or a tuple; the float64 tensors among them that require grad
    are checked. Returns True, or raises ``GradcheckError`` naming the worst element
    (or returns False if ``raise_exception=False``).
    """
    inputs = _as_inputs(func, inputs, "gradcheck")
    wrt = _differentiable(inputs)
    for t in wrt:
        if not t.data.flags.writeable or not t.data.flags.c_contiguous:
            t.data = np.ascontiguousarray(t.data).copy()
    outputs, analytical = _analytical(func, inputs, wrt)
    numerical = _numerical(func, inputs, wrt, eps)
    for j, (a, n) in enumerate(zip(analytical, numerical)):
        if a.size == 0:
            continue
        excess = np.abs(a - n) - (atol + rtol * np.abs(n))
        if np.all(excess <= 0) and np.all(np.isfinite(a) == np.isfinite(n)):
            continue
        bad = np.where(np.isfinite(a) == np.isfinite(n), excess, np.inf)
        row, col = (int(i) for i in np.unravel_index(np.argmax(bad), a.shape))
        element = tuple(int(i) for i in np.unravel_index(col, wrt[j].shape))
        message = (
            f"gradcheck: Jacobian mismatch for input {next(i for i, x in enumerate(inputs) if x is wrt[j])} "
            f"(shape {tuple(wrt[j].shape)}) at input element {element}, "
            f"output element {row}: backprop gave {a[row, col]:.10g}, central differences "
            f"gave {n[row, col]:.10g} (largest error {np.max(np.abs(a - n)):.3g})"
        )
        if raise_exception:
            raise GradcheckError(message)
        return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, seed=0):
    """Check second derivatives: gradcheck of the function that maps (inputs, v) to the
    vector-Jacobian product v^T J, computed by backprop with ``create_graph=True`` (the
    ops' ``backward``), after checking that it equals the one computed without a graph
    (their ``fast_backward``). ``grad_outputs`` (v) are random float64 tensors unless given."""
    inputs = _as_inputs(func, inputs, "gradgradcheck")
    wrt = _differentiable(inputs)
    outputs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(
            Tensor(rng.standard_normal(o.shape), requires_grad=True) for o in outputs if o.requires_grad
        )
    else:
        grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    n = len(inputs)

    def first_derivative(*args):
        with enable_grad():
            return _vector_jacobian(args, create_graph=True)

    def _vector_jacobian(args, create_graph):
        outs = [o for o in _outputs(func, args[:n]) if o.requires_grad]
        chosen = [a for a in args[:n] if isinstance(a, Tensor) and a.requires_grad]
        grads = grad(outs, chosen, list(args[n:]), create_graph=create_graph, allow_unused=True)
        return tuple(
            g if g is not None else Tensor(np.zeros(t.shape, dtype=t.dtype)) for g, t in zip(grads, chosen)
        )

    # The ops' Tensor backward (the definition, differentiated here) must give what their
    # fast_backward gives when no graph is built.
    args = inputs + tuple(grad_outputs)
    for j, (defined, fast) in enumerate(zip(first_derivative(*args), _vector_jacobian(args, create_graph=False))):
        if not np.allclose(defined.data, fast.data, atol=atol, rtol=rtol):
            message = (
                f"gradgradcheck: backward and fast_backward disagree on the gradient of input {j} "
                f"(largest difference {np.max(np.abs(defined.data - fast.data)):.3g})"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return gradcheck(first_derivative, args, eps, atol, rtol, raise_exception)
