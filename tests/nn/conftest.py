"""Fixtures for the nn tests (a seeded generator, the library seeded before each test),
and ``nn_helpers`` made importable."""
import pathlib
import sys

import numpy as np
import pytest

import autograd_core as ag

# The tests import their helpers with ``from nn_helpers import ...``; with pytest's
# importlib import mode this folder is not on the path by itself.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


@pytest.fixture
def rng():
    """A fresh, seeded generator per test."""
    return np.random.default_rng(0)


@pytest.fixture(autouse=True)
def seeded():
    """Every test starts from the same library seed (initialisation, dropout masks)."""
    ag.manual_seed(0)
