import threading

import numpy as np

import autograd_core as ag
from autograd_core import workspace


def test_the_same_request_gets_the_same_array_zero_filled_the_first_time():
    first = workspace.scratch("test same", (3, 4), np.float32, tail=2)
    assert first.shape == (3, 4) and first.dtype == np.float32 and not first.any()
    first[1, 1] = 5
    again = workspace.scratch("test same", (3, 4), np.float32, tail=2)
    assert again is first and again[1, 1] == 5
    assert workspace.scratch("test other", (3, 4), np.float32, tail=2) is not first
    assert workspace.scratch("test same", (3, 4), np.float64, tail=2) is not first
    assert workspace.scratch("test same", (4, 3), np.float32, tail=2) is not first


def test_the_least_recently_used_arrays_are_dropped_beyond_the_limit():
    first = workspace.scratch("test limit", (2,), np.float32)
    for k in range(workspace.LIMIT):
        workspace.scratch(("test limit", k), (2,), np.float32)
    assert workspace.scratch("test limit", (2,), np.float32) is not first


def test_each_thread_has_its_own_arrays():
    mine = workspace.scratch("test thread", (2,), np.float32)
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(workspace.scratch("test thread", (2,), np.float32)))
    thread.start()
    thread.join()
    assert theirs[0] is not mine


def test_a_convolution_repeated_with_other_paddings_of_the_same_padded_size_stays_exact(rng):
    """The padded input is a scratch array whose border is never rewritten: a padding that
    puts the interior elsewhere in an array of the same size must not see stale values."""
    x = ag.Tensor(rng.standard_normal((2, 3, 6, 6)))
    w = ag.Tensor(rng.standard_normal((4, 3, 2, 3)))
    same = ag.conv2d(x, w, padding="same").data  # pads (0, 1) rows and (1, 1) columns
    shifted = ag.conv2d(ag.pad(x, (1, 1, 1, 0)), w).data  # the same padded size, interior one row lower
    np.testing.assert_allclose(ag.conv2d(x, w, padding="same").data, same)
    np.testing.assert_allclose(ag.conv2d(ag.pad(x, (1, 1, 0, 1)), w).data, same, rtol=1e-12)
    assert shifted.shape == same.shape
