"""Adam and AdamW against their documented algorithms written out in NumPy, and against
torch.optim.Adam / torch.optim.AdamW."""
import numpy as np
import pytest

import autograd_core as ag
from optim import Adam, AdamW

ADAM_OPTIONS = [
    dict(lr=0.1),
    dict(lr=0.1, betas=(0.8, 0.9)),
    dict(lr=0.1, eps=0.1),
    dict(lr=0.1, weight_decay=0.1),
    dict(lr=0.1, betas=(0.9, 0.5), amsgrad=True),
    dict(lr=0.1, maximize=True),
    dict(lr=0.1, betas=(0.7, 0.6), eps=1e-3, weight_decay=0.2, amsgrad=True, maximize=True),
]
ADAMW_OPTIONS = [
    dict(lr=0.1),
    dict(lr=0.1, weight_decay=0.3),
    dict(lr=0.1, betas=(0.9, 0.5), amsgrad=True),
    dict(lr=0.1, maximize=True),
    dict(lr=0.1, betas=(0.7, 0.6), eps=1e-3, weight_decay=0.2, amsgrad=True, maximize=True),
]


def documented_adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, maximize=False,
                    decoupled=False):
    """torch.optim.Adam's pseudo-code, line by line; ``decoupled`` swaps in AdamW's
    weight-decay line (theta <- theta - lr * lambda * theta before the Adam step)."""
    beta1, beta2 = betas

    def update(theta, grad, state, t):
        for key in ("m", "v", "v_max"):
            state.setdefault(key, np.zeros_like(theta))
        g = -grad if maximize else grad
        if decoupled:
            theta = theta - lr * weight_decay * theta
        elif weight_decay != 0:
            g = g + weight_decay * theta
        state["m"] = beta1 * state["m"] + (1 - beta1) * g
        state["v"] = beta2 * state["v"] + (1 - beta2) * g**2
        m_hat = state["m"] / (1 - beta1**t)
        if amsgrad:
            state["v_max"] = np.maximum(state["v_max"], state["v"])
            v_hat = state["v_max"] / (1 - beta2**t)
        else:
            v_hat = state["v"] / (1 - beta2**t)
        return theta - lr * m_hat / (np.sqrt(v_hat) + eps)

    return update


@pytest.mark.parametrize("options", ADAM_OPTIONS, ids=str)
def test_adam_follows_the_documented_algorithm(options, follows_documented):
    follows_documented(Adam, documented_adam(**options), options)


@pytest.mark.parametrize("options", ADAMW_OPTIONS, ids=str)
def test_adamw_follows_the_documented_algorithm(options, follows_documented):
    follows_documented(AdamW, documented_adam(decoupled=True, **{"weight_decay": 1e-2, **options}), options)


@pytest.mark.parametrize("options", ADAM_OPTIONS, ids=str)
def test_adam_matches_torch(options, against_torch):
    torch = pytest.importorskip("torch")
    against_torch(Adam, torch.optim.Adam, options)


@pytest.mark.parametrize("options", ADAMW_OPTIONS, ids=str)
def test_adamw_matches_torch(options, against_torch):
    torch = pytest.importorskip("torch")
    against_torch(AdamW, torch.optim.AdamW, options)


@pytest.mark.parametrize("cls", [Adam, AdamW])
def test_adam_matches_torch_in_float32(cls, against_torch):
    torch = pytest.importorskip("torch")
    against_torch(cls, getattr(torch.optim, cls.__name__), ADAM_OPTIONS[-1], dtype=np.float32)


def test_amsgrad_keeps_the_running_maximum(against_torch):
    """The gradients shrink at step 3, so v falls while its running maximum does not."""
    torch = pytest.importorskip("torch")
    params, optimizer = against_torch(Adam, torch.optim.Adam, dict(lr=0.1, betas=(0.9, 0.5), amsgrad=True))
    state = optimizer.state[params[0]]
    assert np.all(state["max_exp_avg_sq"] >= state["exp_avg_sq"])
    assert np.any(state["max_exp_avg_sq"] > state["exp_avg_sq"])


def test_adam_first_step_has_size_lr_thanks_to_bias_correction(problem):
    """m^_1 = g and v^_1 = g^2, so the first step is lr * sign(g) (eps = 0)."""
    params = problem.parameters()
    optimizer = Adam(params, lr=0.01, eps=0)
    problem.loss(params).backward()
    optimizer.step()
    for p, a, g in zip(params, problem.initial, problem.gradients(problem.initial)):
        np.testing.assert_allclose(p.data, a - 0.01 * np.sign(g), rtol=1e-12)


def test_adamw_default_weight_decay_and_equivalence_to_decoupled_adam(train):
    _, optimizer = train(AdamW, 1)
    assert optimizer.param_groups[0]["weight_decay"] == 0.01
    ours, _ = train(AdamW, 4, lr=0.1, weight_decay=0.3)
    same, _ = train(Adam, 4, lr=0.1, weight_decay=0.3, decoupled_weight_decay=True)
    coupled, _ = train(Adam, 4, lr=0.1, weight_decay=0.3)
    for a, b, c in zip(ours, same, coupled):
        np.testing.assert_array_equal(a, b)
        assert not np.allclose(a, c)


@pytest.mark.parametrize("cls", [Adam, AdamW])
def test_adam_converges_on_a_convex_quadratic(cls, train, problem):
    (u, W), _ = train(cls, 1500, lr=0.02, weight_decay=0)
    problem.assert_solved((u, W), atol=1e-3)


@pytest.mark.parametrize("cls", [Adam, AdamW])
def test_adam_rejects_bad_hyperparameters(cls):
    w = ag.zeros(3, requires_grad=True)
    name = cls.__name__
    with pytest.raises(ValueError, match=rf"{name}: invalid lr=-0\.001"):
        cls([w], lr=-0.001)
    with pytest.raises(ValueError, match=rf"{name}: invalid eps=-1e-08"):
        cls([w], eps=-1e-8)
    with pytest.raises(ValueError, match=rf"{name}: invalid weight_decay=-0\.1"):
        cls([w], weight_decay=-0.1)
    with pytest.raises(ValueError, match=rf"{name}: invalid betas\[0\]=1\.0 \(must be in \[0, 1\)\)"):
        cls([w], betas=(1.0, 0.999))
    with pytest.raises(ValueError, match=rf"{name}: invalid betas\[1\]=-0\.1"):
        cls([w], betas=(0.9, -0.1))
    with pytest.raises(TypeError, match=rf"{name}: betas must be a pair"):
        cls([w], betas=0.9)
