"""Fixtures for the nn tests: a seeded generator, and the library seeded before each test."""
import numpy as np
import pytest

import autograd_core as ag


@pytest.fixture
def rng():
    """A fresh, seeded generator per test."""
    return np.random.default_rng(0)


@pytest.fixture(autouse=True)
def seeded():
    """Every test starts from the same library seed (initialisation, dropout masks)."""
    ag.manual_seed(0)
