"""``autograd_core.compile(fn)``: trace a function of tensors once per input signature
and replay its forward and backward passes as straight-line NumPy programs.

>>> import autograd_core as ag
>>> w = ag.tensor([[1.0, -1.0]], requires_grad=True)
>>> step = ag.compile(lambda x: (x @ w.T).relu().sum())
>>> step(ag.tensor([[2.0, 1.0]])).backward()
>>> w.grad
array([[2., 1.]], dtype=float32)
>>> print(step.code)  # doctest: +SKIP

How it works: ``tracer`` records the ops ``fn`` runs; ``backward`` records the backward
pass over them; ``codegen`` and ``emitters`` write both as Python; ``program`` runs the
source; ``compiled`` keeps a program per signature and puts one node in the graph.
"""
from ..errors import names_errors
from .compiled import Compiled, CompiledRegion
from .tracer import function_module as _function


@names_errors
def compile(fn):
    """Compile ``fn`` (Tensors in, a Tensor or a tuple of them out, parameters closed
    over; other arguments are constants of the trace).

    The first call for an input signature (shapes, dtypes, ``requires_grad`` of the inputs
    and of the parameters, gradient mode, the train/eval mode of the modules ``fn``
    reaches) runs ``fn`` while recording every op, and records the backward pass over
    that graph; later calls with the same signature run the two programs on NumPy
    arrays. Parameters and buffers are read when the program runs; dropout draws a fresh
    mask each time; ``copy_`` writes into buffers (batch norm's running statistics) are
    replayed. Reading a tensor's value into Python inside ``fn`` (``.item()``,
    ``if t > 0:``) raises, naming the line, since one trace would fix the branch taken
    for every later call.

    The result is a ``Compiled`` callable; ``.code`` (or ``print``) shows the programs.
    """
    return Compiled(fn)


@names_errors
def is_compiling():
    """True while ``compile`` traces a function (as ``torch.compiler.is_compiling``): code
    that computes with arrays outside tensor ops for speed takes its traceable path then."""
    return _function._tracer is not None


__all__ = ["compile", "is_compiling", "Compiled", "CompiledRegion"]
