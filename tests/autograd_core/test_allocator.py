"""Importing autograd_core keeps freed memory for reuse (glibc only): a step that
allocates and frees the same arrays again does not page-fault on them, and the
environment variable leaves malloc's defaults alone. Each case runs in a fresh process,
since the thresholds are the process's."""
import os
import pathlib
import subprocess
import sys

import pytest

from autograd_core import allocator

ROOT = pathlib.Path(__file__).resolve().parents[2]

# One array of 4 MiB freed raises glibc's default thresholds to 4 MiB (mapping) and
# 8 MiB (trimming); a "step" then takes ten arrays of 2 MiB from the heap, and freeing
# them leaves 20 MiB of free heap top, which the defaults give back to the system.
STEPS = """
import resource
import numpy as np
import autograd_core

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

big = np.ones(1 << 20, np.float32)
del big
counts = []
for step in range(4):
    before = faults()
    arrays = [np.ones(1 << 19, np.float32) for _ in range(10)]
    del arrays
    counts.append(faults() - before)
print(max(counts[1:]))
"""

glibc_only = pytest.mark.skipif(not allocator._glibc(), reason="the malloc thresholds are glibc's")


def _page_faults_per_step(system_malloc=False):
    """The most page faults of a step after the first, in a fresh process."""
    env = dict(os.environ)
    env.pop(allocator.ENVIRONMENT_VARIABLE, None)
    if system_malloc:
        env[allocator.ENVIRONMENT_VARIABLE] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", STEPS], capture_output=True, text=True, env=env, timeout=120, check=True)
    return int(done.stdout)


@glibc_only
def test_a_repeated_step_reuses_freed_memory_without_page_faults():
    # Ten arrays of 2 MiB are 5,120 pages; freshly mapped, each one faults.
    assert _page_faults_per_step() < 100


@glibc_only
def test_the_environment_variable_leaves_the_system_malloc_alone():
    assert _page_faults_per_step(system_malloc=True) > 2000


def test_keep_freed_memory_does_nothing_when_asked_not_to(monkeypatch):
    monkeypatch.setenv(allocator.ENVIRONMENT_VARIABLE, "1")
    assert allocator.keep_freed_memory() is False
