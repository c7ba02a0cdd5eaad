"""Recording what a function does with tensors, as a list of ops on values.

While a ``Tracer`` is active, ``Function.apply`` hands every op to it: the op runs as
usual (so the trace computes real numbers and builds the real graph), and the tracer
notes the op's class, its arguments and hyper-parameters, the value it made and the
scope it ran in. Values are known by the identity of their arrays:

- an array made by a recorded op is that op's output;
- a function input's array is an input of the program;
- a Tensor met for the first time (a parameter, a buffer) is *external*: the program
  reads its ``.data`` each time it runs, so optimizer updates are seen;
- a NumPy array met for the first time is a constant of the trace.

Ops of the trace read inputs and externals through a stand-in: a leaf Tensor on the same
array (``Value.leaf``). So the graph the trace builds begins at the function's own
boundary, and the backward pass recorded over it (``backward``) never walks into the
graph that made an input or a parameter outside the function.

What a trace cannot replay is refused with the user's line: reading a tensor's value
into Python (``.item()``, ``if t > 0:``), which would fix one branch for every later
call, and in-place changes other than ``copy_`` (whose writes the program replays).
"""
import linecache
import os
import sys

import numpy as np

from ..function import Function
from ..scope import current_scope
from ..tensor import Tensor

# The package rebinds the names ``function`` and ``tensor`` to functions; the modules:
function_module = sys.modules[Function.__module__]
tensor_module = sys.modules[Tensor.__module__]

_ENGINE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class Value:
    """One array of the program: ``kind`` is "input", "external", "constant", "op",
    "grad" (a gradient given to the backward program) or "node" (a graph node kept by
    an op that runs through the engine). An input or external has a ``leaf``: the
    stand-in the trace's ops read in place of its ``tensor``."""

    __slots__ = ("kind", "array", "tensor", "index", "hint", "scope", "leaf")

    def __init__(self, kind, array=None, tensor=None, index=None, hint="", scope=""):
        self.kind = kind
        self.array = array
        self.tensor = tensor
        self.index = index
        self.hint = hint
        self.scope = scope
        self.leaf = Tensor._make(array, tensor.requires_grad) if kind in _BOUNDARY else None

    @property
    def shape(self):
        return np.shape(self.array)

    @property
    def dtype(self):
        return np.asarray(self.array).dtype


class Op:
    """One recorded step: ``cls`` applied to ``args`` with ``attrs``, making ``out``.

    Besides Function classes, ``cls`` may be ``WRITE`` (copy ``args[1]`` into the external
    ``args[0]``) or ``VJP`` (the engine's backward of the node ``args[0]`` given the
    gradient ``args[1]``, making one gradient per input in ``outs``)."""

    __slots__ = ("cls", "args", "attrs", "out", "outs", "extras", "node", "scope", "needs", "node_value", "origin")

    def __init__(self, cls, args, attrs=None, out=None, node=None, scope=""):
        self.cls = cls
        self.args = args
        self.attrs = attrs or {}
        self.out = out
        self.outs = None
        self.extras = ()
        self.node = node
        self.scope = scope
        self.needs = None
        self.node_value = None
        self.origin = None

    @property
    def name(self):
        return getattr(self.cls, "name", str(self.cls))


WRITE = "write"
VJP = "vjp"
_BOUNDARY = ("input", "external")


def user_line():
    """``file, line n: source`` of the innermost frame outside the engine."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_ENGINE):
        frame = frame.f_back
    if frame is None:
        return "an unknown line"
    source = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return f"{frame.f_code.co_filename}, line {frame.f_lineno}: {source}"


class Tracer:
    """Records ops while active (``with tracer:``); see the module docstring."""

    def __init__(self, fn_name):
        self.fn_name = fn_name
        self.by_array = {}
        #: The stand-in leaf of each input and external -> its value.
        self.boundary = {}
        self.keep = []
        self.ops = []
        self.capturing = False
        self.impure = False

    def __enter__(self):
        if function_module._tracer is not None:
            raise RuntimeError(f"compile: {self.fn_name}: cannot trace while another trace is running")
        function_module._tracer = tensor_module._tracer = self
        return self

    def __exit__(self, *exc):
        function_module._tracer = tensor_module._tracer = None
        return False

    # -- values ----------------------------------------------------------------------
    def register(self, array, kind, **details):
        value = Value(kind, array, **details)
        self.by_array[id(array)] = value
        if value.leaf is not None:
            self.boundary[value.leaf] = value
        self.keep.append(array)  # alive, so that no other array takes its id
        return value

    def value_of(self, array):
        return self.by_array.get(id(array))

    def _argument(self, item):
        if isinstance(item, Tensor):
            value = self.by_array.get(id(item.data))
            if value is None:
                if self.capturing:
                    self.impure = True
                    return item
                value = self.register(item.data, "external", tensor=item, hint=item.name or "", scope=current_scope())
            return value
        if isinstance(item, np.ndarray):
            value = self.by_array.get(id(item))
            if value is None:
                if self.capturing:
                    self.impure = True
                    return item
                value = self.register(item, "constant")
            return value
        if isinstance(item, tuple):
            return tuple(self._argument(i) for i in item)
        if isinstance(item, list):
            return [self._argument(i) for i in item]
        return item

    def _stand_in(self, item, value):
        """``item`` as the op is given it: an input or external by its leaf stand-in."""
        if isinstance(value, Value):
            return value.leaf if value.leaf is not None else item
        if isinstance(value, (tuple, list)) and isinstance(item, (tuple, list)):
            return type(item)(self._stand_in(i, v) for i, v in zip(item, value))
        return item

    # -- hooks called by the engine --------------------------------------------------
    def apply(self, cls, args, kwargs):
        """``cls.apply(*args, **kwargs)``, recorded (ops run inside it are not)."""
        values = [self._argument(a) for a in args]
        attrs = {k: self._argument(v) for k, v in kwargs.items()}
        function_module._tracer = None
        try:
            result = cls.apply(
                *[self._stand_in(a, v) for a, v in zip(args, values)],
                **{k: self._stand_in(v, attrs[k]) for k, v in kwargs.items()},
            )
        finally:
            function_module._tracer = self
        main, *extras = result if isinstance(result, tuple) else (result,)
        op = Op(cls, values, attrs, node=main.grad_fn, scope=current_scope())
        op.out = self.register(main.data, "op", scope=op.scope)
        op.extras = [self.register(e.data, "op", scope=op.scope) for e in extras]
        self.ops.append(op)
        return result

    def read_value(self, tensor, how):
        raise RuntimeError(
            f"compile: {self.fn_name} reads a tensor's value into Python with {how} at {user_line()}. "
            "A trace records tensor operations only, so the value it saw would decide every later call; "
            "keep the computation in tensor ops (e.g. autograd_core.where instead of if), or do it outside "
            "the compiled function"
        )

    def write(self, tensor, op, source):
        if op != "copy_":
            raise RuntimeError(
                f"compile: {self.fn_name} changes a tensor in place with {op} at {user_line()}, which a "
                "trace does not replay; build a new tensor, or write with copy_"
            )
        target = self.by_array.get(id(tensor.data))
        if target is not None and target.kind != "external":
            raise RuntimeError(
                f"compile: {self.fn_name} writes with copy_ into a tensor computed inside it at {user_line()}; "
                "only tensors from outside (parameters, buffers) can be written"
            )
        if target is None:
            target = self.register(tensor.data, "external", tensor=tensor, hint=tensor.name or "", scope=current_scope())
        self.ops.append(Op(WRITE, [target, self._argument(source)], scope=current_scope()))
        return tensor
