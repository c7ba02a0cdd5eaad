"""Recording the backward pass of a traced function as a second program.

The engine's own walk (``engine.BackwardPass``) runs over the graph the trace built,
with the tracer capturing and ``create_graph=True`` (so that each node's ``backward``,
its definition in Tensor ops, runs rather than its array-level ``fast_backward``, and
gradients that reach a value by several paths are summed by a Tensor addition rather
than in place): every vector-Jacobian product and every sum is recorded as ordinary ops
on values of the forward program (which become the program's slots).

A backward that reads state the trace cannot see (a mask kept as a NumPy array, a
gradient computed in NumPy, as the fused recurrent steps do) is not captured: the op
then keeps its graph node at run time and the backward program calls the engine's
``node_vjp`` on it (a ``VJP`` step).
"""
import numpy as np

from ..engine import BackwardPass, node_vjp
from ..grad_mode import no_grad
from ..tensor import Tensor
from .tracer import VJP, Op, Value


class RecordingPass(BackwardPass):
    """``BackwardPass`` whose every step is recorded by ``tracer`` (see the module
    docstring); ``forward_ops`` are the recorded ops whose nodes make the graph."""

    def __init__(self, tracer, forward_ops, outputs, grad_outputs):
        super().__init__(outputs, grad_outputs, retain_graph=True, create_graph=True)
        self.tracer = tracer
        self.op_of = {op.node: op for op in forward_ops if op.node is not None}

    def vjp(self, node, grad):
        """Record ``node``'s vector-Jacobian product; fall back to a ``VJP`` step if it
        uses anything the trace does not know."""
        tracer = self.tracer
        op = self.op_of[node]
        if node._hooks:
            raise RuntimeError(
                f"compile: {tracer.fn_name} registers a gradient hook on a tensor it computes ({op.name}), "
                "which a replay would not call; register it on the compiled function's output instead"
            )
        ops = tracer.ops
        start = len(ops)
        tracer.impure = False
        with no_grad():  # the recorded ops are the graph of this pass: build no other
            input_grads = node_vjp(node, grad, create_graph=True)
        known = [g is None or tracer.value_of(g.data) is not None for g in input_grads]
        if not tracer.impure and all(known):
            for step in ops[start:]:
                step.origin = op
            return input_grads
        del ops[start:]
        op.needs = tuple(node.needs_input_grad)
        op.node_value = Value("node", hint=f"{op.name}_node", scope=op.scope)
        step = Op(VJP, [op.node_value, tracer.value_of(grad.data)], scope=op.scope)
        step.origin = op
        step.outs = [None if g is None else tracer.register(g.data, "op", scope=op.scope) for g in input_grads]
        ops.append(step)
        return input_grads


def record_backward(tracer, forward_ops, outputs):
    """The backward ops, the gradient inputs (one per differentiable output) and the
    gradient of every value that gets one. ``outputs`` are (value, tensor) pairs."""
    seeds = {}
    for value, tensor in outputs:
        if tensor.requires_grad and value not in seeds:
            seeds[value] = tracer.register(np.ones_like(tensor.data), "grad", hint=f"d_out{len(seeds)}")
    grad_inputs = list(seeds.items())
    # An output that is an input or external itself starts the pass at its stand-in.
    starts = {value: (value.leaf if value.leaf is not None else tensor) for value, tensor in outputs}
    ops = tracer.ops = []
    tracer.capturing = True
    try:
        with tracer, no_grad():
            walk = RecordingPass(
                tracer, forward_ops, [starts[v] for v in seeds], [Tensor._make(seed.array) for seed in seeds.values()]
            )
            grads = {}
            node = walk.next_node()
            while node is not None:
                run = walk.run_node(node)
                grads[walk.op_of[node].out] = tracer.value_of(run.grad.data)
                node = walk.next_node()
    finally:
        tracer.capturing = False
    for leaf, gradient in walk.leaf_grads():
        grads[tracer.boundary[leaf]] = tracer.value_of(gradient.data)
    return ops, grad_inputs, grads
