"""Name scopes: every graph node remembers the scope it was created in.

``nn.Module`` enters one scope per module path, so graph drawings can group the
nodes of a layer; the engine itself only records the current path.
"""
import contextlib
from .errors import names_errors

__all__ = ["current_scope", "scope"]

_current = ""


@names_errors
def current_scope():
    """The dotted path of the scopes entered so far ("" outside any scope)."""
    return _current


@names_errors
@contextlib.contextmanager
def scope(name):
    """Enter the scope ``name``, nested under the current one: ``scope("encoder")`` then
    ``scope("0")`` records nodes under ``"encoder.0"``."""
    global _current
    previous = _current
    name = str(name)
    _current = f"{previous}.{name}" if previous and name else (name or previous)
    try:
        yield _current
    finally:
        _current = previous
