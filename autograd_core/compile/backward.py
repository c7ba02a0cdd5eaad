"""Recording the backward pass of a traced function as a second program.

The forward ops are visited in reverse order (the reverse of a recording is a
topological order of its graph). For each node the engine's own step,
``engine.node_vjp``, runs on a gradient the tracer knows, with the tracer capturing and
``create_graph=True`` (so that the op's ``backward``, its definition in Tensor ops, runs
rather than its array-level ``fast_backward``): the vector-Jacobian product is recorded
as ordinary ops on values of the forward program (which become the program's slots).

A backward that reads state the trace cannot see (a mask kept as a NumPy array, a
gradient computed in NumPy, as the fused recurrent steps do) is not captured: the op
then keeps its graph node at run time and the backward program calls the engine's
``node_vjp`` on it (a ``VJP`` step). Gradients that reach a value by several paths are
summed with recorded additions.
"""
import numpy as np

from ..elementwise import Add
from ..engine import node_vjp
from ..grad_mode import no_grad
from ..tensor import Tensor
from .tracer import VJP, Op, Value


def record_backward(tracer, forward_ops, outputs):
    """The backward ops, the gradient inputs (one per differentiable output) and the
    gradient of every value that gets one. ``outputs`` are (value, tensor) pairs."""
    grads = {}
    grad_inputs = []
    for value, tensor in outputs:
        if tensor.requires_grad and value not in grads:
            seed = tracer.register(np.ones_like(tensor.data), "grad", hint=f"d_out{len(grad_inputs)}")
            grads[value] = seed
            grad_inputs.append((value, seed))
    ops = tracer.ops = []
    tracer.capturing = True
    try:
        with tracer, no_grad():
            for op in reversed(forward_ops):
                gradient = grads.get(op.out)
                if op.node is None or gradient is None:
                    continue
                results = _capture(tracer, ops, op, gradient)
                for target, result in zip(op.args, results):
                    if result is None or not isinstance(target, Value):
                        continue
                    if target in grads:
                        total = Add.apply(Tensor._make(grads[target].array), Tensor._make(result.array))
                        grads[target] = tracer.value_of(total.data)
                    else:
                        grads[target] = result
    finally:
        tracer.capturing = False
    return ops, grad_inputs, grads


def _capture(tracer, ops, op, gradient):
    """Record ``op``'s vector-Jacobian product; fall back to a ``VJP`` step if it uses
    anything the trace does not know."""
    start = len(ops)
    tracer.impure = False
    # create_graph: the node's ``backward`` in Tensor ops (recorded), not its array form.
    input_grads = node_vjp(op.node, Tensor._make(gradient.array), create_graph=True)
    results = [None if g is None else tracer.value_of(g.data) for g in input_grads]
    if not tracer.impure and all(r is not None or g is None for r, g in zip(results, input_grads)):
        for step in ops[start:]:
            step.origin = op
        return results
    del ops[start:]
    op.needs = tuple(op.node.needs_input_grad)
    op.node_value = Value("node", hint=f"{op.name}_node", scope=op.scope)
    step = Op(VJP, [op.node_value, gradient], scope=op.scope)
    step.origin = op
    step.outs = [None if g is None else tracer.register(g.data, "op", scope=op.scope) for g in input_grads]
    ops.append(step)
    return step.outs
