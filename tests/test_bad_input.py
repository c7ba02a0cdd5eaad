"""Bad input never escapes as an internal error.

Hypothesis throws wrong types (strings, None, dicts, lists of strings), wrong shapes,
wrong dtypes (int, bool, complex, object arrays), NaN and inf, empty tensors, zero,
negative and huge sizes and out-of-range dims at every public function of
``autograd_core`` and ``nn.functional``, every Tensor method, every layer's constructor and
call, every optimizer's constructor and every ``load_state_dict``. The targets are
enumerated from the packages' exported names, so a function added later is covered
without editing this file. Each call either works or raises TypeError, ValueError,
RuntimeError or IndexError (MemoryError for impossible sizes) with a message; it never
raises anything else from inside the library, never changes its inputs, never loads half
a state and never hangs.
"""
import contextlib
import inspect
import signal
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_core as ag
import nn
import nn.functional as F
import optim
from nn.data import DataLoader, TensorDataset

ALLOWED = (TypeError, ValueError, RuntimeError, IndexError, MemoryError)
HUGE = 2**62
SECONDS_PER_CALL = 10

# What each argument can be: a factory, so every call gets fresh objects.
POOL = [
    lambda: "x",
    lambda: None,
    lambda: {"a": 1},
    lambda: ["a", "b"],
    lambda: [],
    lambda: (),
    lambda: 1.5,
    lambda: -1,
    lambda: 0,
    lambda: 1,
    lambda: 2,
    lambda: 5,
    lambda: -7,
    lambda: HUGE,
    lambda: -HUGE,
    lambda: float("nan"),
    lambda: float("inf"),
    lambda: True,
    lambda: (2, 3),
    lambda: (0, -1),
    lambda: [1.0, 2.0, 3.0],
    lambda: np.array(["a", "b"]),
    lambda: np.array([1 + 2j, 3j]),
    lambda: np.array([None, 1], dtype=object),
    lambda: np.array([True, False]),
    lambda: np.arange(6).reshape(2, 3),
    lambda: np.ones((2, 3)),
    lambda: ag.tensor(3.0),
    lambda: ag.zeros(0),
    lambda: ag.zeros(2, 0, 3),
    lambda: ag.randn(3, requires_grad=True),
    lambda: ag.randn(2, 3, requires_grad=True),
    lambda: ag.randn(2, 3, 4, 5, requires_grad=True),
    lambda: ag.randn(1, 1, 5),
    lambda: ag.tensor([[float("nan"), float("inf")], [-float("inf"), 1.0]], requires_grad=True),
    lambda: ag.tensor([1e30, -1e30, 1e-30], dtype=ag.float64, requires_grad=True),
    lambda: ag.tensor([[1, 2], [3, 4]]),
    lambda: ag.tensor([True, False]),
    lambda: ag.tensor([0, 1]),
]
ARGS = st.lists(st.sampled_from(range(len(POOL))), max_size=4)
KWARGS = st.dictionaries(st.sampled_from(["dim", "keepdim", "dtype", "reduction", "weight"]), st.sampled_from(range(len(POOL))), max_size=1)


def _public(module):
    return {
        name: getattr(module, name)
        for name in dir(module)
        if not name.startswith("_") and callable(getattr(module, name)) and not inspect.ismodule(getattr(module, name))
    }


FUNCTIONS = {f"ag.{n}": f for n, f in _public(ag).items() if not (inspect.isclass(f) and issubclass(f, np.generic))}
FUNCTIONS.update({f"F.{n}": f for n, f in _public(F).items()})
METHODS = sorted(n for n, v in vars(ag.Tensor).items() if not n.startswith("_") and callable(v) and n != "backward")
LAYERS = {n: c for n, c in _public(nn).items() if inspect.isclass(c) and issubclass(c, nn.Module)}
OPTIMIZERS = {n: c for n, c in _public(optim).items() if inspect.isclass(c) and issubclass(c, optim.Optimizer)}


class _Hang(Exception):
    pass


@contextlib.contextmanager
def _time_limit(what):
    def alarm(*_):
        raise _Hang(f"{what} ran for more than {SECONDS_PER_CALL} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(SECONDS_PER_CALL)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _fingerprint(value):
    """What must not change: the bytes, shape and dtype of every array an argument holds."""
    if isinstance(value, ag.Tensor):
        return ("tensor", value.data.shape, value.data.dtype.str, value.data.tobytes(), value.requires_grad)
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.dtype.str, value.tobytes() if value.dtype != object else repr(value))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_fingerprint(v) for v in value])
    if isinstance(value, dict):
        return ("dict", sorted((repr(k), _fingerprint(v)) for k, v in value.items()))
    return repr(value)


def check_call(what, call, args=(), kwargs=None, inputs_may_change=False):
    """Run ``call(*args, **kwargs)``; fail on anything but success or an allowed error
    with a message, and on a changed argument."""
    kwargs = kwargs or {}
    before = _fingerprint((args, kwargs))
    error = None
    with warnings.catch_warnings(), np.errstate(all="ignore"), _time_limit(what):
        warnings.simplefilter("ignore")
        try:
            call(*args, **kwargs)
        except ALLOWED as caught:
            error = caught
        except _Hang:
            raise
        except Exception as caught:  # noqa: BLE001 (anything else is what this test looks for)
            pytest.fail(f"{what}(*{args!r}, **{kwargs!r}) raised {type(caught).__name__}: {caught}")
    if error is not None:
        assert str(error), f"{what}(*{args!r}, **{kwargs!r}) raised an empty {type(error).__name__}"
    if error is not None or not inputs_may_change:
        assert _fingerprint((args, kwargs)) == before, f"{what}(*{args!r}, **{kwargs!r}) changed its input"


FUZZ = settings(max_examples=6, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def _build(indices):
    return [POOL[i]() for i in indices]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@FUZZ
@given(args=ARGS, kwargs=KWARGS)
def test_functions(name, args, kwargs):
    function = FUNCTIONS[name]
    check_call(name, function, _build(args), {k: POOL[v]() for k, v in kwargs.items()})


@pytest.mark.parametrize("name", METHODS)
@FUZZ
@given(receiver=st.sampled_from([i for i, f in enumerate(POOL) if isinstance(f(), ag.Tensor)]), args=ARGS, kwargs=KWARGS)
def test_tensor_methods(name, receiver, args, kwargs):
    tensor = POOL[receiver]()
    in_place = name.endswith("_")
    check_call(f"Tensor.{name}", getattr(tensor, name), _build(args),
               {k: POOL[v]() for k, v in kwargs.items()}, inputs_may_change=in_place)
    if in_place:
        return
    assert _fingerprint(tensor) == _fingerprint(POOL[receiver]()) or receiver in _RANDOM, f"Tensor.{name} changed its tensor"


_RANDOM = {i for i, f in enumerate(POOL) if isinstance(f(), ag.Tensor) and not np.array_equal(f().data, f().data, equal_nan=True)}


def _working_instance(cls):
    """The layer built from the first of a few plain argument lists it accepts."""
    for args in [(), (3,), (3, 4), (3, 4, 2), (3, 3, 2), ([3, 4],), (1, (3, 4)), (nn.Linear(3, 3),)]:
        try:
            return cls(*args)
        except (TypeError, ValueError):
            continue
    return None


@pytest.mark.parametrize("name", sorted(LAYERS))
@FUZZ
@given(args=ARGS, kwargs=KWARGS)
def test_layer_constructors(name, args, kwargs):
    check_call(f"nn.{name}", LAYERS[name], _build(args), {k: POOL[v]() for k, v in kwargs.items() if k != "dtype"})


@pytest.mark.parametrize("name", sorted(n for n, c in LAYERS.items() if _working_instance(c) is not None and n != "Module"))
@FUZZ
@given(args=ARGS)
def test_layer_calls(name, args):
    layer = _working_instance(LAYERS[name])
    check_call(f"nn.{name}()", layer, _build(args))


def _parameters():
    return list(nn.Linear(3, 2).parameters())


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@FUZZ
@given(params=st.sampled_from(range(len(POOL) + 1)), kwargs=st.dictionaries(st.sampled_from(["lr", "momentum", "betas", "eps", "weight_decay", "alpha", "lr_decay", "nesterov"]), st.sampled_from(range(len(POOL))), max_size=3))
def test_optimizer_constructors(name, params, kwargs):
    first = _parameters() if params == len(POOL) else POOL[params]()
    check_call(name, OPTIMIZERS[name], [first], {k: POOL[v]() for k, v in kwargs.items()})


def _stateful_objects():
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    optimizer = optim.Adam(model.parameters(), lr=0.1)
    (model(ag.randn(4, 3)) ** 2).sum().backward()
    optimizer.step()
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2)
    loader = DataLoader(TensorDataset(np.arange(6.0)), batch_size=2, shuffle=True, seed=0)
    return {"Module": model, "Optimizer": optimizer, "LRScheduler": scheduler, "DataLoader": loader}


def _corrupted(state, rng_choice, bad):
    """``state`` with one entry (at any depth) replaced by ``bad``, or ``bad`` itself."""
    if rng_choice == 0 or not isinstance(state, dict) or not state:
        return bad
    keys = list(state)
    key = keys[rng_choice % len(keys)]
    copy = dict(state)
    copy[key] = _corrupted(state[key], rng_choice // 3, bad) if isinstance(state[key], dict) else bad
    return copy


@pytest.mark.parametrize("kind", ["Module", "Optimizer", "LRScheduler", "DataLoader"])
@FUZZ
@given(where=st.integers(0, 50), bad=st.sampled_from(range(len(POOL))))
def test_load_state_dict_is_all_or_nothing(kind, where, bad):
    target = _stateful_objects()[kind]
    good = target.state_dict()
    state = _corrupted(good, where, POOL[bad]())
    before = repr(target.state_dict())
    error = None
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            target.load_state_dict(state)
        except ALLOWED as caught:
            error = caught
        except Exception as caught:  # noqa: BLE001
            pytest.fail(f"{kind}.load_state_dict({state!r}) raised {type(caught).__name__}: {caught}")
    if error is not None:
        assert repr(target.state_dict()) == before, f"{kind}.load_state_dict half-loaded {state!r}"
