"""A traced function as a pair of runnable Python functions, ``forward`` and
``backward``, and the source they were made from (see ``codegen``)."""
import builtins
import linecache
import sys

import numpy as np

from .codegen import Namer, Writer, live_ops
from .emitters import INTO
from .traced_graph import TracedGraph
from .tracer import VJP, WRITE


class Program:
    """The compiled forward and backward of one input signature.

    - ``source``: the code (``compiled.code`` shows it), valid Python on its own;
    - ``forward(*arrays)``: arrays of the inputs then of ``externals`` (read at call
      time) -> ``(outputs, slots)``;
    - ``backward(*grads, *slots, **buffers)``: one gradient per differentiable output
      -> one gradient (or None) per argument of ``forward``; a parameter's gradient made
      by an op that can write into a given array is written into its buffer
      (``grad_buffers()``), or into a new array when the buffer is not passed;
    - ``constants``: the arrays too large to write into the code, by name;
    - ``traced_graph``: the forward ops as a drawing shows them (``TracedGraph``).
    """

    def __init__(self, name, source, namespace, externals, differentiable, constants, traced_graph, buffers):
        self.name = name
        self.source = source
        self.forward = namespace["forward"]
        self.backward = namespace["backward"]
        self.externals = externals
        self.differentiable = differentiable
        self.constants = constants
        self.traced_graph = traced_graph
        self.buffers = buffers

    def grad_buffers(self):
        """The arrays the backward program writes the parameters' gradients into, by
        name: allocated once and used again on every call, except that a buffer held
        anywhere else (stored as a ``.grad``, a gradient returned by ``grad()`` or kept
        by a hook) is left to its holder and replaced by a new one, so that no array a
        user can see is ever written again."""
        buffers = self.buffers
        for name in buffers:
            # Two references are ours: the dict's and getrefcount's argument.
            if sys.getrefcount(buffers[name]) > 2:
                buffers[name] = np.empty_like(buffers[name])
        return buffers


def build(name, signature, inputs, outputs, forward_ops, backward_ops, grad_inputs, grads):
    """Assemble the ``Program`` of a trace. ``inputs``: the input values, in argument
    order; ``outputs``: the output values; ``grads``: value -> its gradient value."""
    namer = Namer()
    writer = Writer(namer)
    for value in inputs:
        namer.give(value, value.hint or f"x{value.index}")

    # Backward first: it decides which forward values are kept for it (the slots).
    made_backward = {seed for _, seed in grad_inputs}
    for op in backward_ops:
        made_backward.update(v for v in (op.outs if op.cls is VJP else [op.out]) if v is not None)
    wanted = {grads[v] for v in inputs + _externals(forward_ops) if v in grads}
    needed_backward = set(wanted)
    backward_ops = live_ops(backward_ops, needed_backward)
    slots = [v for v in _ordered(inputs, forward_ops, needed_backward) if v not in made_backward and v.kind != "constant"]

    needed_forward = set(outputs) | {v for v in slots}
    forward_ops = live_ops(forward_ops, needed_forward)
    externals = [v for v in _externals(forward_ops) if v in needed_forward or _written(v, forward_ops)]
    for value in externals:
        namer.give(value, f"{value.scope}_{value.hint}" if value.scope and value.hint else value.hint or value.scope or "param")
    _name_forward(namer, forward_ops)

    forward_of = {}
    for value, gradient in grads.items():
        forward_of.setdefault(gradient, value)
    for value, seed in grad_inputs:
        namer.give(seed, "d_" + namer.names[value])
    for op in backward_ops:
        for value in op.outs if op.cls is VJP else [op.out]:
            if value is None or value in namer.names:
                continue
            if value in forward_of and forward_of[value] in namer.names:
                namer.give(value, "d_" + namer.names[forward_of[value]])
            else:
                origin = namer.names.get(op.origin.out, op.origin.name) if op.origin is not None else "sum"
                namer.give(value, f"d_{origin}_{op.name}")

    forward_lines = []
    named_slots = set(slots) | set(outputs)
    for op in forward_ops:
        keep_node = op.node_value is not None and op.node_value in needed_backward
        forward_lines += writer.op_lines(op, keep_node, inline=op.out not in named_slots)
    buffered = _buffered(externals, grads, backward_ops)
    backward_lines = []
    for op in backward_ops:
        backward_lines += writer.op_lines(op, keep_node=False, inline=op.out not in wanted, into=op.out in buffered)

    text = writer.text
    params = [text(v) for v in inputs + externals]
    slot_names = [text(v) for v in slots]
    seeds = [text(seed) for _, seed in grad_inputs]
    buffer_names = [f"{text(g)}=None" for g in buffered]
    returned = [text(grads[v]) if v in grads else "None" for v in inputs + externals]
    forward_lines.append(f"return {_tuple([text(v) for v in outputs])}, {_tuple(slot_names)}")
    backward_lines.append(f"return {_tuple(returned)}")

    uses_kernels = any("kernel(" in line or "kernel_with_node(" in line or "vjp(" in line for line in forward_lines + backward_lines)
    head = [f'"""{name}, compiled by autograd_core.compile for {signature}."""', "import numpy as np"]
    if uses_kernels:
        head.append("from autograd_core.compile.kernels import kernel, kernel_with_node, vjp")
    if any("default_generator()" in line for line in forward_lines):
        head.append("from autograd_core.random import default_generator")
    class_imports = [f"from {cls.__module__} import {cls.__name__}" for cls in writer.classes.values()]
    notes = [f"# {n}: a {a.dtype.name} array of shape {a.shape}, in compiled.constants" for n, a in writer.constants.items()]
    body = (
        notes
        + ["", "", f"def forward({', '.join(params)}):"]
        + ["    " + line for line in forward_lines]
        + ["", "", f"def backward({', '.join(seeds + slot_names + (['*'] + buffer_names if buffer_names else []))}):"]
        + ["    " + line for line in (backward_lines if grad_inputs else ["return ()"])]
    )
    source = "\n".join(head + class_imports + body) + "\n"
    runnable = "\n".join(head + body) + "\n"
    filename = f"<compiled {name}>"
    linecache.cache[filename] = (len(runnable), None, runnable.splitlines(True), filename)
    namespace = {"__name__": filename, **writer.classes, **writer.constants}
    exec(builtins.compile(runnable, filename, "exec"), namespace)
    differentiable = [value for value, _ in grad_inputs]
    traced_graph = TracedGraph(forward_ops, inputs + externals, outputs)
    buffers = {text(g): np.empty(g.shape, g.dtype) for g in buffered}
    return Program(
        name, source, namespace, [v.tensor for v in externals], differentiable, dict(writer.constants), traced_graph, buffers
    )


def _buffered(externals, grads, backward_ops):
    """The parameters' gradients that get a buffer: made by an op of ``INTO``, with the
    parameter's shape (not 0-d: a scalar needs no buffer) and dtype."""
    made_by = {op.out: op for op in backward_ops if op.cls is not VJP}
    buffered = []
    for value in externals:
        gradient = grads.get(value)
        op = made_by.get(gradient)
        if op is None or op.cls not in INTO or gradient in buffered:
            continue
        if gradient.shape == value.shape != () and gradient.dtype == value.dtype:
            buffered.append(gradient)
    return buffered


def _tuple(names):
    return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"


def _externals(ops):
    found = {}
    for op in ops:
        _collect_externals(op.args, found)
        _collect_externals(op.attrs.values(), found)
    return list(found)


def _collect_externals(items, found):
    for item in items:
        if isinstance(item, (tuple, list)):
            _collect_externals(item, found)
        elif getattr(item, "kind", None) == "external":
            found[item] = None


def _written(value, ops):
    return any(op.cls is WRITE and op.args[0] is value for op in ops)


def _ordered(inputs, forward_ops, chosen):
    """The values of ``chosen`` that the forward program has, in the order it makes them."""
    order = list(inputs) + _externals(forward_ops)
    for op in forward_ops:
        order += [op.out, op.node_value, *op.extras]
    seen = set()
    return [v for v in order if v is not None and v in chosen and not (v in seen or seen.add(v))]


def _name_forward(namer, ops):
    per_scope = {}
    for op in ops:
        if op.cls is not WRITE:
            per_scope[op.scope] = per_scope.get(op.scope, 0) + 1
    for op in ops:
        if op.cls is WRITE:
            continue
        scope = op.scope.replace(".", "_")
        base = scope if scope and per_scope[op.scope] == 1 else f"{scope}_{op.name}" if scope else op.name
        namer.give(op.out, base)
        for i, extra in enumerate(op.extras, 1):
            namer.give(extra, f"{namer.names[op.out]}_extra{i}")
        if op.node_value is not None:
            namer.give(op.node_value, f"{namer.names[op.out]}_node")

