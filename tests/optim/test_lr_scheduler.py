"""Learning-rate schedules: their sequences against the closed forms and against
torch.optim.lr_scheduler, chaining, resuming, and bad arguments."""
import bisect
import math

import numpy as np
import pytest

import autograd_core as ag
from optim import SGD, Adam
from optim import lr_scheduler as sched

EPOCHS = 40
BASE_LRS = [0.1, 0.03]

SCHEDULES = [
    ("StepLR", dict(step_size=7, gamma=0.5), lambda base, e: base * 0.5 ** (e // 7)),
    ("MultiStepLR", dict(milestones=[3, 10, 10, 25]), lambda base, e: base * 0.1 ** bisect.bisect_right([3, 10, 10, 25], e)),
    ("ExponentialLR", dict(gamma=0.9), lambda base, e: base * 0.9**e),
    (
        "CosineAnnealingLR",
        dict(T_max=15, eta_min=0.001),
        lambda base, e: 0.001 + (base - 0.001) * (1 + math.cos(math.pi * e / 15)) / 2,
    ),
    ("LambdaLR", dict(lr_lambda=lambda e: 1 / (1 + 0.5 * e)), lambda base, e: base / (1 + 0.5 * e)),
    ("LinearLR", dict(), lambda base, e: base * (1 / 3 + (2 / 3) * min(e, 5) / 5)),
    ("LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=12), lambda base, e: base * (1 - 0.9 * min(e, 12) / 12)),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(SCHEDULES)]


def two_groups(cls=SGD):
    return cls([{"params": [ag.zeros(2, requires_grad=True)], "lr": BASE_LRS[0]},
                {"params": [ag.zeros(3, requires_grad=True)], "lr": BASE_LRS[1]}])


def sequence(scheduler, epochs=EPOCHS):
    lrs = [scheduler.get_last_lr()]
    for _ in range(epochs):
        scheduler.optimizer.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr())
    return np.array(lrs)


@pytest.mark.parametrize("name, options, closed_form", SCHEDULES, ids=IDS)
def test_schedule_follows_its_closed_form(name, options, closed_form):
    optimizer = two_groups()
    lrs = sequence(getattr(sched, name)(optimizer, **options))
    expected = np.array([[closed_form(base, e) for base in BASE_LRS] for e in range(EPOCHS + 1)])
    np.testing.assert_allclose(lrs, expected, rtol=1e-10, atol=1e-15)
    assert [g["lr"] for g in optimizer.param_groups] == list(lrs[-1])
    assert [g["initial_lr"] for g in optimizer.param_groups] == BASE_LRS


def torch_two_groups(torch):
    return torch.optim.SGD([{"params": [torch.zeros(2, requires_grad=True)], "lr": BASE_LRS[0]},
                            {"params": [torch.zeros(3, requires_grad=True)], "lr": BASE_LRS[1]}])


@pytest.mark.parametrize("name, options, closed_form", SCHEDULES, ids=IDS)
def test_schedule_matches_torch(name, options, closed_form):
    torch = pytest.importorskip("torch")
    ours = sequence(getattr(sched, name)(two_groups(), **options))
    theirs = sequence(getattr(torch.optim.lr_scheduler, name)(torch_two_groups(torch), **options))
    np.testing.assert_allclose(ours, theirs, rtol=1e-13)


def test_chained_schedules_compose_like_torch():
    """Warm-up by LinearLR and decay by ExponentialLR on one optimizer multiply together."""
    torch = pytest.importorskip("torch")

    def run(module, optimizer):
        warmup = module.LinearLR(optimizer, start_factor=0.1, total_iters=4)
        decay = module.ExponentialLR(optimizer, gamma=0.95)
        lrs = []
        for _ in range(12):
            optimizer.step()
            warmup.step()
            decay.step()
            lrs.append(decay.get_last_lr())
        return np.array(lrs)

    ours = run(sched, two_groups())
    np.testing.assert_allclose(ours, run(torch.optim.lr_scheduler, torch_two_groups(torch)), rtol=1e-13)
    e = np.arange(1, 13)
    closed = np.minimum(0.1 + 0.9 * e / 4, 1.0) * 0.95**e
    np.testing.assert_allclose(ours[:, 0], BASE_LRS[0] * closed, rtol=1e-12)


@pytest.mark.parametrize("name, options, closed_form", SCHEDULES, ids=IDS)
def test_state_dict_round_trip_continues_the_sequence(name, options, closed_form):
    optimizer = two_groups()
    scheduler = getattr(sched, name)(optimizer, **options)
    sequence(scheduler, 9)
    saved_scheduler, saved_optimizer = scheduler.state_dict(), optimizer.state_dict()
    expected = sequence(scheduler, 10)

    # PyTorch's order: build the scheduler first (it sets the lr for epoch 0), then load.
    restored_optimizer = two_groups()
    restored = getattr(sched, name)(restored_optimizer, **options)
    restored_optimizer.load_state_dict(saved_optimizer)
    restored.load_state_dict(saved_scheduler)
    np.testing.assert_array_equal(sequence(restored, 10), expected)


@pytest.mark.parametrize("name, options, closed_form", SCHEDULES, ids=IDS)
def test_resuming_with_last_epoch_matches_torch(name, options, closed_form):
    """A scheduler built with last_epoch=k over groups that carry 'initial_lr' (as after
    loading an optimizer's state) continues from the group's current lr as PyTorch does."""
    torch = pytest.importorskip("torch")

    def resumed(module, optimizer):
        for group, base in zip(optimizer.param_groups, BASE_LRS):
            group["initial_lr"] = base
            group["lr"] = closed_form(base, 6)
        return sequence(getattr(module, name)(optimizer, **options, last_epoch=6), 12)

    ours = resumed(sched, two_groups())
    np.testing.assert_allclose(ours, resumed(torch.optim.lr_scheduler, torch_two_groups(torch)), rtol=1e-13)


def test_resuming_needs_initial_lr():
    with pytest.raises(ValueError, match="has no 'initial_lr'"):
        sched.StepLR(two_groups(), step_size=3, last_epoch=5)


def test_lambda_lr_takes_one_function_per_group():
    optimizer = two_groups()
    scheduler = sched.LambdaLR(optimizer, [lambda e: 1.0, lambda e: 0.5**e])
    sequence(scheduler, 3)
    assert scheduler.get_last_lr() == [0.1, 0.03 * 0.125]
    assert "lr_lambdas" not in scheduler.state_dict()
    with pytest.raises(ValueError, match="expected 2 lr_lambdas"):
        sched.LambdaLR(optimizer, [lambda e: 1.0])


def test_schedulers_reject_bad_arguments():
    with pytest.raises(TypeError, match="StepLR: list is not an Optimizer"):
        sched.StepLR([], step_size=2)
    with pytest.raises(ValueError, match="StepLR: step_size must be a positive integer, got 0"):
        sched.StepLR(two_groups(), step_size=0)
    with pytest.raises(ValueError, match="CosineAnnealingLR: T_max must be a positive integer"):
        sched.CosineAnnealingLR(two_groups(), T_max=-1)
    with pytest.raises(ValueError, match=r"LinearLR: start_factor must be in \(0, 1\], got 0"):
        sched.LinearLR(two_groups(), start_factor=0)
    with pytest.raises(ValueError, match="ReduceLROnPlateau: factor must be < 1.0"):
        sched.ReduceLROnPlateau(two_groups(), factor=1.5)
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        sched.ReduceLROnPlateau(two_groups(), mode="lowest")


PLATEAU_METRICS = [5.0, 4.0, 4.0, 3.9999, 4.1, 4.2, 3.0, 3.0, 3.1, 3.2, 3.3, 2.0, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1]


@pytest.mark.parametrize(
    "options",
    [
        dict(patience=2),
        dict(patience=0, factor=0.5),
        dict(patience=1, cooldown=2, factor=0.5, min_lr=[0.02, 0.001]),
        dict(mode="max", patience=1, threshold=0.1, threshold_mode="abs"),
        dict(patience=1, threshold=0.01, threshold_mode="abs", eps=0.05),
    ],
    ids=str,
)
def test_reduce_lr_on_plateau_matches_torch(options):
    torch = pytest.importorskip("torch")

    def run(module, optimizer):
        scheduler = module.ReduceLROnPlateau(optimizer, **options)
        lrs = []
        for metric in PLATEAU_METRICS:
            scheduler.step(metric)
            lrs.append(scheduler.get_last_lr())
        return np.array(lrs), scheduler

    ours, scheduler = run(sched, two_groups())
    theirs, _ = run(torch.optim.lr_scheduler, torch_two_groups(torch))
    np.testing.assert_allclose(ours, theirs, rtol=1e-15)
    assert (np.diff(ours[:, 0]) != 0).any()


def test_reduce_lr_on_plateau_waits_patience_epochs_then_cuts():
    optimizer = two_groups(Adam)
    scheduler = sched.ReduceLROnPlateau(optimizer, patience=2, factor=0.5)
    for metric in [1.0, 1.0, 1.0]:
        scheduler.step(ag.tensor(metric))
    assert scheduler.get_last_lr() == BASE_LRS
    scheduler.step(1.0)
    assert scheduler.get_last_lr() == [0.05, 0.015]
    assert scheduler.num_bad_epochs == 0 and scheduler.best == 1.0
