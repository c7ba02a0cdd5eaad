"""Pooling (autograd_core/pooling.py): output sizes against the formula, max pooling's
gradient routed to the arg-max only, average pooling's spread evenly, first and second
derivatives over the options (kernel, stride, padding, dilation, ceil_mode,
count_include_pad, divisor_override), adaptive average pooling, parity with torch and
clear errors."""
import itertools

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import pooling as pooling_module


def distinct(rng, shape):
    """float64 values at least 0.1 apart, so that no window has a tie and central
    differences never cross from one arg-max to another."""
    values = rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1
    return ag.Tensor(values - values.mean(), requires_grad=True)


@pytest.mark.parametrize("size, kernel, stride", [(28, 2, 2), (27, 2, 2), (10, 3, 1), (10, 3, 2), (7, 7, 1), (9, 2, 3)])
def test_output_size_is_floor_w_minus_f_over_s_plus_1(size, kernel, stride):
    x = ag.zeros(1, 1, size, size)
    expected = (size - kernel) // stride + 1
    assert ag.max_pool2d(x, kernel, stride).shape == (1, 1, expected, expected)
    assert ag.avg_pool2d(x, kernel, stride).shape == (1, 1, expected, expected)


def test_ceil_mode_rounds_up_odd_sizes():
    x = ag.zeros(1, 1, 5, 5)
    assert ag.max_pool2d(x, 2).shape == (1, 1, 2, 2)
    assert ag.max_pool2d(x, 2, ceil_mode=True).shape == (1, 1, 3, 3)
    # The last window must start inside the input (or its left padding): 5 -> 3, not 4.
    assert ag.avg_pool2d(x, 2, padding=1, ceil_mode=True).shape == (1, 1, 3, 3)


def test_max_pool_gradient_goes_to_the_arg_max_only():
    x = ag.tensor([[[[1.0, 5.0, 2.0, 0.0],
                     [3.0, 4.0, 8.0, 1.0],
                     [0.0, 2.0, 1.0, 1.0],
                     [9.0, 1.0, 3.0, 7.0]]]], requires_grad=True)
    out = ag.max_pool2d(x, 2)
    np.testing.assert_array_equal(out.data[0, 0], [[5.0, 8.0], [9.0, 7.0]])
    out.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]], dtype=np.float32))
    expected = np.zeros((4, 4))
    expected[0, 1], expected[1, 2], expected[3, 0], expected[3, 3] = 10, 20, 30, 40
    np.testing.assert_array_equal(x.grad[0, 0], expected)


def test_max_pool_ties_go_to_the_first_and_overlaps_add_up():
    x = ag.ones(1, 1, 3, 3, requires_grad=True)
    ag.max_pool2d(x, 2, stride=1).sum().backward()
    # Every window is a tie: each sends its gradient to its top-left element.
    np.testing.assert_array_equal(x.grad[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    y = ag.tensor([[[0.0, 3.0, 1.0, 2.0]]], requires_grad=True)
    ag.max_pool1d(y, 3, stride=1).sum().backward()
    np.testing.assert_array_equal(y.grad[0, 0], [0, 2, 0, 0])


def test_avg_pool_spreads_the_gradient_evenly():
    x = ag.zeros(1, 1, 4, 4, requires_grad=True)
    ag.avg_pool2d(x, 2).backward(np.array([[[[4.0, 8.0], [12.0, 16.0]]]], dtype=np.float32))
    np.testing.assert_array_equal(x.grad[0, 0], np.kron([[1, 2], [3, 4]], np.ones((2, 2))))


MAX_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=1, padding=1),
    dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0)),
    dict(kernel_size=2, stride=2, dilation=2),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=2, stride=3, ceil_mode=True),
]


@pytest.mark.parametrize("case", MAX_CASES, ids=str)
def test_max_pool2d_derivatives(case, rng):
    x = distinct(rng, (2, 2, 5, 6))
    fn = lambda t: ag.max_pool2d(t, **case)  # noqa: E731
    assert ag.gradcheck(fn, (x,))
    assert ag.gradgradcheck(fn, (x,))


AVG_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=1, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=(2, 3), stride=(2, 1), ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=2, divisor_override=3),
]


@pytest.mark.parametrize("case", AVG_CASES, ids=str)
def test_avg_pool2d_derivatives(case, rng):
    x = ag.Tensor(rng.standard_normal((2, 2, 5, 6)), requires_grad=True)
    fn = lambda t: ag.avg_pool2d(t, **case)  # noqa: E731
    assert ag.gradcheck(fn, (x,))
    assert ag.gradgradcheck(fn, (x,))


@pytest.mark.parametrize(
    "pool, case",
    [
        (ag.max_pool1d, dict(kernel_size=3, stride=2, padding=1)),
        (ag.max_pool1d, dict(kernel_size=2, dilation=2, ceil_mode=True)),
        (ag.avg_pool1d, dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
        (ag.avg_pool1d, dict(kernel_size=2, ceil_mode=True)),
    ],
    ids=str,
)
def test_1d_pooling_derivatives(pool, case, rng):
    x = distinct(rng, (2, 2, 7))
    assert ag.gradcheck(lambda t: pool(t, **case), (x,))
    assert ag.gradgradcheck(lambda t: pool(t, **case), (x,))


@pytest.mark.parametrize("output_size", [1, (2, 3), (None, 2), (3, 4)], ids=str)
def test_adaptive_avg_pool2d_derivatives(output_size, rng):
    x = ag.Tensor(rng.standard_normal((2, 2, 5, 4)), requires_grad=True)
    assert ag.gradcheck(lambda t: ag.adaptive_avg_pool2d(t, output_size), (x,))
    assert ag.gradgradcheck(lambda t: ag.adaptive_avg_pool2d(t, output_size), (x,))


def test_adaptive_avg_pool2d_windows(rng):
    """Window i of o over n positions: floor(i n / o) to ceil((i + 1) n / o) - 1."""
    x = rng.standard_normal((1, 1, 5, 4))
    out = ag.adaptive_avg_pool2d(x, (3, 2)).data[0, 0]
    rows = [(0, 2), (1, 4), (3, 5)]
    for i, (r0, r1) in enumerate(rows):
        for j, (c0, c1) in enumerate([(0, 2), (2, 4)]):
            assert out[i, j] == pytest.approx(x[0, 0, r0:r1, c0:c1].mean())
    np.testing.assert_allclose(ag.adaptive_avg_pool2d(x, 1).data, x.mean(axis=(2, 3), keepdims=True))


def test_unbatched_input_and_float32(rng):
    x = rng.standard_normal((3, 6, 6)).astype(np.float32)
    np.testing.assert_array_equal(ag.max_pool2d(x, 2).data, ag.max_pool2d(x[None], 2).data[0])
    assert ag.avg_pool2d(x, 2).dtype == np.float32 and ag.adaptive_avg_pool2d(x, 2).shape == (3, 2, 2)


def test_no_gradient_bookkeeping_without_grad(rng):
    x = ag.Tensor(rng.standard_normal((1, 2, 4, 4)), requires_grad=True)
    with ag.no_grad():
        assert ag.max_pool2d(x, 2).grad_fn is None
    assert ag.max_pool2d(x, 2).grad_fn.saved.winner is not None


MAX_GRID = list(itertools.product([2, 3, (2, 3)], [None, 1, 2], [0, 1], [1, 2], [False, True]))


@pytest.mark.parametrize("kernel, stride, padding, dilation, ceil_mode", MAX_GRID)
def test_max_pool2d_parity_with_torch(kernel, stride, padding, dilation, ceil_mode, rng):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 3, 7, 8)).astype(np.float32)
    ours, theirs = ag.Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    out = ag.max_pool2d(ours, kernel, stride, padding, dilation, ceil_mode)
    expected, indices = torch.nn.functional.max_pool2d(theirs, kernel, stride, padding, dilation, ceil_mode, True)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    g = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(g)
    expected.backward(torch.from_numpy(g))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-6, atol=1e-6)
    _, ours_indices = ag.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode, return_indices=True)
    np.testing.assert_array_equal(ours_indices.data, indices.numpy())


AVG_GRID = list(itertools.product([2, 3, (3, 2)], [None, 1, 2], [0, 1], [False, True], [True, False], [None, 5]))


@pytest.mark.parametrize("kernel, stride, padding, ceil_mode, count_include_pad, divisor", AVG_GRID)
def test_avg_pool2d_parity_with_torch(kernel, stride, padding, ceil_mode, count_include_pad, divisor, rng):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 3, 7, 8)).astype(np.float32)
    ours, theirs = ag.Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    out = ag.avg_pool2d(ours, kernel, stride, padding, ceil_mode, count_include_pad, divisor)
    expected = torch.nn.functional.avg_pool2d(theirs, kernel, stride, padding, ceil_mode, count_include_pad, divisor)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(g)
    expected.backward(torch.from_numpy(g))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_1d_and_adaptive_parity_with_torch(rng):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    x = rng.standard_normal((2, 3, 9)).astype(np.float32)
    np.testing.assert_array_equal(ag.max_pool1d(x, 3, 2, 1, ceil_mode=True).data, F.max_pool1d(torch.tensor(x), 3, 2, 1, ceil_mode=True).numpy())
    np.testing.assert_allclose(ag.avg_pool1d(x, 2, 1, 1, False, False).data, F.avg_pool1d(torch.tensor(x), 2, 1, 1, False, False).numpy(), rtol=1e-6)
    y = rng.standard_normal((2, 3, 7, 5)).astype(np.float32)
    for size in [(3, 2), 4, (None, 3)]:
        np.testing.assert_allclose(ag.adaptive_avg_pool2d(y, size).data, F.adaptive_avg_pool2d(torch.tensor(y), size).numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ag.max_pool2d(ag.zeros(1, 1, 4, 4), 2, padding=2), r"max_pool2d: padding \(2, 2\) should be at most half of the kernel size \(2, 2\)"),
        (lambda: ag.max_pool2d(ag.zeros(1, 1, 2, 2), 3), r"max_pool2d: input of shape \(1, 1, 2, 2\) is too small"),
        (lambda: ag.avg_pool2d(ag.zeros(4, 4), 2), r"avg_pool2d: expected a 3-D \(C, H, W\) or 4-D .* got shape \(4, 4\)"),
        (lambda: ag.max_pool1d(ag.zeros(1, 1, 4), 0), r"max_pool1d: kernel_size \(0,\)"),
        (lambda: ag.avg_pool2d(ag.zeros(1, 1, 4, 4), (2, 2, 2)), r"avg_pool2d: kernel_size must be an int or a tuple of 2 ints"),
        (lambda: ag.avg_pool2d(ag.zeros(1, 1, 4, 4), 2, divisor_override=0), r"avg_pool2d: divisor_override must be a positive int"),
        (lambda: ag.adaptive_avg_pool2d(ag.zeros(1, 1, 4, 4), (1, 2, 3)), r"adaptive_avg_pool2d: output_size must be"),
    ],
)
def test_errors_name_the_op_and_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("grad", [True, False])
def test_max_pool_with_indices_pools_once(grad, rng, monkeypatch):
    calls = []
    original = pooling_module._max_and_winner

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pooling_module, "_max_and_winner", counting)
    x = ag.Tensor(rng.standard_normal((2, 3, 6, 6)), requires_grad=grad)
    values, indices = ag.max_pool2d(x, 2, return_indices=True)
    assert len(calls) == 1
    np.testing.assert_array_equal(
        values.data, np.take_along_axis(x.data.reshape(2, 3, -1), indices.data.reshape(2, 3, -1), 2).reshape(values.shape)
    )
    assert values.requires_grad is grad and not indices.requires_grad and indices.dtype == np.int64
