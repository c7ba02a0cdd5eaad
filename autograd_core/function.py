"""``Function``: one differentiable operation, with its forward and backward side by side.

``forward`` receives NumPy arrays (and plain Python values) and returns an array: it is
where the arithmetic happens, as fast as NumPy makes it. It is a pure function of its
arguments: whatever ``backward`` needs it hands to ``save_for_backward`` (the one place
a forward leaves state), and hyper-parameters (the keyword arguments) come back as
``self.attrs``. ``backward`` receives the gradient of the output as a ``Tensor`` and
returns one gradient per forward argument, written with Tensor operations, so that the
backward pass can itself be differentiated (``grad(..., create_graph=True)``): it is the
definition of the op's derivative. An op may add ``fast_backward``, the same
vector-Jacobian product on arrays, which the engine calls instead when no graph of the
backward pass is being built. A ``Function`` instance is also the graph node that the
output tensor remembers in ``.grad_fn``.

A user-defined op looks like every built-in one::

    class Cube(Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x ** 3

        def backward(self, grad):
            (x,) = self.saved_tensors
            return grad * 3 * x ** 2

    y = Cube.apply(x)
    cube = function(Cube)  # the function form: cube(x), x a Tensor, array or list
"""
import inspect
import re
import types
import weakref

import numpy as np

from . import anomaly, errors, grad_mode, scope
from .arguments import as_tensor
from .tensor import Tensor

__all__ = ["Function", "function"]

_OUTPUT = object()  # saved-value marker: "the op's own output"

#: While ``autograd_core.compile`` traces a function, the tracer that records every
#: ``apply`` (the only hook of the compiler into the engine); ``None`` otherwise.
_tracer = None


def _snake_case(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _describe(args):
    odd = [type(a).__name__ for a in args if not isinstance(a, (Tensor, np.ndarray, int, float, bool, type(None)))]
    if odd:
        return "arguments of type " + ", ".join(odd)
    shapes = [f"{tuple(a.shape)}" for a in args if isinstance(a, (Tensor, np.ndarray))]
    return "shapes " + " and ".join(shapes) if shapes else "scalar arguments"


class Function:
    """Base class of every differentiable operation (see the module docstring).

    Attributes of a node in the graph:

    - ``parents``: per forward argument, the node that made it (its ``grad_fn``), the
      leaf tensor itself, or ``None`` when no gradient flows to it;
    - ``needs_input_grad``: per forward argument, whether its gradient is wanted;
    - ``attrs``: the keyword arguments (hyper-parameters) the op was called with;
    - ``scope``: the name scope it was created in.

    What ``forward`` saved comes back in ``backward`` as ``saved_tensors`` (the
    positional values, as Tensors), ``saved_arrays`` (the same, as arrays, for
    ``fast_backward``) and ``saved`` (the named extras).
    """

    #: Ops whose output shares memory with their first input (views) share its version
    #: counter, so an in-place change through either is seen by both. (A property of
    #: ``attrs`` where it depends on them, as for indexing.)
    shares_storage = False
    name = "function"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = _snake_case(cls.__name__)
        if "forward" in cls.__dict__:
            cls._defaults = _keyword_defaults(cls.forward)

    # -- the two methods a subclass writes -------------------------------------------
    def forward(self, *args, **kwargs):
        """Compute the output array from the input arrays. A tuple ``(output, *extras)``
        adds results that are not differentiable (indices, counts): ``apply`` then
        returns ``(output, *extras)`` as Tensors, the extras outside the graph."""
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def backward(self, grad):
        """Given dL/d(output) as a Tensor, return dL/d(input) for each forward argument
        (a Tensor, or None where no gradient is needed)."""
        raise NotImplementedError(f"{type(self).__name__} defines no backward")

    #: Optional: ``fast_backward(self, grad)`` computes what ``backward`` does, on arrays:
    #: ``grad`` is dL/d(output) as an array, the result one array (or None) per forward
    #: argument. The engine calls it instead of ``backward`` when the backward pass
    #: itself is not recorded (no ``create_graph``), so it may use anything ``forward``
    #: saved, in place and without graph nodes; ``backward`` stays the definition,
    #: differentiated for higher derivatives and checked against this by
    #: ``gradgradcheck``.
    fast_backward = None

    # -- saving values for backward ---------------------------------------------------
    def save_for_backward(self, *values, **extras):
        """Keep values for ``backward``; call it in ``forward``. Nothing is kept when the
        call is not recorded (no input requires grad, or under ``no_grad``).

        Positional values come back in order as ``saved_tensors``: the forward's own
        input arrays come back as the input Tensors (so a second derivative flows
        through them, and an in-place change of them since is caught), its output array
        as the output Tensor, other arrays as constant Tensors, anything else as it was.
        Named extras (``mask=mask``, ``axes=axes``) come back unchanged as attributes of
        ``saved`` (``self.saved.mask``): arrays and values derived in forward that the
        graph treats as constants. Everything is freed after the backward pass.
        """
        if self._recording:
            if values:
                self._to_save = values
            if extras:
                if self._extras is None:
                    self._extras = types.SimpleNamespace(**extras)
                else:
                    vars(self._extras).update(extras)

    @property
    def recording(self):
        """Whether this call is recorded in the graph: a forward may skip work that only
        ``backward`` needs (a mask, an arg-max) when it is not."""
        return self._recording

    @property
    def saved_tensors(self):
        """The positional values given to ``save_for_backward``, as Tensors where they
        were arrays.

        Raises if they were freed by an earlier backward pass, or if a saved tensor was
        modified in place since the forward pass.
        """
        if self._saved is None:
            raise RuntimeError(self._freed_message())
        if self._sources is None:
            return tuple(Tensor._make(v) if type(v) is np.ndarray else v for v in self._saved)
        values = []
        for value, source in zip(self._saved, self._sources):
            if source is None:
                values.append(Tensor._make(value) if type(value) is np.ndarray else value)
                continue
            self._check_version(value, source)
            # The output is rebuilt around the saved array rather than kept, so that a
            # node does not hold its own output alive (no reference cycle).
            values.append(Tensor._make(value, True, self) if source is _OUTPUT else value)
        return tuple(values)

    @property
    def saved_arrays(self):
        """The positional values given to ``save_for_backward``, as arrays (for
        ``fast_backward``), with the same checks as ``saved_tensors``."""
        if self._saved is None:
            raise RuntimeError(self._freed_message())
        if self._sources is None:
            return self._saved
        values = []
        for value, source in zip(self._saved, self._sources):
            if source is not None:
                self._check_version(value, source)
                if source is not _OUTPUT:
                    value = value.data
            values.append(value)
        return tuple(values)

    @property
    def saved(self):
        """The named extras given to ``save_for_backward``, as attributes."""
        if self._saved is None:
            raise RuntimeError(self._freed_message())
        return self._extras if self._extras is not None else _NO_EXTRAS

    def _freed_message(self):
        return (
            f"{self.name}: trying to backward through the graph a second time, but its saved "
            "values were freed by the first pass; call backward(retain_graph=True) the first time"
        )

    # -- building the graph -----------------------------------------------------------
    @classmethod
    def apply(cls, *args, **kwargs):
        """Run the op on ``args`` (Tensors, arrays or Python scalars); record it in the graph
        when gradient recording is on and an input requires grad."""
        if _tracer is not None:
            return _tracer.apply(cls, args, kwargs)
        node = cls.__new__(cls)
        node._kwargs = kwargs
        datas = [a.data if isinstance(a, Tensor) else a for a in args]
        if grad_mode._enabled:
            for a in args:
                if isinstance(a, Tensor) and a.requires_grad:
                    node._recording = True
                    break
        try:
            raw = node.forward(*datas, **kwargs)
        except errors.CAUGHT as error:
            renamed = error if str(error).startswith(cls.name + ":") else errors.named(error, f"{cls.name}: {_describe(args)}")
            if renamed is error:
                raise
            raise renamed from None
        extras = None
        if type(raw) is tuple:
            raw, *extras = raw
        out = raw if type(raw) is np.ndarray else np.asarray(raw)
        if anomaly._enabled:
            anomaly.check_forward(node, args, out)
        if node._recording and out.dtype.kind in "fc":
            result = node._connect(args, datas, raw, out, kwargs)
        else:
            result = Tensor._make(out)
        if node.shares_storage and isinstance(args[0], Tensor):
            result._vc = args[0]._counter()
        if extras is not None:
            return (result, *(Tensor._make(np.asarray(e)) for e in extras))
        return result

    # Defaults of a node, overwritten per instance only when they differ.
    _recording = False
    _to_save = None
    _extras = None
    _defaults = ()
    _kwargs = {}
    _saved = ()
    _sources = None
    _hooks = None
    _retained = None
    _output = None

    def _connect(self, args, datas, raw, out, kwargs):
        """Make this node the creator of a new output tensor: remember where each input
        came from and resolve the values saved for backward."""
        parents = []
        needs = []
        meta = []
        for a in args:
            if isinstance(a, Tensor) and a.requires_grad:
                parents.append(a.grad_fn or a)
                needs.append(True)
                meta.append((a.data.shape, a.data.dtype))
            else:
                parents.append(None)
                needs.append(False)
                meta.append(None)
        # Tuples: those of plain values (flags, shapes) are dropped from the garbage
        # collector's watch at its first pass, so a large graph costs it less to scan.
        self.parents = tuple(parents)
        self.needs_input_grad = tuple(needs)
        self.input_meta = tuple(meta)
        self.scope = scope._current
        if self._to_save is not None:
            self._resolve_saved(args, datas, raw, out)
            self._to_save = None
        result = Tensor._make(out, True, self)
        self._output = weakref.ref(result)
        return result

    @property
    def attrs(self):
        """The hyper-parameters: the keyword arguments of the call, with the defaults of
        the forward's keyword-only parameters for those left out."""
        attrs = self._kwargs
        missing = [item for item in self._defaults if item[0] not in attrs]
        return {**attrs, **dict(missing)} if missing else attrs

    def _resolve_saved(self, args, datas, raw, out):
        """Keep the saved values (``_saved``) with, for those that are the op's inputs or
        output, where they came from (``_sources``): per value, the input Tensor's
        version then (the Tensor itself is kept in ``_saved``), ``_OUTPUT`` for the
        output (kept as its array), or None. Atomic values only, so the garbage collector
        stops watching ``_sources`` at its first pass, and a large graph costs it fewer
        objects to scan."""
        saved, sources = [], []
        for value in self._to_save:
            source = None
            if value is raw:
                value, source = out, _OUTPUT
            elif isinstance(value, np.ndarray):
                for a, d in zip(args, datas):
                    if d is value and isinstance(a, Tensor):
                        value, source = a, a._version
                        break
            saved.append(value)
            sources.append(source)
        self._saved = tuple(saved)
        if any(source is not None for source in sources):
            self._sources = tuple(sources)

    def _check_version(self, value, source):
        """Raise if the saved input or output ``value`` was changed in place since the
        forward pass (``source`` as in ``_sources``)."""
        if source is _OUTPUT:
            alive = self.output()
            if alive is not None and alive._version != 0:
                raise RuntimeError(
                    f"{self.name}: its output, saved for backward, was modified in place after "
                    "the forward pass; the gradient would be wrong (clone it before changing it)"
                )
        elif value._version != source:
            raise RuntimeError(
                f"{self.name}: an input of shape {tuple(value.shape)} saved for backward was "
                f"modified in place (version {source} -> {value._version}) after the forward "
                "pass; the gradient would be wrong (clone it before changing it)"
            )

    def _release(self):
        """Free the saved values (after a backward pass without ``retain_graph``)."""
        self._saved = None
        self._sources = None
        self._extras = None

    @property
    def released(self):
        return self._saved is None

    def output(self):
        """The output tensor, if it is still alive (graph drawings read values from it)."""
        return self._output() if self._output is not None else None

    def __repr__(self):
        return f"<{type(self).__name__}Backward>"


def _keyword_defaults(forward):
    """``(name, default)`` of each keyword-only parameter of ``forward`` that has a
    default: the hyper-parameters a call may leave out."""
    return tuple(
        (p.name, p.default)
        for p in inspect.signature(forward).parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.default is not p.empty
    )


_NO_EXTRAS = types.SimpleNamespace()


def function(cls):
    """The function form of the op ``cls``: ``exp = function(Exp)`` defines ``exp(input,
    *args, **kwargs)``, which is ``Exp.apply`` with ``input`` made a Tensor if it is an
    array, a list or a number. This line, and the name in its module's ``__all__``,
    is all it takes to export an op."""

    def op(input, *args, **kwargs):
        return cls.apply(as_tensor(input), *args, **kwargs)

    op.__name__ = op.__qualname__ = cls.name
    op.__doc__ = cls.__doc__
    op.__module__ = cls.__module__
    return errors.names_errors(op)
