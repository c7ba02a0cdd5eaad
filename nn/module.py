"""``Module``: the base class of layers and models, as PyTorch's ``nn.Module``.

Assigning a ``Parameter``, a ``Module`` or (through ``register_buffer``) a buffer to an
attribute registers it; ``parameters()``, ``state_dict()`` and friends walk the tree.
Calling a module runs ``forward`` inside the engine's name scope for the module's
attribute name, so a graph drawing groups each layer's operations together.
"""
import collections
import pathlib

import numpy as np

import autograd_core as ag
from autograd_core import Tensor

from .parameter import Parameter


class Module:
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
        for registry in (self._parameters, self._modules, self._buffers):
            registry.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
            object.__setattr__(value, "_name", name)
        elif name in self.__dict__.get("_buffer_names", ()) and (value is None or isinstance(value, Tensor)):
            self._buffers[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        for registry in (self._parameters, self._modules, self._buffers):
            registry.pop(name, None)
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        """Register ``param`` (a Parameter, or None for an absent optional one)."""
        if param is None:
            self._parameters.pop(name, None)
            object.__setattr__(self, name, None)
        else:
            setattr(self, name, param)

    def register_buffer(self, name, tensor, persistent=True):
        """Register state that is not learned (running statistics): saved in
        ``state_dict`` unless ``persistent=False``, converted by ``to(dtype)``."""
        if tensor is not None and not isinstance(tensor, Tensor):
            tensor = Tensor(np.asarray(tensor))
        if "_buffer_names" not in self.__dict__:
            object.__setattr__(self, "_buffer_names", set())
        self._buffer_names.add(name)
        if not persistent:
            self._non_persistent.add(name)
        setattr(self, name, tensor)
        self._buffers[name] = tensor

    def add_module(self, name, module):
        setattr(self, name, module)

    # -- running ----------------------------------------------------------------------
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def __call__(self, *args, **kwargs):
        with ag.scope(self._name):
            return self.forward(*args, **kwargs)

    # -- walking the tree -------------------------------------------------------------
    def named_modules(self, prefix="", memo=None):
        """(path, module) for this module and every submodule, each once."""
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(f"{prefix}.{name}" if prefix else name, memo)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        for name, child in self._modules.items():
            if child is not None:
                yield name, child

    def children(self):
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry, prefix, recurse):
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for path, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{path}.{name}" if path else name), value

    def named_parameters(self, prefix="", recurse=True):
        yield from self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse=True):
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True):
        yield from self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse=True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn):
        """Call ``fn`` on every submodule, then on this module (as PyTorch; used for
        custom initialisation)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # -- modes and gradients ----------------------------------------------------------
    def train(self, mode=True):
        """Training mode (dropout active, batch norm uses batch statistics) or not."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        for param in self.parameters():
            if set_to_none:
                param.grad = None
            elif param.grad is not None:
                param.grad[...] = 0

    # -- dtype ------------------------------------------------------------------------
    def to(self, dtype):
        """Convert every parameter and buffer to ``dtype`` in place (float32/float64)."""
        dtype = np.dtype(dtype)
        for module in self.modules():
            for registry in (module._parameters, module._buffers):
                for value in registry.values():
                    if value is not None and value.data.dtype.kind == "f":
                        value.data = value.data.astype(dtype)
                        if value.grad is not None:
                            value.grad = value.grad.astype(dtype)
        return self

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    # -- state ------------------------------------------------------------------------
    def state_dict(self):
        """Name -> NumPy array (a copy) of every parameter and persistent buffer, with
        PyTorch's names (``0.weight``, ``bn.running_mean``...)."""
        state = collections.OrderedDict()
        for path, module in self.named_modules():
            for registry, kind in ((module._parameters, "param"), (module._buffers, "buffer")):
                for name, value in registry.items():
                    if value is None or (kind == "buffer" and name in module._non_persistent):
                        continue
                    state[f"{path}.{name}" if path else name] = value.data.copy()
        return state

    def _state_tensors(self):
        tensors = collections.OrderedDict()
        for path, module in self.named_modules():
            for name, value in list(module._parameters.items()) + list(module._buffers.items()):
                if value is not None and name not in module._non_persistent:
                    tensors[f"{path}.{name}" if path else name] = value
        return tensors

    def load_state_dict(self, state_dict, strict=True):
        """Copy arrays (NumPy, Tensors, or anything ``numpy.asarray`` reads) into the
        parameters and buffers of the same names. With ``strict``, missing and
        unexpected names are errors; a wrong shape always is. Nothing is changed unless
        everything fits."""
        own = self._state_tensors()
        arrays = {name: np.asarray(value.data if isinstance(value, Tensor) else value) for name, value in state_dict.items()}
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
            problems.append("wrong shapes: " + "; ".join(misshaped))
        if problems:
            raise KeyError(f"load_state_dict for {type(self).__name__}: " + " | ".join(problems))
        with ag.no_grad():
            for name, tensor in own.items():
                if name in arrays:
                    tensor.copy_(arrays[name])
        return collections.namedtuple("LoadResult", "missing_keys unexpected_keys")(missing, unexpected)

    def save(self, path):
        """Save the state dict to ``path`` as a NumPy ``.npz`` file (no pickle)."""
        path = pathlib.Path(path)
        np.savez(path, **self.state_dict())
        return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")

    def load(self, path, strict=True):
        """Load weights saved by ``save`` (pickled content is refused)."""
        with np.load(path, allow_pickle=False) as archive:
            return self.load_state_dict({name: archive[name] for name in archive.files}, strict)

    # -- printing ---------------------------------------------------------------------
    def extra_repr(self):
        """The layer's own settings, shown in its repr (``in_features=3, ...``)."""
        return ""

    def __repr__(self):
        lines = []
        for name, child in self._modules.items():
            child_repr = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child_repr}")
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n" + "\n".join(lines) + "\n)"
