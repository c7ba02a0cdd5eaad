"""nn.init: gains as PyTorch's table, fans, and the variance of each initialiser against
its formula (for sigmoid/tanh LeCun 1/fan_in, for ReLU He 2/fan_in, Glorot 2/(in+out))."""
import math

import numpy as np
import pytest

import autograd_core as ag
import nn

FAN_OUT, FAN_IN = 300, 400


def weight(*shape):
    return nn.Parameter(np.empty(shape or (FAN_OUT, FAN_IN), dtype=np.float32))


@pytest.mark.parametrize(
    "name, param, gain",
    [
        ("linear", None, 1.0), ("conv2d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5 / 3),
        ("relu", None, math.sqrt(2)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
        ("leaky_relu", 0.2, math.sqrt(2 / 1.04)), ("selu", None, 0.75),
    ],
)
def test_calculate_gain(name, param, gain):
    assert nn.init.calculate_gain(name, param) == pytest.approx(gain)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="unsupported"):
        nn.init.calculate_gain("swish")
    with pytest.raises(ValueError, match="not a number"):
        nn.init.calculate_gain("leaky_relu", "0.1")


def test_fans_include_the_receptive_field():
    assert nn.init._calculate_fan_in_and_fan_out(weight(8, 3, 5, 5)) == (75, 200)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        nn.init.xavier_uniform_(weight(5))


def _variance(tensor):
    return float(np.var(tensor.data.astype(np.float64)))


@pytest.mark.parametrize(
    "initialise, variance",
    [
        (lambda w: nn.init.xavier_uniform_(w), 2 / (FAN_IN + FAN_OUT)),
        (lambda w: nn.init.xavier_normal_(w), 2 / (FAN_IN + FAN_OUT)),
        (lambda w: nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain("tanh")), (5 / 3) ** 2 * 2 / (FAN_IN + FAN_OUT)),
        (lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu"), 2 / FAN_IN),
        (lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), 2 / FAN_IN),
        (lambda w: nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu"), 2 / FAN_OUT),
        (lambda w: nn.init.kaiming_uniform_(w, a=math.sqrt(5)), 1 / (3 * FAN_IN)),
        (lambda w: nn.init.lecun_normal_(w), 1 / FAN_IN),
        (lambda w: nn.init.lecun_uniform_(w), 1 / FAN_IN),
        (lambda w: nn.init.normal_(w, 0.0, 0.02), 0.02**2),
        (lambda w: nn.init.uniform_(w, -0.1, 0.1), 0.01 / 3),
    ],
)
def test_variance_matches_formula(initialise, variance):
    """120,000 draws: the sample variance is within 2% of the formula (its standard error
    is under 0.5%)."""
    w = initialise(weight())
    assert w.dtype == np.float32
    assert abs(float(np.mean(w.data))) < 0.01 * math.sqrt(variance) * 5
    assert _variance(w) == pytest.approx(variance, rel=0.02)


def test_uniform_bounds_and_constants():
    w = nn.init.kaiming_uniform_(weight(), nonlinearity="relu")
    bound = math.sqrt(6 / FAN_IN)
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.99 * bound
    assert np.all(nn.init.zeros_(weight(2, 2)).data == 0)
    assert np.all(nn.init.ones_(weight(2, 2)).data == 1)
    assert np.all(nn.init.constant_(weight(2, 2), 0.1).data == np.float32(0.1))
    with pytest.raises(ValueError, match="mode"):
        nn.init.kaiming_normal_(weight(), mode="fan_avg")


def test_seeded_and_generator_draws_repeat():
    ag.manual_seed(3)
    a = nn.init.normal_(weight(4, 4)).data.copy()
    ag.manual_seed(3)
    np.testing.assert_array_equal(nn.init.normal_(weight(4, 4)).data, a)
    b = nn.init.normal_(weight(4, 4), generator=np.random.default_rng(1)).data
    np.testing.assert_array_equal(nn.init.normal_(weight(4, 4), generator=np.random.default_rng(1)).data, b)


def test_works_on_parameters_that_require_grad_and_bumps_version():
    w = weight(3, 3)
    version = w._version
    nn.init.xavier_normal_(w)
    assert w.requires_grad and w._version > version
