"""Training checkpoints: everything a run needs to continue exactly where it stopped.

``save_checkpoint`` writes the model's, optimizer's, scheduler's and data loader's
``state_dict``, the epoch and step counters, the state of the random generators (the
library's, NumPy's global one, and the loader's shuffling generator) and any extra
JSON-able values, into one ``.npz`` archive in the same pickle-free format as
``Module.save``: arrays as ``.npy`` members, everything else as one JSON member. The file
is written to a temporary name, flushed to disk and then renamed over the old one, so a
run killed at any moment leaves either the previous checkpoint or the new one, never a
torn file. ``load_checkpoint`` reads and checks the whole file before it changes
anything, and restores every object or none::

    for epoch in range(start, epochs):
        train_one_epoch(model, optimizer, loader)
        nn.save_checkpoint("run/checkpoint.npz", model, optimizer, scheduler, loader, epoch=epoch + 1)

    start = nn.load_checkpoint("run/checkpoint.npz", model, optimizer, scheduler, loader)["epoch"]
"""
import json
import os
import pathlib
import tempfile
import zipfile

import numpy as np

import autograd_core as ag

_META = "checkpoint.json"
_FORMAT = 1


def save_checkpoint(path, model, optimizer=None, scheduler=None, loader=None, *, epoch=0, step=0, extra=None):
    """Write a training checkpoint to ``path`` (``.npz`` is appended if missing) and
    return the path written. ``extra`` is a dict of JSON-able values (a loss history,
    the command line) returned as is by ``load_checkpoint``."""
    path = pathlib.Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    arrays = {}
    state = {
        "format": _FORMAT,
        "epoch": int(epoch),
        "step": int(step),
        "extra": _encode(extra if extra is not None else {}, arrays),
        "model": _encode(model.state_dict(), arrays),
        "optimizer": _encode(optimizer.state_dict(), arrays) if optimizer is not None else None,
        "scheduler": _encode(scheduler.state_dict(), arrays) if scheduler is not None else None,
        "loader": _encode(loader.state_dict(), arrays) if loader is not None else None,
        "generator": ag.default_generator().bit_generator.state,
        "numpy": _encode(np.random.get_state(), arrays),
    }
    meta = json.dumps(state).encode()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            with zipfile.ZipFile(file, "w") as archive:
                for name, array in arrays.items():
                    with archive.open(name + ".npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, array, allow_pickle=False)
                archive.writestr(_META, meta)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def load_checkpoint(path, model, optimizer=None, scheduler=None, loader=None):
    """Restore what ``save_checkpoint`` wrote into the given objects and the random
    generators; returns ``{"epoch": ..., "step": ..., "extra": {...}}``.

    A truncated, corrupt or foreign file raises ``ValueError`` before anything changes;
    a checkpoint that does not fit the objects (other layer shapes, another optimizer)
    raises and leaves every object as it was."""
    state = _read(path)
    for name, target in (("optimizer", optimizer), ("scheduler", scheduler), ("loader", loader)):
        if target is not None and state[name] is None:
            raise ValueError(f"load_checkpoint: {path} holds no {name} state")
    targets = [(model, state["model"])] + [
        (target, state[name]) for name, target in (("optimizer", optimizer), ("scheduler", scheduler), ("loader", loader))
        if target is not None
    ]
    before = [(target, target.state_dict()) for target, _ in targets]
    generator = ag.default_generator().bit_generator
    generator_before = generator.state
    numpy_before = np.random.get_state()
    try:
        for target, saved in targets:
            target.load_state_dict(saved)
        generator.state = state["generator"]
        np.random.set_state(state["numpy"])
    except BaseException:
        for target, saved in before:
            target.load_state_dict(saved)
        generator.state = generator_before
        np.random.set_state(numpy_before)
        raise
    return {"epoch": state["epoch"], "step": state["step"], "extra": state["extra"]}


def _read(path):
    """The decoded contents of the checkpoint at ``path``, all read into memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(archive.read(_META))
            arrays = {}
            for name in archive.namelist():
                if name.endswith(".npy"):
                    with archive.open(name) as member:
                        arrays[name[: -len(".npy")]] = np.lib.format.read_array(member, allow_pickle=False)
    except FileNotFoundError:
        raise
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ValueError(f"load_checkpoint: {path} is not a complete checkpoint (truncated or corrupt: {error})") from None
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ValueError(f"load_checkpoint: {path} is not a checkpoint written by save_checkpoint")
    try:
        return {key: _decode(value, arrays) for key, value in meta.items()}
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"load_checkpoint: {path} is corrupt ({error!r})") from None


# JSON holds everything but arrays; arrays (and NumPy scalars, as 0-d arrays) become
# members of the archive, referenced by name. Tuples and dicts with non-string keys
# (the optimizer's per-parameter state) are tagged so they come back as they were.
def _encode(value, arrays):
    if isinstance(value, (np.ndarray, np.generic)):
        name = f"a{len(arrays)}"
        arrays[name] = np.asarray(value)
        return {"__array__": name, "scalar": isinstance(value, np.generic)}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, arrays) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"save_checkpoint: cannot store a {type(value).__name__} in a checkpoint")


def _decode(value, arrays):
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    if not isinstance(value, dict):
        return value
    if "__array__" in value:
        array = arrays[value["__array__"]]
        return array[()] if value["scalar"] else array
    if "__dict__" in value:
        return {_decode(k, arrays): _decode(v, arrays) for k, v in value["__dict__"]}
    if "__tuple__" in value:
        return tuple(_decode(v, arrays) for v in value["__tuple__"])
    return {key: _decode(v, arrays) for key, v in value.items()}
