"""Writing a traced program as Python source: one line per op, a short comment each,
variables named after the tensors, parameters and module scopes they come from.

``generate`` removes what no output needs (dead code), decides which forward values the
backward program reads (its slots) and writes two functions::

    def forward(x, fc1_weight, fc1_bias, ...):   # inputs, then parameters and buffers
        ...
        return (outputs...), (slots...)

    def backward(d_out0, slots..., *, d_fc1_weight=None, ...):
        ...
        d_fc1_weight = np.matmul(d_fc1.T, x, out=d_fc1_weight)
        return (one gradient or None per argument of forward)

A parameter's gradient made by an op that can write into a given array is written into
the buffer passed for it (``Program.grad_buffers``), or into a new array without one.

Small constant arrays are written out; larger ones are globals of the program, listed in
a comment and kept in ``constants``.
"""
import keyword
import math
import re

import numpy as np

from .. import shape
from .emitters import EMITTERS, INTO
from .tracer import VJP, WRITE, Value

#: Constant arrays up to this many elements are written into the code.
INLINE_ELEMENTS = 16
RESERVED = {"np", "kernel", "kernel_with_node", "vjp", "default_generator", "slots"}


class Namer:
    """Gives every value a unique Python name."""

    def __init__(self):
        self.used = set(RESERVED)
        self.names = {}
        # Per base, the suffix to try next: every smaller one is taken (names are never
        # given back), so a trace with 10,000 ``mul`` ops costs no 10,000-long search each.
        self._next = {}

    def give(self, value, base):
        base = re.sub(r"\W+", "_", base).strip("_") or "t"
        if base[0].isdigit():
            base = "layer" + base
        if keyword.iskeyword(base):
            base += "_"
        name, n = base, self._next.get(base, 1)
        if n > 1:
            name = f"{base}_{n}"
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self._next[base] = n
        self.used.add(name)
        self.names[value] = name
        return name


class _OpView:
    """What an emitter may ask about the op it writes."""

    def __init__(self, op, writer):
        self.shapes = [np.shape(a.array) if isinstance(a, Value) else np.shape(a) for a in op.args]
        self.out_shape = op.out.shape if op.out is not None else None
        self.text = writer.text


class Writer:
    """Turns recorded ops into lines of source (see the module docstring)."""

    def __init__(self, namer):
        self.namer = namer
        self.constants = {}
        self.classes = {}

    def text(self, item):
        """``item`` (a value, or a Python literal) as Python source."""
        if isinstance(item, Value):
            if item not in self.namer.names:
                self._constant(item)
            return self.namer.names[item]
        if isinstance(item, np.dtype):
            return f"np.dtype({item.name!r})"
        if isinstance(item, type) and issubclass(item, np.generic):
            return f"np.{item.__name__}"
        if isinstance(item, np.ufunc) or (callable(item) and getattr(np, getattr(item, "__name__", ""), None) is item):
            return f"np.{item.__name__}"
        if isinstance(item, np.integer):
            return repr(int(item))  # dimensions and sizes: plain ints read better
        if isinstance(item, np.generic):
            return f"np.{type(item).__name__}({self.text(item.item())})"
        if isinstance(item, float) and not math.isfinite(item):
            return f"float({str(item)!r})"
        if isinstance(item, slice):
            return f"slice({self.text(item.start)}, {self.text(item.stop)}, {self.text(item.step)})"
        if item is Ellipsis:
            return "..."
        if isinstance(item, tuple):
            inner = ", ".join(self.text(i) for i in item)
            return f"({inner},)" if len(item) == 1 else f"({inner})"
        if isinstance(item, list):
            return "[" + ", ".join(self.text(i) for i in item) + "]"
        if isinstance(item, (int, float, bool, str, type(None))):
            return repr(item)
        raise TypeError(f"compile: cannot write the argument {item!r} of type {type(item).__name__} as code")

    def _constant(self, value):
        array = np.asarray(value.array)
        if array.size <= INLINE_ELEMENTS and array.dtype.kind in "biuf":
            literal = np.array2string(array, separator=", ", threshold=INLINE_ELEMENTS + 1, floatmode="unique")
            self.namer.names[value] = f"np.array({' '.join(literal.split())}, dtype=np.{array.dtype.name})"
            return
        name = self.namer.give(value, f"c{len(self.constants)}")
        self.constants[name] = array

    def class_name(self, cls):
        self.classes[cls.__name__] = cls
        return cls.__name__

    def op_lines(self, op, keep_node, inline=False, into=False):
        """The lines computing ``op`` (a forward or backward step); with ``inline``, a
        transpose is written into the lines that use it instead (not for slots, which
        need a name); with ``into`` (an op of ``emitters.INTO``), the result is written
        into the array its variable holds when the program starts, if any."""
        if op.cls is WRITE:
            target, source = op.args
            return [f"np.copyto({self.text(target)}, {self.text(source)}, casting='unsafe')  # write {target.hint or 'buffer'}"]
        if op.cls is VJP:
            node, grad = op.args
            outs = ", ".join("_" if v is None else self.namer.names[v] for v in op.outs)
            return [f"{outs}, = vjp({self.text(node)}, {self.text(grad)})  # {op.origin.name}'s backward, by the engine"]
        if _is_identity(op):
            self.namer.names[op.out] = self.text(op.args[0])  # no line: the same array
            return []
        if op.cls is shape.Permute and len(op.out.shape) == 2 and tuple(op.attrs["dims"]) == (1, 0) and inline:
            self.namer.names[op.out] = self.text(op.args[0]) + ".T"  # written where it is used
            return []
        out = self.namer.names[op.out]
        args = [self.text(a) for a in op.args]
        comment = f"  # {_describe(op)}"
        if into:
            return [f"{out} = {INTO[op.cls](args, op.attrs, _OpView(op, self), out)}{comment}, into its buffer"]
        emitter = EMITTERS.get(op.cls)
        if keep_node or emitter is None or op.extras:
            attrs = "".join(f", {k}={self.text(v)}" for k, v in op.attrs.items())
            call_args = ", ".join([self.class_name(op.cls)] + args)
            made = ", ".join([out] + [self.namer.names.get(e, "_") for e in op.extras])
            if keep_node:
                node = self.namer.names[op.node_value]
                return [f"{made}, {node} = kernel_with_node({call_args}, needs={op.needs!r}{attrs}){comment}"]
            return [f"{made}{',' if op.extras else ''} = kernel({call_args}{attrs}){comment}"]
        written = emitter(args, op.attrs, _OpView(op, self))
        if isinstance(written, str):
            return [f"{out} = {written}{comment}"]
        lines = [line.format(out=out) for line in written]
        lines[-1] += comment
        return lines


def _is_identity(op):
    """A reshape or expand to the shape the array already has."""
    if op.cls not in (shape.Reshape, shape.Expand) or not isinstance(op.args[0], Value):
        return False
    return op.args[0].shape == op.out.shape


def _describe(op):
    shape = op.out.shape
    dims = "scalar" if not shape else "x".join(str(s) for s in shape)
    where = f"{op.scope}: " if op.scope else ""
    return f"{where}{op.name} -> {dims}"


def live_ops(ops, needed):
    """The ops some value in ``needed`` depends on (``needed`` grows with their inputs),
    in their original order; writes are always kept."""
    kept = []
    for op in reversed(ops):
        made = op.outs if op.cls is VJP else [op.out, op.node_value, *op.extras]
        if op.cls is WRITE or any(v is not None and v in needed for v in made):
            kept.append(op)
            _mark(op.args, needed)
            _mark(op.attrs.values(), needed)
    kept.reverse()
    return kept


def _mark(items, needed):
    for item in items:
        if isinstance(item, Value):
            needed.add(item)
        elif isinstance(item, (tuple, list)):
            _mark(item, needed)
