"""Random sampling (autograd_core/random.py): Generator state and seeding, determinism,
and each sampler's distribution, shape and dtype against PyTorch's (not its values)."""
import numpy as np
import pytest
import torch

import autograd_core as ag

N = 20000


def test_manual_seed_reseeds_the_global_generator_in_place():
    kept = ag.manual_seed(3)
    kept_numpy = ag.default_generator()
    first = ag.randn(5)
    assert ag.manual_seed(3) is kept
    assert ag.default_generator() is kept_numpy
    np.testing.assert_array_equal(ag.randn(5).data, first.data)
    kept.manual_seed(3)  # a kept reference still drives the global draws
    np.testing.assert_array_equal(ag.randn(5).data, first.data)
    assert kept.initial_seed() == 3 and ag.initial_seed() == 3


def test_generator_seed_state_and_independence():
    g = ag.Generator().manual_seed(2147483647)
    assert isinstance(g, ag.Generator)
    state = g.get_state()
    assert state.dtype == np.uint8 and not state.requires_grad
    a = ag.randint(0, 100, (10,), generator=g)
    ag.manual_seed(0)
    ag.randn(100)  # the global generator does not disturb g
    g.set_state(state)
    np.testing.assert_array_equal(ag.randint(0, 100, (10,), generator=g).data, a.data)
    new_seed = g.seed()
    assert g.initial_seed() == new_seed
    with pytest.raises(ValueError, match="set_state"):
        g.set_state(ag.zeros(3))
    with pytest.raises(TypeError, match="manual_seed"):
        g.manual_seed(1.5)


def test_global_state_round_trip():
    state = ag.get_rng_state()
    first = ag.rand(4)
    ag.set_rng_state(state)
    np.testing.assert_array_equal(ag.rand(4).data, first.data)


SAMPLERS = [
    ("rand", lambda g: ag.rand(3, 4, generator=g)),
    ("randn", lambda g: ag.randn((3, 4), generator=g)),
    ("randint", lambda g: ag.randint(3, 9, (5,), generator=g)),
    ("randperm", lambda g: ag.randperm(7, generator=g)),
    ("normal", lambda g: ag.normal(2.0, 3.0, (4,), generator=g)),
    ("rand_like", lambda g: ag.rand_like(ag.zeros(3), generator=g)),
    ("randn_like", lambda g: ag.randn_like(ag.zeros(3), generator=g)),
    ("randint_like", lambda g: ag.randint_like(ag.zeros(3), 5, generator=g)),
    ("bernoulli", lambda g: ag.bernoulli(ag.full((6,), 0.5), generator=g)),
    ("multinomial", lambda g: ag.multinomial(ag.tensor([0.2, 0.5, 0.3]), 4, True, generator=g)),
    ("uniform_", lambda g: ag.empty(4).uniform_(-1, 1, generator=g)),
    ("normal_", lambda g: ag.empty(4).normal_(0, 2, generator=g)),
    ("random_", lambda g: ag.empty(4).random_(0, 10, generator=g)),
]


@pytest.mark.parametrize("name,draw", SAMPLERS, ids=[s[0] for s in SAMPLERS])
def test_every_sampler_takes_a_generator_and_is_deterministic_under_a_seed(name, draw):
    first = draw(ag.Generator().manual_seed(42))
    again = draw(ag.Generator().manual_seed(42))
    np.testing.assert_array_equal(first.data, again.data)
    assert not first.requires_grad
    draws = {draw(ag.Generator().manual_seed(s)).data.tobytes() for s in range(6)}
    assert len(draws) > 1


# (ours, torch's, mean, variance, dtype) over N samples
DISTRIBUTIONS = [
    (lambda: ag.rand(N), lambda: torch.rand(N), 0.5, 1 / 12),
    (lambda: ag.randn(N), lambda: torch.randn(N), 0.0, 1.0),
    (lambda: ag.randint(-3, 5, (N,)), lambda: torch.randint(-3, 5, (N,)), 0.5, (8**2 - 1) / 12),
    (lambda: ag.randint(4, (N,)), lambda: torch.randint(4, (N,)), 1.5, (4**2 - 1) / 12),
    (lambda: ag.normal(2.0, 3.0, (N,)), lambda: torch.normal(2.0, 3.0, (N,)), 2.0, 9.0),
    (lambda: ag.normal(ag.full((N,), -1.0), 0.5), lambda: torch.normal(torch.full((N,), -1.0), 0.5), -1.0, 0.25),
    (lambda: ag.bernoulli(ag.full((N,), 0.3)), lambda: torch.bernoulli(torch.full((N,), 0.3)), 0.3, 0.21),
    (lambda: ag.rand_like(ag.zeros(N, dtype=np.float64)), lambda: torch.rand_like(torch.zeros(N, dtype=torch.float64)), 0.5, 1 / 12),
    (lambda: ag.randn_like(ag.zeros(N)), lambda: torch.randn_like(torch.zeros(N)), 0.0, 1.0),
    (lambda: ag.randint_like(ag.zeros(N), 2, 6), lambda: torch.randint_like(torch.zeros(N), 2, 6), 3.5, 15 / 12),
    (lambda: ag.zeros(N).uniform_(2, 4), lambda: torch.zeros(N).uniform_(2, 4), 3.0, 4 / 12),
    (lambda: ag.zeros(N).normal_(1, 2), lambda: torch.zeros(N).normal_(1, 2), 1.0, 4.0),
    (lambda: ag.zeros(N).random_(10), lambda: torch.zeros(N).random_(10), 4.5, 99 / 12),
    (lambda: ag.zeros(N, dtype=np.int64).random_(3, 7), lambda: torch.zeros(N, dtype=torch.int64).random_(3, 7), 4.5, 15 / 12),
]


@pytest.mark.parametrize("case", range(len(DISTRIBUTIONS)))
def test_distributions_match_pytorch(case):
    ours, theirs, mean, variance = DISTRIBUTIONS[case]
    ag.manual_seed(case)
    torch.manual_seed(case)
    a, t = ours(), theirs()
    assert a.dtype == t.numpy().dtype and a.shape == tuple(t.shape)
    values = a.data.astype(np.float64)
    tolerance = 5 * np.sqrt(variance / N)
    assert abs(values.mean() - mean) < tolerance
    assert abs(t.double().mean().item() - mean) < tolerance
    assert abs(values.var() - variance) < 0.05 * variance
    assert values.min() >= t.double().min().item() - 5 * np.sqrt(variance)


def test_randint_and_randperm_ranges_and_dtypes():
    ag.manual_seed(0)
    x = ag.randint(2, 5, size=(3, 4))
    assert x.dtype == np.int64 and x.shape == (3, 4) and set(np.unique(x.data)) <= {2, 3, 4}
    assert ag.randint(0, 3, (2,), dtype=np.int32).dtype == np.int32
    assert ag.randint(5, (0,)).shape == (0,)
    p = ag.randperm(10)
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(10))
    assert ag.randperm(0).shape == (0,)
    assert ag.rand(2, 3, requires_grad=True).requires_grad
    assert ag.rand(2, dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError, match="randint"):
        ag.randint(5, 5, (2,))
    with pytest.raises(TypeError, match="randint"):
        ag.randint(5)


def test_multinomial_frequencies_and_without_replacement():
    g = ag.Generator().manual_seed(1)
    probs = ag.tensor([[0.1, 0.0, 0.6, 0.3], [1.0, 1.0, 1.0, 1.0]])
    draws = ag.multinomial(probs, 10000, replacement=True, generator=g)
    assert draws.dtype == np.int64 and draws.shape == (2, 10000)
    np.testing.assert_allclose(np.bincount(draws.data[0], minlength=4) / 10000, [0.1, 0.0, 0.6, 0.3], atol=0.02)
    np.testing.assert_allclose(np.bincount(draws.data[1], minlength=4) / 10000, [0.25] * 4, atol=0.02)
    without = ag.multinomial(probs[1], 4, generator=g)
    assert sorted(without.tolist()) == [0, 1, 2, 3]
    single = ag.multinomial(ag.tensor([0.0, 0.0, 1.0]), 1, generator=g)
    assert single.shape == (1,) and single.item() == 2
    with pytest.raises(ValueError, match="multinomial"):
        ag.multinomial(ag.tensor([1.0, 0.0]), 2)
    with pytest.raises(ValueError, match="multinomial"):
        ag.multinomial(ag.tensor([-1.0, 2.0]), 1)


def test_in_place_samplers_refuse_tensors_that_require_grad():
    w = ag.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="uniform_"):
        w.uniform_()
    with ag.no_grad():
        w.normal_()
    assert w._version == 1


def test_bernoulli_keeps_dtype_and_bounds():
    out = ag.bernoulli(ag.tensor([0.0, 1.0, 1.0], dtype=np.float64))
    assert out.dtype == np.float64 and out.tolist() == [0.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="bernoulli"):
        ag.bernoulli(ag.tensor([1.5]))
