"""``compile(fn)``: trace once per input signature, then replay the programs.

The result of a compiled call is an ordinary Tensor made by one graph node for the whole
region (``CompiledRegion``), whose backward runs the backward program: ``backward()``,
``grad()``, optimizers, ``draw_graph`` (one box named after ``fn``) and the stepper see
one op.
"""
import collections
import inspect

import numpy as np

from .. import grad_mode, random
from ..function import Function
from ..tensor import Tensor
from . import program as program_module
from .backward import record_backward
from .tracer import Tracer

#: Programs kept per compiled function (one per input signature), the oldest dropped first.
CACHE_SIZE = 8


class CompiledRegion(Function):
    """One node for a whole compiled call: forward runs the forward program, backward
    the backward program on the slots the forward kept."""

    name = "compiled"

    def forward(self, *arrays, program):
        outputs, slots = program.forward(*arrays)
        self.name = program.name
        self.program = program
        program.latest_outputs = outputs  # the outputs outside the graph are read from here
        if self._recording:
            self.save_for_backward(*slots)
        return _pack(outputs[i] for i in program.packed)

    def backward(self, grad):
        program = self.program
        slots = [s.data if isinstance(s, Tensor) else s for s in self.saved_tensors]
        pieces = _unpack(grad.data, program.packed_shapes)
        grads = program.backward(*pieces, *slots, **program.grad_buffers())
        return tuple(None if g is None else Tensor._make(np.asarray(g)) for g in grads)


def _pack(arrays):
    arrays = [np.asarray(a) for a in arrays]
    if len(arrays) == 1:
        return arrays[0]
    return np.concatenate([a.ravel() for a in arrays])


def _unpack(array, shapes):
    if len(shapes) == 1:
        return [array]
    pieces, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        pieces.append(array[start : start + size].reshape(shape))
        start += size
    return pieces


class Compiled:
    """A compiled function (see ``autograd_core.compile``)."""

    def __init__(self, fn):
        if not callable(fn):
            raise TypeError(f"compile: expected a function, got {type(fn).__name__}")
        self.fn = fn
        self.__name__ = getattr(fn, "__name__", type(fn).__name__)
        self.__doc__ = getattr(fn, "__doc__", None)
        self.programs = collections.OrderedDict()
        self.traces = 0
        self._last = None
        self._modules = None
        try:
            self._arg_names = list(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            self._arg_names = []

    # -- calling ------------------------------------------------------------------------
    def __call__(self, *args):
        args = tuple(Tensor(a) if isinstance(a, np.ndarray) else a for a in args)
        key = self._signature(args)
        program = self.programs.get(key)
        # A parameter frozen or unfrozen since the trace changes which gradients it made.
        if program is None or program.external_flags != tuple(t.requires_grad for t in program.externals):
            program = self._trace(args, key)
            self.programs[key] = program
            if len(self.programs) > CACHE_SIZE:
                self.programs.popitem(last=False)
        self._last = program
        return self._run(program, args)

    def _run(self, program, args):
        tensors = [args[i] for i in program.inputs] + program.externals
        region = CompiledRegion.apply(*tensors, program=program)
        results = []
        if len(program.packed) == 1:
            results.append(region)
        else:
            start = 0
            for shape in program.packed_shapes:
                size = int(np.prod(shape))
                results.append(region[start : start + size].reshape(shape))
                start += size
        by_output = dict(zip(program.packed, results))
        outputs = [by_output[i] if i in by_output else Tensor._make(np.asarray(program.latest_outputs[i])) for i in range(program.n_outputs)]
        program.latest_outputs = None
        return outputs[0] if program.single else tuple(outputs)

    # -- the signature: what makes a new trace ----------------------------------------------
    def _signature(self, args):
        parts = [grad_mode._enabled, self._modes()]
        for a in args:
            if isinstance(a, Tensor):
                parts.append((a.data.shape, a.data.dtype.str, a.requires_grad))
            else:
                try:
                    hash(a)
                    parts.append(("constant", a))
                except TypeError:
                    parts.append(("object", id(a)))
        return tuple(parts)

    def _modes(self):
        """The train/eval flags of every module ``fn`` can reach (anything with
        ``modules()`` and ``training``: the engine does not know the nn package)."""
        if self._modules is None:
            found = []
            for holder in _reachable(self.fn):
                modules = getattr(holder, "modules", None)
                if callable(modules) and hasattr(holder, "training"):
                    found.extend(m for m in modules() if m not in found)
            self._modules = found
        return tuple(m.training for m in self._modules)

    # -- tracing ------------------------------------------------------------------------
    def _trace(self, args, key):
        tracer = Tracer(self.__name__)
        inputs = []
        for i, a in enumerate(args):
            if isinstance(a, Tensor):
                hint = self._arg_names[i] if i < len(self._arg_names) else f"x{i}"
                inputs.append(tracer.register(a.data, "input", tensor=a, index=i, hint=hint))
        # The trace's random draws are not the call's: the program draws afresh when it
        # runs, from the generator as it was before tracing, as an eager call would.
        generator = random.default_generator()
        state = generator.bit_generator.state
        try:
            with tracer:
                result = self.fn(*args)
        finally:
            generator.bit_generator.state = state
        single = not isinstance(result, tuple)
        results = (result,) if single else result
        outputs = []
        for r in results:
            if not isinstance(r, Tensor):
                raise TypeError(f"compile: {self.__name__} must return a Tensor or a tuple of Tensors, got {type(r).__name__}")
            value = tracer.value_of(r.data)
            if value is None:
                value = tracer.register(r.data, "external", tensor=r, hint=r.name or "output")
            outputs.append((value, r))
        forward_ops = tracer.ops
        backward_ops, grad_inputs, grads = [], [], {}
        if grad_mode._enabled and any(r.requires_grad for _, r in outputs):
            backward_ops, grad_inputs, grads = record_backward(tracer, forward_ops, outputs)
        self.traces += 1
        program = program_module.build(
            self.__name__, _describe_signature(args), inputs, [v for v, _ in outputs], forward_ops, backward_ops, grad_inputs, grads
        )
        program.inputs = [v.index for v in inputs]
        program.external_flags = tuple(t.requires_grad for t in program.externals)
        program.single = single
        program.n_outputs = len(outputs)
        differentiable = {v for v, _ in grad_inputs}
        program.packed = [i for i, (v, _) in enumerate(outputs) if v in differentiable] or list(range(len(outputs)))
        program.packed_shapes = [outputs[i][1].shape for i in program.packed]
        return program

    # -- reading ------------------------------------------------------------------------
    @property
    def code(self):
        """The forward and backward programs of the latest call, as Python source."""
        if self._last is None:
            raise RuntimeError(f"compile: {self.__name__} has not been called yet; call it once to trace it")
        return self._last.source

    @property
    def constants(self):
        """The constant arrays the latest program reads by name (too large to write out)."""
        self.code  # noqa: B018  (raises if nothing was traced yet)
        return self._last.constants

    def __str__(self):
        return self.code if self._last is not None else repr(self)

    def __repr__(self):
        return f"<compiled {self.__name__}: {len(self.programs)} traced signature(s)>"


def _reachable(fn):
    """``fn``, its ``self``, the variables it closes over and the globals it names."""
    found = [fn]
    owner = getattr(fn, "__self__", None)
    if owner is not None:
        found.append(owner)
    code = getattr(fn, "__code__", None)
    for cell in getattr(fn, "__closure__", None) or ():
        try:
            found.append(cell.cell_contents)
        except ValueError:
            continue
    if code is not None:
        namespace = getattr(fn, "__globals__", {})
        found.extend(namespace[name] for name in code.co_names if name in namespace)
    return found


def _describe_signature(args):
    parts = []
    for a in args:
        if isinstance(a, Tensor):
            parts.append(f"{tuple(a.shape)} {a.dtype}" + (" requires_grad" if a.requires_grad else ""))
        else:
            parts.append(repr(a))
    return "(" + ", ".join(parts) + ")"
