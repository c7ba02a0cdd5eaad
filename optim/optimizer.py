"""``Optimizer``: the base class that holds parameter groups and per-parameter state.

A subclass writes one method, ``_update(param, state, group)``, the update rule for one
parameter, following the algorithm PyTorch documents for the class of the same name.
The base class does the rest: parameter groups with their own hyper-parameters,
``zero_grad``, ``step`` (which skips parameters whose ``.grad`` is ``None``, as PyTorch
does), and ``state_dict``/``load_state_dict`` so that training resumes exactly.

Updates happen in place on each parameter's ``.data`` through the tensor's in-place
methods (``add_``, ``mul_``) under ``no_grad``: they bump the tensor's version counter,
so a backward pass through a graph that saved the old values raises instead of
returning a wrong gradient. The arithmetic runs as NumPy ufuncs writing into the state
buffers and into two scratch arrays reused across parameters and steps, so a step
allocates (almost) nothing.
"""
import collections
import collections.abc
import copy
import numbers

import numpy as np

from autograd_core import Tensor, enable_grad, errors, no_grad


class Optimizer(errors.NamedInit):
    """Base class of the optimizers.

    ``params`` is an iterable of tensors, or of dicts that each define a parameter group:
    ``{"params": [...], "lr": 0.1}``; keys missing from a group take the values in
    ``defaults`` (the constructor's arguments). ``param_groups`` is the list of those
    dicts; ``state`` maps each parameter to a dict of its buffers (momentum, moments,
    step count).
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self._check_hyperparameters(self.defaults)
        self.state = collections.defaultdict(dict)
        self.param_groups = []
        self._scratch_arrays = {}
        if isinstance(params, Tensor):
            raise TypeError(
                f"{self._name}: params must be an iterable of tensors or of dicts, got a single Tensor "
                "(wrap it in a list)"
            )
        self._check_ordered(params)
        if not isinstance(params, collections.abc.Iterable):
            raise TypeError(f"{self._name}: params must be an iterable of tensors or of dicts, got {type(params).__name__}")
        groups = list(params)
        if not groups:
            raise ValueError(f"{self._name}: got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    @property
    def _name(self):
        return type(self).__name__

    # -- parameter groups --------------------------------------------------------------
    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyper-parameters (those not given take
        the optimizer's defaults), e.g. to fine-tune a new layer with a larger ``lr``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"{self._name}: a parameter group must be a dict, got {type(param_group).__name__}")
        params = param_group.get("params")
        if isinstance(params, Tensor):
            params = [params]
        elif params is None:
            raise ValueError(f"{self._name}: a parameter group needs a 'params' entry")
        self._check_ordered(params)
        params = list(params)
        if not params:
            raise ValueError(f"{self._name}: got an empty parameter list")
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{self._name}: parameter {i} is a {type(p).__name__}, not a Tensor")
            if not p.is_leaf:
                raise ValueError(f"{self._name}: parameter {i} of shape {p.shape} is not a leaf tensor")
            if p.dtype.kind != "f":
                raise TypeError(f"{self._name}: parameter {i} has dtype {p.dtype}; only floating-point tensors can be optimized")
        seen = set()
        for i, p in enumerate(params):
            if id(p) in seen:
                raise ValueError(f"{self._name}: parameter {i} of shape {p.shape} is given twice in one group")
            seen.add(id(p))
        for g, group in enumerate(self.param_groups):
            if any(id(p) in seen for p in group["params"]):
                raise ValueError(f"{self._name}: some parameters appear in more than one group (also in group {g})")
        group = {key: value for key, value in param_group.items() if key != "params"}
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self._check_hyperparameters(group)
        group["params"] = params
        self.param_groups.append(group)

    def _check_ordered(self, params):
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{self._name}: parameters must be given in an ordered collection (a list), not a set, "
                "so that state_dict indices are reproducible"
            )

    def _check_hyperparameters(self, group):
        """Raise a clear error for an invalid hyper-parameter; subclasses list their checks."""

    def _check_nonnegative(self, group, *names):
        for name in names:
            value = group[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"{self._name}: {name} must be a real number, got {value!r}")
            if not value >= 0:
                raise ValueError(f"{self._name}: invalid {name}={value!r} (must be >= 0)")

    # -- the training-loop calls ---------------------------------------------------------
    def zero_grad(self, set_to_none=True):
        """Forget the gradients: set ``.grad`` to ``None`` (the default, which also frees
        the memory), or fill it with zeros in place when ``set_to_none=False``."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.fill(0)

    def step(self, closure=None):
        """Update every parameter that has a gradient; parameters whose ``.grad`` is
        ``None`` (unused in the loss, or frozen) are skipped and keep their state.

        ``closure``, if given, re-evaluates the model and returns the loss (it is called
        with gradient recording on); ``step`` returns that loss.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    if param.grad is not None:
                        self._update(param, self.state[param], group)
        return loss

    def _update(self, param, state, group):
        """Apply one step of the update rule to ``param`` (its ``.grad`` is not None)."""
        raise NotImplementedError(f"{self._name} defines no update rule")

    # -- helpers for the update rules ------------------------------------------------------
    def _scratch(self, param, slot):
        """A temporary array shaped like ``param`` (slot 0 holds the working gradient, slot
        1 intermediate results), carved from one buffer per slot and dtype that grows to
        the largest parameter and is reused across parameters and steps."""
        key = (slot, param.data.dtype)
        size = param.data.size
        buffer = self._scratch_arrays.get(key)
        if buffer is None or buffer.size < size:
            buffer = self._scratch_arrays[key] = np.empty(size, param.data.dtype)
        return buffer[:size].reshape(param.data.shape)

    def _gradient(self, param, maximize, weight_decay):
        """g_t of the documented algorithms: the gradient, negated when maximizing, plus
        lambda * theta for L2 weight decay. ``param.grad`` itself is never modified."""
        grad = param.grad
        if not maximize and weight_decay == 0:
            return grad
        g = self._scratch(param, 0)
        if weight_decay == 0:
            np.negative(grad, out=g)
        else:
            np.multiply(param.data, weight_decay, out=g)
            (np.subtract if maximize else np.add)(g, grad, out=g)
        return g

    # -- saving and resuming -----------------------------------------------------------
    def state_dict(self):
        """The optimizer's state as a dict of copies: ``"state"`` maps a parameter's index
        (its position counting through all groups in order, as in PyTorch) to its buffers,
        and ``"param_groups"`` holds each group's hyper-parameters with ``"params"`` as a
        list of those indices. Save it together with the model's ``state_dict``."""
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {key: copy.deepcopy(value) for key, value in group.items() if key != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {
            index[id(p)]: {key: copy.deepcopy(value) for key, value in buffers.items()}
            for p, buffers in self.state.items()
            if buffers
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and buffers saved by ``state_dict`` (from an optimizer
        of the same class built over parameters of the same shapes, in the same order).
        Buffers are copied and cast to their parameter's dtype; nothing changes if the
        saved state does not fit."""
        self._check_saved(state_dict)
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{self._name}.load_state_dict: the saved state has {len(saved_groups)} parameter groups, "
                f"this optimizer has {len(self.param_groups)}"
            )
        params = {}
        for g, (saved, group) in enumerate(zip(saved_groups, self.param_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{self._name}.load_state_dict: saved group {g} has {len(saved['params'])} parameters, "
                    f"this optimizer's has {len(group['params'])}"
                )
            params.update(zip(saved["params"], group["params"]))
        state = collections.defaultdict(dict)
        for index, buffers in state_dict["state"].items():
            if index not in params:
                raise ValueError(f"{self._name}.load_state_dict: state for parameter {index}, which no group lists")
            param = params[index]
            state[param] = {key: self._restore_buffer(key, value, param, index) for key, value in buffers.items()}
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            new_group = {key: copy.deepcopy(value) for key, value in saved.items() if key != "params"}
            new_group["params"] = group["params"]
            self._check_hyperparameters(new_group)
            new_groups.append(new_group)
        self.state = state
        self.param_groups = new_groups

    def _check_saved(self, state_dict):
        """Raise a clear error unless ``state_dict`` has the layout ``state_dict()`` gives
        and every hyper-parameter this optimizer needs."""
        where = f"{self._name}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise TypeError(f"{where}: expected the dict that state_dict() returns, got {type(state_dict).__name__}")
        if not isinstance(state_dict.get("state"), dict) or not isinstance(state_dict.get("param_groups"), (list, tuple)):
            raise ValueError(f"{where}: expected a dict with 'state' (a dict) and 'param_groups' (a list)")
        for g, group in enumerate(state_dict["param_groups"]):
            if not isinstance(group, dict) or not isinstance(group.get("params"), (list, tuple)):
                raise ValueError(f"{where}: saved group {g} is not a dict with a 'params' list")
            missing = [key for key in self.defaults if key not in group]
            if missing:
                raise ValueError(
                    f"{where}: saved group {g} lacks {', '.join(missing)} (was it saved by another optimizer class?)"
                )
        for index, buffers in state_dict["state"].items():
            if not isinstance(buffers, dict):
                raise ValueError(f"{where}: the state of parameter {index!r} is a {type(buffers).__name__}, not a dict")

    def _restore_buffer(self, key, value, param, index):
        if not isinstance(value, np.ndarray):
            return copy.deepcopy(value)
        if value.shape != param.shape:
            raise ValueError(
                f"{self._name}.load_state_dict: buffer {key!r} of parameter {index} has shape {value.shape}, "
                f"the parameter has shape {param.shape}"
            )
        return np.array(value, dtype=param.dtype, copy=True)

    def __repr__(self):
        lines = [f"{self._name} ("]
        for g, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {g}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        lines.append(")")
        return "\n".join(lines)


def moving_average_(average, value, decay, work):
    """average <- decay * average + (1 - decay) * value, computed as
    average + (1 - decay) * (value - average) in place (``work`` is scratch)."""
    np.subtract(value, average, out=work)
    work *= 1 - decay
    average += work
