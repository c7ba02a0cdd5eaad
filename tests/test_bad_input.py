"""No internal errors on bad input. Every public op, layer constructor, layer call, loss,
optimizer and scheduler constructor and ``load_state_dict`` is called with arguments
drawn from a pool of wrong types (strings, None, dicts, lists of strings), wrong dtypes
(int, bool, complex, object arrays), NaN and inf, empty tensors, zero, negative and absurd
sizes, and out-of-range dims, mixed with valid ones. Each call either works or raises
TypeError, ValueError, RuntimeError or IndexError (MemoryError for impossible sizes) whose
message names what was called; it never changes an input or hangs, and a failed load
changes nothing."""
import contextlib
import copy
import inspect
import signal
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
import optim
from optim import lr_scheduler

ALLOWED = (TypeError, ValueError, RuntimeError, IndexError, MemoryError)
SECONDS = 10  # a call that takes longer counts as a hang
# No shrinking: a failure's message already shows the call, and shrinking costs minutes.
FUZZ = settings(
    max_examples=25, deadline=None, derandomize=True, phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
)


def _tensor(shape, requires_grad=True, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return ag.tensor(data, requires_grad=requires_grad)


# Each value is made afresh per call (a factory), so one call's mistake cannot leak into
# the next. The first group is valid for many parameters, the rest is the bad input.
POOL = {
    "scalar tensor": lambda: _tensor(()),
    "vector (3,)": lambda: _tensor((3,)),
    "matrix (2, 3)": lambda: _tensor((2, 3)),
    "matrix (3, 3)": lambda: _tensor((3, 3)),
    "3-d (2, 3, 4)": lambda: _tensor((2, 3, 4)),
    "image batch (1, 2, 5, 5)": lambda: _tensor((1, 2, 5, 5)),
    "int 1": lambda: 1,
    "int 2": lambda: 2,
    "float 0.5": lambda: 0.5,
    "tuple (1, 2)": lambda: (1, 2),
    "True": lambda: True,
    "string": lambda: "x",
    "None": lambda: None,
    "dict": lambda: {"a": 1},
    "list of strings": lambda: ["a", "b"],
    "list of floats": lambda: [1.0, 2.0],
    "list of tensors": lambda: [_tensor((2,)), _tensor((3,))],
    "zero": lambda: 0,
    "negative": lambda: -3,
    "huge": lambda: 10**12,
    "overflowing int": lambda: 2**70,
    "nan": lambda: float("nan"),
    "dim 7": lambda: 7,
    "int tensor": lambda: ag.tensor(np.arange(6).reshape(2, 3)),
    "bool tensor": lambda: ag.tensor(np.array([True, False, True])),
    "complex array": lambda: np.array([1 + 2j, 3j]),
    "object array": lambda: np.array([object(), None], dtype=object),
    "non-finite tensor": lambda: ag.tensor([np.nan, np.inf, -np.inf, 1.0], requires_grad=True),
    "empty tensor (0, 3)": lambda: _tensor((0, 3)),
    "float64 array": lambda: np.ones((2, 3)),
}
NAMES = sorted(POOL)


def _arrays(value):
    """The arrays inside a value (a tensor, an array, or containers of them)."""
    if isinstance(value, ag.Tensor):
        yield value.data
    elif isinstance(value, np.ndarray) and value.dtype != object:
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _arrays(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item)


@contextlib.contextmanager
def _time_limit(what):
    def hang(signum, frame):
        raise TimeoutError(f"{what} took more than {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _describe(args, kwargs):
    parts = [type(a).__name__ if not isinstance(a, (int, float, str)) else repr(a) for a in args]
    parts += [f"{k}={type(v).__name__ if not isinstance(v, (int, float, str)) else repr(v)}" for k, v in kwargs.items()]
    return "(" + ", ".join(parts) + ")"


def call(fn, names, args=(), kwargs=None, changes_input=False):
    """Call ``fn``; fail on anything but a success or an allowed error naming one of
    ``names``, on a changed input, or on a hang. Returns the error raised, or None."""
    kwargs = kwargs or {}
    what = f"{'/'.join(names)}{_describe(args, kwargs)}"
    before = [(array, array.copy()) for array in _arrays((args, kwargs))]
    error = None
    try:
        with _time_limit(what), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args, **kwargs)
    except ALLOWED as raised:
        error = raised
        message = str(error).lower()
        assert any(n.lower() in message for n in names), f"{what}: {type(error).__name__} does not name {names}: {error}"
    if error is not None or not changes_input:
        for array, copy_ in before:
            assert np.array_equal(array, copy_, equal_nan=array.dtype.kind in "fc"), f"{what} changed an input"
    return error


def draw_call(data, fn, skip=0):
    """Arguments for ``fn`` drawn from the pool: one per required positional parameter
    (after ``skip`` of them), up to three for ``*args``, and up to two keywords."""
    try:
        parameters = list(inspect.signature(fn).parameters.values())[skip:]
    except (TypeError, ValueError):
        parameters = []
    draw = lambda: POOL[data.draw(st.sampled_from(NAMES))]()  # noqa: E731
    args, kwargs = [], {}
    optional = []
    for p in parameters:
        if p.kind is p.VAR_POSITIONAL:
            args += [draw() for _ in range(data.draw(st.integers(0, 3)))]
        elif p.kind is p.VAR_KEYWORD:
            continue
        elif p.default is p.empty and p.kind is not p.KEYWORD_ONLY:
            args.append(draw())
        elif p.default is p.empty:
            kwargs[p.name] = draw()
        else:
            optional.append(p.name)
    for name in data.draw(st.lists(st.sampled_from(optional), max_size=2, unique=True)) if optional else ():
        kwargs[name] = draw()
    return args, kwargs


def _aliases(module, obj):
    names = {n for n in dir(module) if not n.startswith("_") and getattr(module, n) is obj}
    names.add(getattr(obj, "__name__", ""))
    return sorted(n for n in names if n)


# Functions that change global state or take code rather than data; each is tested on
# its own in its module's tests.
NOT_FUZZED = {
    "manual_seed", "seed", "set_detect_anomaly", "set_grad_enabled", "compile", "explore",
    "gradcheck", "gradgradcheck", "Function", "function", "detect_anomaly", "no_grad",
    "enable_grad", "inference_mode", "BackwardStepper",
}
def _is_dtype(value):
    return isinstance(value, type) and issubclass(value, np.generic)


FUNCTIONS = [
    *((ag, n) for n in ag.__all__ if callable(getattr(ag, n)) and not _is_dtype(getattr(ag, n))),
    *((F, n) for n, f in vars(F).items() if not n.startswith("_") and inspect.isfunction(f)),
]


@pytest.mark.parametrize(
    "module, name", [(m, n) for m, n in FUNCTIONS if n not in NOT_FUZZED], ids=lambda v: getattr(v, "__name__", v)
)
@FUZZ
@given(data=st.data())
def test_function(module, name, data):
    fn = getattr(module, name)
    args, kwargs = draw_call(data, fn)
    call(fn, _aliases(module, fn), args, kwargs, changes_input=name.endswith("_"))


# Valid constructor arguments of each layer, and an input it accepts; the constructors are
# fuzzed as they are, the calls with the layer built from these.
LAYERS = {
    "AdaptiveAvgPool2d": ((2,), (1, 2, 5, 5)),
    "AvgPool1d": ((2,), (2, 3, 4)),
    "AvgPool2d": ((2,), (1, 2, 5, 5)),
    "BCELoss": ((), None),
    "BCEWithLogitsLoss": ((), None),
    "BatchNorm1d": ((3,), (2, 3)),
    "BatchNorm2d": ((2,), (1, 2, 5, 5)),
    "Conv1d": ((3, 2, 2), (2, 3, 4)),
    "Conv2d": ((2, 3, 3), (1, 2, 5, 5)),
    "CosineSimilarity": ((), None),
    "CrossEntropyLoss": ((), None),
    "Dropout": ((), (2, 3)),
    "ELU": ((), (2, 3)),
    "Embedding": ((10, 3), None),
    "Flatten": ((), (2, 3, 4)),
    "GELU": ((), (2, 3)),
    "GRU": ((3, 4), (2, 3, 3)),
    "GRUCell": ((3, 4), (2, 3)),
    "GaussianNoise": ((0.1,), (2, 3)),
    "GroupNorm": ((1, 2), (1, 2, 5, 5)),
    "Hardtanh": ((), (2, 3)),
    "HuberLoss": ((), None),
    "Identity": ((), (2, 3)),
    "L1Loss": ((), None),
    "LSTM": ((3, 4), (2, 3, 3)),
    "LSTMCell": ((3, 4), (2, 3)),
    "LayerNorm": ((3,), (2, 3)),
    "LeakyReLU": ((), (2, 3)),
    "Linear": ((3, 4), (2, 3)),
    "LogSigmoid": ((), (2, 3)),
    "LogSoftmax": ((1,), (2, 3)),
    "MSELoss": ((), None),
    "MaxPool1d": ((2,), (2, 3, 4)),
    "MaxPool2d": ((2,), (1, 2, 5, 5)),
    "NLLLoss": ((), None),
    "PairwiseDistance": ((), None),
    "PerceptronLoss": ((), None),
    "RNN": ((3, 4), (2, 3, 3)),
    "RNNCell": ((3, 4), (2, 3)),
    "ReLU": ((), (2, 3)),
    "SELU": ((), (2, 3)),
    "SiLU": ((), (2, 3)),
    "Sigmoid": ((), (2, 3)),
    "SoftMarginLoss": ((), None),
    "Softmax": ((1,), (2, 3)),
    "Softplus": ((), (2, 3)),
    "Tanh": ((), (2, 3)),
    "Unflatten": ((1, (3, 1)), (2, 3)),
}


def test_every_layer_is_fuzzed():
    layers = {n for n in dir(nn) if isinstance(getattr(nn, n), type) and issubclass(getattr(nn, n), nn.Module)}
    containers = {"Module", "ModuleDict", "ModuleList", "Sequential", "RNNBase", "RNNCellBase", "Ensemble", "ResidualBlock"}
    assert layers - containers == set(LAYERS)


@pytest.mark.parametrize("name", sorted(LAYERS))
@FUZZ
@given(data=st.data())
def test_layer_constructor(name, data):
    cls = getattr(nn, name)
    args, kwargs = draw_call(data, cls)
    call(cls, [name], args, kwargs)


@pytest.mark.parametrize("name", sorted(LAYERS))
@FUZZ
@given(data=st.data())
def test_layer_call(name, data):
    layer = getattr(nn, name)(*LAYERS[name][0])
    args, kwargs = draw_call(data, layer.forward)
    call(layer, [name], args, kwargs)
    # the layer itself is unharmed: it still works on valid input
    shape = LAYERS[name][1]
    if shape is not None:
        layer(_tensor(shape))


def _parameters():
    return [nn.Parameter(np.ones((2, 3), dtype=np.float32)), nn.Parameter(np.zeros(3, dtype=np.float32))]


OPTIMIZERS = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"]
PARAMS_POOL = {**POOL, "parameters": _parameters, "parameter groups": lambda: [{"params": _parameters(), "lr": 0.1}],
               "generator of parameters": lambda: iter(_parameters()), "empty list": list}


@pytest.mark.parametrize("name", OPTIMIZERS)
@FUZZ
@given(data=st.data())
def test_optimizer_constructor(name, data):
    cls = getattr(optim, name)
    params = PARAMS_POOL[data.draw(st.sampled_from(sorted(PARAMS_POOL)))]()
    _, kwargs = draw_call(data, cls, skip=1)
    call(cls, [name], (params,), kwargs)


SCHEDULERS = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "LambdaLR", "ReduceLROnPlateau"]


@pytest.mark.parametrize("name", SCHEDULERS)
@FUZZ
@given(data=st.data())
def test_scheduler_constructor(name, data):
    cls = getattr(lr_scheduler, name)
    optimizer = optim.SGD(_parameters(), lr=0.1)
    before = copy.deepcopy(optimizer.state_dict())
    args, kwargs = draw_call(data, cls, skip=1)
    if call(cls, [name], (optimizer, *args), kwargs) is not None:
        assert _same(optimizer.state_dict(), before), f"{name}: a failed constructor changed the optimizer"


def _trained_adam():
    model = nn.Linear(3, 2)
    optimizer = optim.Adam(model.parameters(), lr=0.1)
    model(_tensor((4, 3), requires_grad=False)).sum().backward()
    optimizer.step()
    return model, optimizer


def _corrupted(state, data):
    """A copy of a valid state dict with one thing wrong: a key dropped or added, a value
    replaced by something from the pool, or a nested entry broken."""
    state = copy.deepcopy(state)
    keys = sorted(state, key=str)
    how = data.draw(st.sampled_from(["drop", "add", "replace", "nested"]))
    key = data.draw(st.sampled_from(keys)) if keys else None
    if how == "drop" and key is not None:
        del state[key]
    elif how == "add":
        state["surprise"] = POOL[data.draw(st.sampled_from(NAMES))]()
    elif how == "replace" and key is not None:
        state[key] = POOL[data.draw(st.sampled_from(NAMES))]()
    elif how == "nested" and key is not None and isinstance(state[key], (dict, list)) and state[key]:
        inner = state[key]
        index = data.draw(st.sampled_from(sorted(inner, key=str) if isinstance(inner, dict) else list(range(len(inner)))))
        inner[index] = POOL[data.draw(st.sampled_from(NAMES))]()
    return state


def _snapshot(model, optimizer):
    return copy.deepcopy((model.state_dict(), optimizer.state_dict()))


def _same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, ag.Tensor)):
        return np.array_equal(np.asarray(getattr(a, "data", a)), np.asarray(getattr(b, "data", b)), equal_nan=True)
    return a == b or (a != a and b != b)


@pytest.mark.parametrize("target", ["module", "optimizer", "scheduler"])
@FUZZ
@given(data=st.data())
def test_load_state_dict_loads_all_or_nothing(target, data):
    model, optimizer = _trained_adam()
    scheduler = lr_scheduler.StepLR(optimizer, step_size=2)
    owner = {"module": model, "optimizer": optimizer, "scheduler": scheduler}[target]
    if data.draw(st.booleans()):
        state = _corrupted(owner.state_dict(), data)
    else:
        state = POOL[data.draw(st.sampled_from(NAMES))]()
    before = _snapshot(model, optimizer), copy.deepcopy(scheduler.state_dict())
    names = [type(owner).__name__, "load_state_dict"]
    try:
        with _time_limit(f"{target}.load_state_dict"):
            owner.load_state_dict(state)
    except ALLOWED as error:
        assert any(n.lower() in str(error).lower() for n in names), f"{target}: {type(error).__name__} does not name {names}: {error}"
        assert _same((_snapshot(model, optimizer), scheduler.state_dict()), before), f"{target}: a failed load changed something"
        return
    # a load that worked leaves an owner that still works
    model(_tensor((4, 3), requires_grad=False)).sum().backward()
    optimizer.step()
    scheduler.step()
