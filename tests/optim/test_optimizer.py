"""The Optimizer base class: parameter groups, bad input, skipping missing gradients,
zero_grad, closures, in-place updates, and state_dict round trips."""
import copy
import tracemalloc

import numpy as np
import pytest

import autograd_core as ag
from optim import SGD, Adagrad, Adam, AdamW, RMSprop

EVERY_OPTIMIZER = [
    (SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    (Adagrad, dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)),
    (RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
    (Adam, dict(lr=0.05, amsgrad=True, weight_decay=0.01)),
    (AdamW, dict(lr=0.05, amsgrad=True)),
]
IDS = [cls.__name__ for cls, _ in EVERY_OPTIMIZER]


def test_parameter_groups_have_their_own_hyperparameters(problem):
    u, W = problem.parameters()
    optimizer = SGD([{"params": [u]}, {"params": W, "lr": 0.5, "weight_decay": 0.1}], lr=0.1)
    assert optimizer.param_groups[0]["lr"] == 0.1 and optimizer.param_groups[0]["weight_decay"] == 0
    assert optimizer.param_groups[1]["lr"] == 0.5 and optimizer.param_groups[1]["params"] == [W]
    problem.loss([u, W]).backward()
    gu, gW = problem.gradients(problem.initial)
    optimizer.step()
    np.testing.assert_allclose(u.data, problem.initial[0] - 0.1 * gu)
    np.testing.assert_allclose(W.data, problem.initial[1] - 0.5 * (gW + 0.1 * problem.initial[1]))


def test_params_may_be_any_iterable_and_groups_can_be_added(problem):
    u, W = problem.parameters()
    optimizer = Adam(p for p in [u])
    optimizer.add_param_group({"params": [W], "lr": 0.1})
    assert [g["params"] for g in optimizer.param_groups] == [[u], [W]]
    assert optimizer.param_groups[1]["betas"] == (0.9, 0.999)


def test_bad_parameter_lists_are_rejected_with_the_optimizer_named(problem):
    u, W = problem.parameters()
    with pytest.raises(ValueError, match="Adam: got an empty parameter list"):
        Adam([])
    with pytest.raises(TypeError, match="SGD: params must be an iterable .* got a single Tensor"):
        SGD(u)
    with pytest.raises(TypeError, match="RMSprop: parameter 1 is a ndarray, not a Tensor"):
        RMSprop([u, np.zeros(3)])
    with pytest.raises(ValueError, match=r"Adagrad: parameter 2 of shape \(4,\) is given twice"):
        Adagrad([u, W, u])
    with pytest.raises(ValueError, match="SGD: some parameters appear in more than one group"):
        SGD([{"params": [u]}, {"params": [W, u]}])
    with pytest.raises(TypeError, match="not a set"):
        SGD({u, W})
    with pytest.raises(ValueError, match=r"Adam: parameter 0 of shape \(4,\) is not a leaf"):
        Adam([u * 2])
    with pytest.raises(TypeError, match="only floating-point tensors"):
        SGD([ag.tensor([1, 2])])
    with pytest.raises(ValueError, match=r"SGD: invalid lr=-1"):
        SGD([{"params": [u], "lr": -1}], lr=0.1)
    optimizer = SGD([u])
    with pytest.raises(ValueError, match="more than one group"):
        optimizer.add_param_group({"params": [u]})
    assert len(optimizer.param_groups) == 1


@pytest.mark.parametrize("cls, options", EVERY_OPTIMIZER, ids=IDS)
def test_a_parameter_without_gradient_is_skipped(cls, options, problem):
    u, W = problem.parameters()
    frozen = ag.tensor(np.ones(3), requires_grad=True)
    optimizer = cls([u, W, frozen], **options)
    problem.loss([u, W]).backward()
    optimizer.step()
    np.testing.assert_array_equal(frozen.data, np.ones(3))
    assert frozen not in optimizer.state or not optimizer.state[frozen]
    assert not np.array_equal(u.data, problem.initial[0])


@pytest.mark.parametrize("cls, options", EVERY_OPTIMIZER, ids=IDS)
def test_step_leaves_the_gradient_untouched_and_updates_in_place(cls, options, problem):
    params = problem.parameters()
    arrays = [p.data for p in params]
    problem.loss(params).backward()
    grads = [p.grad.copy() for p in params]
    cls(params, **options, maximize=True).step()
    for p, array, g in zip(params, arrays, grads):
        assert p.data is array
        np.testing.assert_array_equal(p.grad, g)


def test_backward_through_a_graph_whose_parameter_was_updated_raises(problem):
    params = problem.parameters()
    optimizer = SGD(params, lr=0.1)
    problem.loss(params).backward()
    stale = problem.loss(params)
    optimizer.step()
    with pytest.raises(RuntimeError, match="modified in place"):
        stale.backward()


def test_zero_grad_sets_to_none_or_zeros_in_place(problem):
    params = problem.parameters()
    optimizer = SGD(params)
    problem.loss(params).backward()
    grad = params[0].grad
    optimizer.zero_grad(set_to_none=False)
    assert params[0].grad is grad and not grad.any()
    optimizer.zero_grad()
    assert all(p.grad is None for p in params)


def test_step_calls_the_closure_with_gradients_on_and_returns_its_loss(problem):
    params = problem.parameters()
    optimizer = SGD(params, lr=0.1)

    def closure():
        optimizer.zero_grad()
        loss = problem.loss(params)
        loss.backward()
        return loss

    with ag.no_grad():
        loss = optimizer.step(closure)
    expected = problem.loss([ag.tensor(a) for a in problem.initial]).item()
    assert loss.item() == pytest.approx(expected)
    assert problem.loss(params).item() < expected


def test_a_step_allocates_almost_nothing():
    """State buffers and scratch arrays are reused, so a step after the first allocates
    far less than one parameter's worth of memory."""
    params = [ag.tensor(np.ones(100_000, np.float32), requires_grad=True) for _ in range(3)]
    for p in params:
        p.grad = np.full(100_000, 0.5, np.float32)
    optimizer = Adam(params, weight_decay=0.1, amsgrad=True, maximize=True)
    optimizer.step()
    tracemalloc.start()
    optimizer.step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 40_000  # one parameter is 400,000 bytes


@pytest.mark.parametrize("cls, options", EVERY_OPTIMIZER, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_state_dict_round_trip_resumes_bit_identically(cls, options, dtype, problem):
    def run(params, optimizer, steps):
        for _ in range(steps):
            optimizer.zero_grad()
            problem.loss(params).backward()
            optimizer.step()

    params = problem.parameters(dtype)
    optimizer = cls([{"params": params[:1]}, {"params": params[1:], "lr": 0.02}], **options)
    run(params, optimizer, 3)
    saved = optimizer.state_dict()
    checkpoint = [p.data.copy() for p in params]
    run(params, optimizer, 4)

    resumed = [ag.tensor(a, requires_grad=True) for a in checkpoint]
    fresh = cls([{"params": resumed[:1]}, {"params": resumed[1:]}], **options)
    fresh.load_state_dict(saved)
    assert fresh.param_groups[1]["lr"] == 0.02
    run(resumed, fresh, 4)
    for a, b in zip(params, resumed):
        np.testing.assert_array_equal(a.data, b.data)


def test_state_dict_numbers_parameters_across_groups_and_holds_copies(problem):
    u, W = problem.parameters()
    optimizer = Adam([{"params": [u]}, {"params": [W]}])
    problem.loss([u, W]).backward()
    optimizer.step()
    saved = optimizer.state_dict()
    assert [g["params"] for g in saved["param_groups"]] == [[0], [1]]
    assert set(saved["state"]) == {0, 1} and saved["state"][1]["step"] == 1
    before = saved["state"][0]["exp_avg"].copy()
    optimizer.step()
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], before)


def test_load_state_dict_rejects_a_mismatch_and_changes_nothing(problem):
    u, W = problem.parameters()
    optimizer = Adam([u, W], lr=0.1)
    problem.loss([u, W]).backward()
    optimizer.step()
    saved = optimizer.state_dict()
    other = Adam([ag.zeros(4, requires_grad=True), ag.zeros(3, 2, requires_grad=True)], lr=0.5)
    other_before = copy.deepcopy(other.state_dict())
    with pytest.raises(ValueError, match=r"buffer 'exp_avg' of parameter 1 has shape \(2, 3\)"):
        other.load_state_dict(saved)
    with pytest.raises(ValueError, match="saved group 0 has 2 parameters, this optimizer's has 1"):
        Adam([u]).load_state_dict(saved)
    with pytest.raises(ValueError, match="1 parameter groups, this optimizer has 2"):
        Adam([{"params": [u]}, {"params": [W]}]).load_state_dict(saved)
    assert other.state_dict()["param_groups"] == other_before["param_groups"]
    assert not other.state_dict()["state"]


def test_load_state_dict_casts_buffers_to_the_parameter_dtype(problem):
    params = problem.parameters(np.float64)
    optimizer = RMSprop(params)
    problem.loss(params).backward()
    optimizer.step()
    single = problem.parameters(np.float32)
    restored = RMSprop(single)
    restored.load_state_dict(optimizer.state_dict())
    assert restored.state[single[0]]["square_avg"].dtype == np.float32


def test_repr_lists_each_group():
    text = repr(SGD([ag.zeros(2, requires_grad=True)], lr=0.1, momentum=0.9))
    assert text.startswith("SGD (") and "Parameter Group 0" in text and "momentum: 0.9" in text
