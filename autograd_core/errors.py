"""Errors that name what the user called.

A bad argument often fails deep inside, in NumPy or in an inner op: ``ag.addmm`` given a
3-d matrix fails in ``mm``, ``nn.Linear("3", 4)`` in NumPy's ``empty``. The user called
``addmm`` and ``Linear``, so the error must say so. Every public function is wrapped in
``names_errors``, which puts the function's name in front of the message of an error
passing through it (``addmm: mm: input must be 2-D, got shape (2, 3, 4)``). Errors that
only an internal slip could raise on bad input (AttributeError, KeyError, arithmetic
errors) come out as the TypeError or ValueError they stand for. Exception classes of the
user's own pass through untouched.
"""
import functools

__all__ = ["CAUGHT", "NamedInit", "named", "names_errors"]

# What a kind of error becomes: the kinds users catch stay; the rest mean a bad argument.
_KINDS = {
    TypeError: TypeError,
    ValueError: ValueError,
    IndexError: IndexError,
    RuntimeError: RuntimeError,
    MemoryError: MemoryError,
    AttributeError: TypeError,
    KeyError: ValueError,
    ZeroDivisionError: ValueError,
    OverflowError: ValueError,
}
#: The errors ``named`` takes.
CAUGHT = tuple(_KINDS)


def _kind(error):
    """The kind ``error`` is re-raised as, or None to leave it alone: built-in kinds and
    NumPy's subclasses of them (UFuncTypeError, AxisError...) are renamed; anyone else's
    subclasses are theirs."""
    kind = type(error)
    if kind in _KINDS:
        return _KINDS[kind]
    if kind.__module__.split(".")[0] != "numpy":
        return None
    return next((_KINDS[base] for base in kind.__mro__ if base in _KINDS), None)


def named(error, name, keep_kind=False):
    """``error`` as the error to raise with ``name`` in front of its message: itself if
    the message already starts with the name (or ``error`` is not ours to rename), else a
    new error of the user-facing kind with the same traceback. With ``keep_kind``, only
    errors already of a user-facing kind are renamed (a slip in the user's own code, such
    as an AttributeError for a misspelt layer, stays what it is)."""
    kind = _kind(error)
    if keep_kind and kind is not type(error):
        return error
    message = error.args[0] if type(error) is KeyError and error.args else str(error)
    if kind is None or str(message).lower().startswith(f"{name.lower()}:"):
        return error
    renamed = kind(f"{name}: {message}")
    renamed.__traceback__ = error.__traceback__
    return renamed


def _class_name(self, *args, **kwargs):
    return type(self).__name__


def names_errors(fn):
    """Decorator: errors raised inside ``fn`` name it: the function's name, or for an
    ``__init__`` the name of the class being built (``BatchNorm1d``, not its base
    ``_BatchNorm``)."""
    name = _class_name if fn.__name__ == "__init__" else fn.__name__

    @functools.wraps(fn)
    def public(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except CAUGHT as error:
            renamed = named(error, name(*args, **kwargs) if callable(name) else name)
            if renamed is error:
                raise
            raise renamed from None

    return public


class NamedInit:
    """Base class: the constructor of every subclass names its class in the errors it
    raises (a bad argument fails somewhere inside, in NumPy's ``empty`` or an init
    function, but the user called ``Linear(...)``)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = names_errors(cls.__init__)
