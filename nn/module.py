"""``Module``: the base class of layers and models, as PyTorch's ``nn.Module``.

Assigning a ``Parameter``, a ``Module`` or (after ``register_buffer``) a buffer to an
attribute registers it; ``parameters()``, ``state_dict()`` and friends walk the tree.
Calling a module runs ``forward`` inside the engine's name scope for the module's
attribute name, so a graph drawing groups each layer's operations together.
"""
import collections
import collections.abc
import os
import pathlib
import tempfile
import zipfile

import numpy as np

import autograd_core as ag
from autograd_core import Tensor, errors

from .parameter import Parameter

#: What ``load_state_dict`` returns: the names it did not find on either side.
IncompatibleKeys = collections.namedtuple("IncompatibleKeys", "missing_keys unexpected_keys")


def _check_name(owner, name, kind):
    if not isinstance(name, str):
        raise TypeError(f"{type(owner).__name__}: {kind} name must be a string, got {type(name).__name__}")
    if not name or "." in name:
        raise KeyError(f"{type(owner).__name__}: {kind} name {name!r} must be non-empty and contain no '.'")


class Module(errors.NamedInit):
    """Base class: subclasses declare parameters and submodules in ``__init__`` and
    compute in ``forward``."""

    def __init__(self):
        object.__setattr__(self, "_parameters", collections.OrderedDict())
        object.__setattr__(self, "_buffers", collections.OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", collections.OrderedDict())
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_name", "")

    # -- registration -----------------------------------------------------------------
    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() before assigning attributes"
            )
        params, modules, buffers = self._parameters, self._modules, self._buffers
        if isinstance(value, Parameter):
            modules.pop(name, None)
            buffers.pop(name, None)
            params[name] = value
            if value.name is None:
                value.name = name  # graph drawings label it "weight", inside its layer's cluster
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"{type(self).__name__}: cannot assign {type(value).__name__} to parameter {name!r} "
                    "(a Parameter or None is expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            params.pop(name, None)
            buffers.pop(name, None)
            modules[name] = value
            object.__setattr__(value, "_name", name)
        elif name in modules:
            if value is not None:
                raise TypeError(
                    f"{type(self).__name__}: cannot assign {type(value).__name__} to submodule {name!r} "
                    "(a Module or None is expected)"
                )
            modules[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"{type(self).__name__}: cannot assign {type(value).__name__} to buffer {name!r} "
                    "(a Tensor or None is expected)"
                )
            buffers[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        for registry in (self._parameters, self._modules, self._buffers):
            registry.pop(name, None)
        self._non_persistent.discard(name)
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        """Register ``param`` (a Parameter, or None for an absent optional one such as a
        bias switched off)."""
        _check_name(self, name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a Parameter or None, got {type(param).__name__}")
        self._parameters[name] = param
        if param is not None and param.name is None:
            param.name = name
        object.__setattr__(self, name, param)

    def register_buffer(self, name, tensor, persistent=True):
        """Register state that is not learned (running statistics): saved in
        ``state_dict`` unless ``persistent=False``, converted by ``to(dtype)``. An array
        becomes a Tensor; None is an absent buffer."""
        _check_name(self, name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            tensor = Tensor(np.asarray(tensor))
        if tensor is not None and tensor.name is None:
            tensor.name = name  # compiled code calls it bn_running_mean
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)
        object.__setattr__(self, name, tensor)

    def add_module(self, name, module):
        """Register ``module`` (or None) as the submodule ``name``."""
        _check_name(self, name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be a Module or None, got {type(module).__name__}")
        if name not in self._modules and hasattr(self, name):
            raise KeyError(f"add_module: attribute {name!r} already exists on {type(self).__name__}")
        self._modules[name] = module
        if module is not None:
            object.__setattr__(module, "_name", name)
        object.__setattr__(self, name, module)

    register_module = add_module

    # -- running ----------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        """The computation; subclasses define it (call the module, not ``forward``)."""
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def __call__(self, *args, **kwargs):
        with ag.scope(self._name) as path:
            try:
                return self.forward(*args, **kwargs)
            except errors.CAUGHT as error:
                # Named by the innermost module, where it failed: "Conv2d (features.3): ...".
                # A slip inside this package's layers on bad input becomes the TypeError
                # it stands for; one in the user's own forward (a misspelt attribute)
                # keeps its kind.
                if getattr(error, "module", None) is not None:
                    raise
                name = f"{type(self).__name__} ({path})" if path else type(self).__name__
                ours = type(self).__module__.split(".")[0] == __name__.split(".")[0]
                renamed = errors.named(error, name, keep_kind=not ours)
                renamed.module = self
                if renamed is error:
                    raise
                raise renamed from None

    # -- walking the tree -------------------------------------------------------------
    def named_modules(self, memo=None, prefix=""):
        """(path, module) for this module and every submodule, each once, parents first."""
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(memo, f"{prefix}.{name}" if prefix else name)

    def modules(self):
        """This module and every submodule, each once."""
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        """(name, module) for the direct submodules."""
        for name, child in self._modules.items():
            if child is not None:
                yield name, child

    def children(self):
        """The direct submodules."""
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry, prefix, recurse):
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for path, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{path}.{name}" if path else name), value

    def named_parameters(self, prefix="", recurse=True):
        """(path, parameter) pairs, each parameter once even if shared."""
        yield from self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse=True):
        """Every parameter (of submodules too unless ``recurse=False``): what an optimizer updates."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True):
        """(path, buffer) pairs: running statistics and other state that is not learned."""
        yield from self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse=True):
        """Every buffer, each once."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn):
        """Call ``fn`` on every submodule, then on this module, and return this module
        (as PyTorch; used for custom initialisation)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # -- modes and gradients ----------------------------------------------------------
    def train(self, mode=True):
        """Training mode (dropout active, batch norm uses batch statistics) or not."""
        if not isinstance(mode, bool):
            raise ValueError(f"train: mode must be True or False, got {mode!r}")
        object.__setattr__(self, "training", mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Make every parameter require gradients or not (freezing a part of a model)."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Forget the gradients of every parameter (set them to None, or to zeros)."""
        for param in self.parameters():
            if set_to_none:
                param.grad = None
            elif param.grad is not None:
                param.grad[...] = 0

    # -- dtype ------------------------------------------------------------------------
    def to(self, *args, dtype=None, device=None):
        """Convert every floating-point parameter and buffer to ``dtype`` in place
        (``model.to(np.float64)``). The only device is the CPU, so ``"cpu"`` is accepted
        and changes nothing."""
        for arg in args:
            if isinstance(arg, str) and arg.split(":")[0] in ("cpu", "cuda", "mps"):
                device = arg
            else:
                dtype = arg
        if device is not None and str(device).split(":")[0] != "cpu":
            raise ValueError(f"to: only the CPU is supported, got device {device!r}")
        if dtype is None:
            return self
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"to: only floating-point dtypes are accepted, got {dtype}")
        for module in self.modules():
            for registry in (module._parameters, module._buffers):
                for value in registry.values():
                    if value is not None and value.data.dtype.kind == "f":
                        value.data = value.data.astype(dtype)
                        if value.grad is not None:
                            value.grad = value.grad.astype(dtype)
        return self

    def float(self):
        """``to(float32)``."""
        return self.to(np.float32)

    def double(self):
        """``to(float64)``, as gradient checks need."""
        return self.to(np.float64)

    # -- state ------------------------------------------------------------------------
    def _state_tensors(self):
        """Name -> tensor of every parameter and persistent buffer, in PyTorch's order."""
        tensors = collections.OrderedDict()
        for path, module in self.named_modules():
            for name, value in list(module._parameters.items()) + list(module._buffers.items()):
                if value is not None and name not in module._non_persistent:
                    tensors[f"{path}.{name}" if path else name] = value
        return tensors

    def state_dict(self):
        """Name -> NumPy array (a copy) of every parameter and persistent buffer, with
        PyTorch's names (``0.weight``, ``bn.running_mean``...)."""
        return collections.OrderedDict((name, t.data.copy()) for name, t in self._state_tensors().items())

    def load_state_dict(self, state_dict, strict=True):
        """Copy arrays (NumPy arrays, Tensors, or anything ``numpy.asarray`` reads, such as
        a PyTorch state dict's CPU tensors) into the parameters and buffers of the same
        names, converting to their dtypes.

        With ``strict`` (default) a missing or unexpected name is an error; a wrong shape
        always is. The error lists every missing, unexpected and mis-shaped key, and
        nothing is changed unless everything fits. Returns ``(missing_keys,
        unexpected_keys)``.
        """
        if not isinstance(state_dict, collections.abc.Mapping):
            raise TypeError(f"load_state_dict: expected a dict of arrays, got {type(state_dict).__name__}")
        own = self._state_tensors()
        arrays = {}
        for name, value in state_dict.items():
            try:
                array = np.asarray(value.data if isinstance(value, Tensor) else value)
            except (TypeError, ValueError) as error:
                raise TypeError(f"load_state_dict: {name!r} is not an array of numbers ({error})") from None
            if array.dtype.kind not in "biuf":
                raise TypeError(f"load_state_dict: {name!r} holds {array.dtype} values, not numbers")
            arrays[name] = array
        missing = [name for name in own if name not in arrays]
        unexpected = [name for name in arrays if name not in own]
        misshaped = [
            f"{name}: expected {tuple(own[name].shape)}, got {arrays[name].shape}"
            for name in own
            if name in arrays and arrays[name].shape != own[name].shape
        ]
        problems = []
        if strict and missing:
            problems.append("missing keys: " + ", ".join(missing))
        if strict and unexpected:
            problems.append("unexpected keys: " + ", ".join(unexpected))
        if misshaped:
            problems.append("mis-shaped keys: " + "; ".join(misshaped))
        if problems:
            raise RuntimeError(
                f"load_state_dict: error(s) loading into {type(self).__name__}:\n  " + "\n  ".join(problems)
            )
        with ag.no_grad():
            for name, tensor in own.items():
                if name in arrays:
                    tensor.copy_(arrays[name])
        return IncompatibleKeys(missing, unexpected)

    def save(self, path):
        """Save the state dict to ``path`` as a NumPy ``.npz`` archive of plain arrays
        (never pickle), replacing the file only once it is completely written. Returns
        the path written (``.npz`` is appended if missing, as ``numpy.savez`` does)."""
        path = pathlib.Path(path)
        if path.suffix != ".npz":
            path = path.with_name(path.name + ".npz")
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file, zipfile.ZipFile(file, "w") as archive:
                for name, array in self.state_dict().items():
                    with archive.open(name + ".npy", "w", force_zip64=True) as member:
                        np.lib.format.write_array(member, array, allow_pickle=False)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        return path

    def load(self, path, strict=True):
        """Load weights saved by ``save`` (or any ``.npz`` of arrays named as in
        ``state_dict``). Pickled content is refused, whatever the file's name says."""
        try:
            archive = np.load(path, allow_pickle=False)
        except ValueError as error:
            raise ValueError(f"load: {path} is not an .npz archive of plain arrays ({error})") from None
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError(f"load: {path} holds a single array, not an .npz archive of named arrays")
        with archive:
            try:
                state = {name: archive[name] for name in archive.files}
            except ValueError as error:
                raise ValueError(f"load: {path} holds pickled objects, which are refused ({error})") from None
        return self.load_state_dict(state, strict)

    # -- printing ---------------------------------------------------------------------
    def extra_repr(self):
        """The layer's own settings, shown in its repr (``in_features=3, ...``)."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        for name, child in self._modules.items():
            lines.append(f"({name}): " + repr(child).replace("\n", "\n  "))
        if not lines:
            return f"{type(self).__name__}()"
        if len(lines) == 1 and not self._modules:
            return f"{type(self).__name__}({lines[0]})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"
