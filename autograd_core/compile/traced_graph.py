"""The ops inside a compiled call, as graph nodes a drawing can show in place of the one
node the call leaves in the graph (``draw_graph(..., expand_compiled=True)``).

A program keeps a ``TracedGraph``: for each differentiable op of its forward program, the
op's name, class, scope, hyper-parameters and where each input comes from (another op of
the program, or an argument of the compiled call), with no arrays of the trace kept
alive. ``expand(region)`` makes ``TracedNode``s of it for one call, whose inputs are that
call's own inputs.
"""
import numpy as np

from .tracer import VJP, WRITE, Value

#: Arrays up to this many elements are kept as hyper-parameters for a drawing's label.
SHOWN_ELEMENTS = 6


class TracedGraph:
    """``ops``: per op, ``(cls, scope, attrs, inputs, input_meta, output_meta)`` in
    forward order (a meta being ``(shape, dtype)``), an
    input being ``("op", j)``, ``("arg", k)`` (the k-th argument of the compiled call,
    inputs then parameters and buffers) or None; ``outputs``: per output, such a
    reference or None."""

    def __init__(self, forward_ops, arguments, outputs):
        position = {}
        arguments = {value: k for k, value in enumerate(arguments) if value.tensor.requires_grad}
        self.ops = []
        for op in forward_ops:
            if op.cls in (WRITE, VJP) or op.node is None:
                continue
            inputs = tuple(_reference(a, position, arguments) if isinstance(a, Value) else None for a in op.args)
            meta = tuple(None if ref is None else (a.shape, a.dtype) for ref, a in zip(inputs, op.args))
            position[op.out] = len(self.ops)
            attrs = {k: _shown(v) for k, v in op.attrs.items()}
            self.ops.append((op.cls, op.scope, attrs, inputs, meta, (op.out.shape, op.out.dtype)))
        self.outputs = [_reference(v, position, arguments) for v in outputs]


def _reference(value, position, arguments):
    if value in position:
        return ("op", position[value])
    if value in arguments:
        return ("arg", arguments[value])
    return None


class _ArrayOf:
    """An array too large for a label, by its shape."""

    def __init__(self, shape):
        self.shape = shape

    def __repr__(self):
        return f"array(shape={self.shape})"


def _shown(item):
    if isinstance(item, Value):
        array = np.asarray(item.array)
        return array.copy() if array.size <= SHOWN_ELEMENTS else _ArrayOf(array.shape)
    if isinstance(item, (tuple, list)):
        return type(item)(_shown(i) for i in item)
    return item


class TracedNode:
    """One op inside a compiled call, shaped like a graph node for drawing: ``name``,
    ``op_class``, ``scope``, ``attrs``, ``parents``, ``input_meta``, ``output()``;
    ``region`` is the call's node."""

    def __init__(self, name, op_class, scope, attrs, parents, input_meta, region, output=None):
        self.name = name
        self.op_class = op_class
        self.scope = scope
        self.attrs = attrs
        self.parents = parents
        self.input_meta = input_meta
        self.region = region
        self._output = output

    def output(self):
        """The call's output tensor for the op that makes it (if still alive), else None:
        the values inside a compiled call are not kept."""
        return self._output() if self._output is not None else None

    def __repr__(self):
        return f"<{self.name} in compiled {self.region.name}>"


def expand(region, scope):
    """The ``TracedNode``s of one compiled call ``region`` (a ``CompiledRegion`` node),
    in forward order, their scopes inside ``scope``; and the node standing for the
    call's output: the op that makes it, or, for several outputs, a node named after the
    function that gathers them."""
    program = region.program
    traced = program.traced_graph
    nodes = []

    def parent(ref):
        if ref is None:
            return None
        kind, index = ref
        return nodes[index] if kind == "op" else region.parents[index]

    for cls, op_scope, attrs, inputs, meta, _ in traced.ops:
        parents = tuple(parent(ref) for ref in inputs)
        meta = tuple(m if p is not None else None for p, m in zip(parents, meta))
        inner = f"{scope}.{op_scope}" if op_scope else scope
        nodes.append(TracedNode(cls.name, cls, inner, attrs, parents, meta, region))
    refs = [traced.outputs[i] for i in program.packed]
    if len(refs) == 1 and refs[0] is not None and refs[0][0] == "op":
        out = nodes[refs[0][1]]
        out._output = region._output
        return nodes, out
    parents = tuple(parent(ref) for ref in refs)
    meta = tuple(_meta(ref, traced, region) for ref in refs)
    out = TracedNode(region.name, type(region), region.scope, {}, parents, meta, region, region._output)
    return nodes, out


def _meta(ref, traced, region):
    if ref is None:
        return None
    kind, index = ref
    return traced.ops[index][5] if kind == "op" else region.input_meta[index]
