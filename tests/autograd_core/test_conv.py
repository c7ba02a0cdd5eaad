"""Convolution (autograd_core/conv.py, windows.py): output sizes against the formula,
values and gradients against a direct sum and against torch, first and second derivatives
against central differences over the options (stride, padding incl. 'same'/'valid',
dilation, groups incl. depthwise, bias), the batch-chunked path, and clear errors."""
import itertools

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import conv as conv_module
from autograd_core import workspace
from autograd_core.arguments import as_tuple


def naive_conv2d(x, w, b, stride, padding, dilation, groups):
    """The definition, one output element at a time (zero padding (top, bottom, left, right))."""
    (sh, sw), (dh, dw) = stride, dilation
    top, bottom, left, right = padding
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    n, c, h, wd = xp.shape
    o, cg, kh, kw = w.shape
    oh, ow = (h - dh * (kh - 1) - 1) // sh + 1, (wd - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, oh, ow))
    per_group = o // groups
    for i, j, k, l in itertools.product(range(n), range(o), range(oh), range(ow)):
        g = j // per_group
        patch = xp[i, g * cg : (g + 1) * cg, k * sh : k * sh + dh * (kh - 1) + 1 : dh, l * sw : l * sw + dw * (kw - 1) + 1 : dw]
        out[i, j, k, l] = (patch * w[j]).sum() + (0 if b is None else b[j])
    return out


@pytest.mark.parametrize(
    "size, kernel, padding, stride",
    [(28, 5, 2, 1), (28, 3, 1, 2), (100, 5, 0, 2), (7, 3, 0, 3), (5, 5, 0, 1), (6, 2, 1, 4), (32, 5, 0, 1)],
)
def test_output_size_is_floor_w_minus_f_plus_2p_over_s_plus_1(size, kernel, padding, stride):
    x, w = ag.zeros(1, 1, size, size), ag.zeros(2, 1, kernel, kernel)
    expected = (size - kernel + 2 * padding) // stride + 1
    assert ag.conv2d(x, w, stride=stride, padding=padding).shape == (1, 2, expected, expected)


def test_the_notes_example_100_by_100_5_by_5_stride_2_gives_48():
    assert ag.conv2d(ag.zeros(1, 3, 100, 100), ag.zeros(6, 3, 5, 5), stride=2).shape == (1, 6, 48, 48)


CASES_2D = [
    dict(),
    dict(stride=2, padding=1),
    dict(stride=(1, 2), padding=(1, 0), dilation=(2, 1)),
    dict(padding="same", dilation=2),
    dict(padding="same", kernel=(2, 3)),
    dict(padding="valid", stride=2),
    dict(groups=2),
    dict(groups=4, padding=1),
    dict(groups=2, stride=2, dilation=2, padding=2),
    dict(bias=False, stride=(2, 1)),
]


def _case(rng, case, batch=2, channels=4, size=(5, 6), out_channels=4, kernel=(3, 3)):
    kernel = case.get("kernel", kernel)
    groups = min(case.get("groups", 1), channels)
    x = ag.Tensor(rng.standard_normal((batch, channels) + size), requires_grad=True)
    w = ag.Tensor(rng.standard_normal((out_channels, channels // groups) + kernel), requires_grad=True)
    b = ag.Tensor(rng.standard_normal(out_channels), requires_grad=True) if case.get("bias", True) else None
    options = {k: case[k] for k in ("stride", "padding", "dilation") if k in case}
    options["groups"] = groups
    return x, w, b, options


@pytest.mark.parametrize("case", CASES_2D, ids=str)
def test_conv2d_values_against_the_definition(case, rng):
    x, w, b, options = _case(rng, case)
    out = ag.conv2d(x, w, b, **options)
    np.testing.assert_allclose(out.data, _expected(x, w, b, options, 2), rtol=1e-10, atol=1e-12)


def _expected(x, w, b, options, nd):
    """The definition's result, a 1-D case seen as 2-D with a height of 1."""
    stride = as_tuple(options.get("stride", 1), nd, "", "")
    dilation = as_tuple(options.get("dilation", 1), nd, "", "")
    pads = sum(conv_module._padding("", options.get("padding", 0), w.shape[2:], stride, dilation), ())
    x, w = x.data, w.data
    if nd == 1:
        x, w, stride, dilation, pads = x[:, :, None], w[:, :, None], (1,) + stride, (1,) + dilation, (0, 0) + pads
    out = naive_conv2d(x, w, None if b is None else b.data, stride, pads, dilation, options.get("groups", 1))
    return out[:, :, 0] if nd == 1 else out


@pytest.mark.parametrize("case", CASES_2D, ids=str)
def test_conv2d_first_and_second_derivatives(case, rng):
    x, w, b, options = _case(rng, case, batch=2, channels=2, size=(4, 5), out_channels=2, kernel=(2, 2))
    inputs = (x, w) if b is None else (x, w, b)
    fn = lambda *args: ag.conv2d(*args, **options)  # noqa: E731
    assert ag.gradcheck(fn, inputs)
    assert ag.gradgradcheck(fn, inputs)


CASES_1D = [dict(), dict(stride=2, padding=1, dilation=2), dict(padding="same", groups=2), dict(bias=False, padding=2)]


@pytest.mark.parametrize("case", CASES_1D, ids=str)
def test_conv1d_values_and_derivatives(case, rng):
    x, w, b, options = _case(rng, case, size=(6,), kernel=(3,))
    np.testing.assert_allclose(ag.conv1d(x, w, b, **options).data, _expected(x, w, b, options, 1), rtol=1e-10)
    inputs = (x, w) if b is None else (x, w, b)
    small = tuple(ag.Tensor(t.data[:, :, :5] if t.ndim == 3 and t is x else t.data, requires_grad=True) for t in inputs)
    assert ag.gradcheck(lambda *a: ag.conv1d(*a, **options), small)
    assert ag.gradgradcheck(lambda *a: ag.conv1d(*a, **options), small)


def test_depthwise_convolution_filters_each_channel_alone(rng):
    x = rng.standard_normal((1, 3, 5, 5))
    w = rng.standard_normal((3, 1, 3, 3))
    out = ag.conv2d(x, w, groups=3, padding=1).data
    for c in range(3):
        alone = ag.conv2d(x[:, c : c + 1], w[c : c + 1], padding=1).data
        np.testing.assert_allclose(out[:, c : c + 1], alone, rtol=1e-12)


def test_conv1d_is_a_banded_toeplitz_matrix_with_shared_weights(rng):
    """A valid 1-D convolution with kernel (a, b, c) is x @ T with T[i + k, i] = w[k], and
    the gradient of a shared weight is the sum over the positions it is used at."""
    x = ag.Tensor(rng.standard_normal((1, 1, 7)), requires_grad=True)
    w = ag.Tensor(rng.standard_normal((1, 1, 3)), requires_grad=True)
    toeplitz = np.zeros((7, 5))
    for i in range(5):
        toeplitz[i : i + 3, i] = w.data[0, 0]
    y = ag.conv1d(x, w)
    np.testing.assert_allclose(y.data[0, 0], x.data[0, 0] @ toeplitz, rtol=1e-12)
    g = rng.standard_normal(5)
    y.backward(g.reshape(1, 1, 5))
    for k in range(3):
        assert w.grad[0, 0, k] == pytest.approx(sum(g[i] * x.data[0, 0, i + k] for i in range(5)))
    np.testing.assert_allclose(x.grad[0, 0], toeplitz @ g, rtol=1e-12)


def test_unbatched_input(rng):
    x, w = rng.standard_normal((2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    np.testing.assert_allclose(ag.conv2d(x, w).data, ag.conv2d(x[None], w).data[0])
    assert ag.conv1d(rng.standard_normal((2, 6)), rng.standard_normal((4, 2, 3))).shape == (4, 4)


@pytest.mark.parametrize("case", [dict(padding=1), dict(stride=2, padding=2), dict(dilation=2, padding="same")], ids=str)
def test_batch_processed_in_chunks_gives_the_same_result(case, rng, monkeypatch):
    """The window matrix is built a slice of the batch at a time: chunk boundaries (and the
    wide rows that read past a sample's end) must not change anything."""
    x, w, b, options = _case(rng, case, batch=5, channels=2, size=(6, 7), out_channels=3)
    g = rng.standard_normal(ag.conv2d(x, w, b, **options).shape)
    results = []
    for chunk in (1 << 19, 1):
        monkeypatch.setattr(conv_module, "CHUNK_ELEMENTS", chunk)
        geometry = conv_module._Geometry(x.shape, w.shape, **ag.conv2d(x, w, **options).grad_fn.attrs)
        assert len(geometry.chunks()) == (1 if chunk > 1 else 5)
        for t in (x, w, b):
            t.grad = None
        out = ag.conv2d(x, w, b, **options)
        out.backward(g)
        results.append((out.data, x.grad, w.grad, b.grad))
    for whole, chunked in zip(*results):
        np.testing.assert_allclose(chunked, whole, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES_2D + [dict(padding=2, kernel=(3, 2), dilation=2), dict(padding=(2, 0))], ids=str)
def test_input_gradient_by_col2im_and_by_the_flipped_kernel_agree(case, rng, monkeypatch):
    """dL/dinput is computed by col2im or as the convolution of dL/dout with the flipped
    kernel, whichever moves fewer bytes: forced one way, then the other, the first and
    second derivatives are the same (where the flipped form applies: stride 1, padding
    within the kernel's reach)."""
    x, w, b, options = _case(rng, case, batch=3, channels=4, size=(6, 7), out_channels=4)
    g = rng.standard_normal(ag.conv2d(x, w, b, **options).shape)
    results, used = [], []
    for add_cost in (0, 1e9):
        monkeypatch.setattr(conv_module, "ADD_COST", add_cost)
        attrs = ag.conv2d(x, w, **options).grad_fn.attrs
        used.append(conv_module._flipped_is_cheaper(conv_module._Geometry(x.shape, w.shape, **attrs)))
        (grad_x,) = ag.grad(ag.conv2d(x, w, b, **options), [x], g, create_graph=True)
        (grad_w,) = ag.grad((grad_x * grad_x).sum(), [w])
        results.append((grad_x.data, grad_w))
    assert used[0] is False
    assert used[1] == (conv_module.as_tuple(options.get("stride", 1), 2, "", "") == (1, 1))
    for col2im, flipped in zip(*results):
        np.testing.assert_allclose(flipped, col2im, rtol=1e-10, atol=1e-10)


def test_the_input_gradient_takes_the_flipped_kernel_where_it_moves_fewer_bytes():
    """Measured: for 16 -> 32 channels (3x3, 28x28) the flipped kernel is faster, for
    LeNet's 6 -> 16 (5x5, 14x14) col2im is; and strided convolutions always use col2im."""
    def cheaper(input_shape, weight_shape, stride=(1, 1), padding=((0, 0), (0, 0))):
        return conv_module._flipped_is_cheaper(conv_module._Geometry(input_shape, weight_shape, stride, padding, (1, 1), 1))

    assert cheaper((64, 16, 28, 28), (32, 16, 3, 3), padding=((1, 1), (1, 1)))
    assert not cheaper((64, 6, 14, 14), (16, 6, 5, 5))
    assert not cheaper((64, 16, 28, 28), (32, 16, 3, 3), stride=(2, 2), padding=((1, 1), (1, 1)))


def test_gradient_needs_only_what_is_asked(rng):
    x = ag.Tensor(rng.standard_normal((2, 1, 5, 5)))
    w = ag.Tensor(rng.standard_normal((2, 1, 3, 3)), requires_grad=True)
    ag.conv2d(x, w).sum().backward()
    assert x.grad is None and w.grad.shape == w.shape


def test_float32_stays_float32(rng):
    x = ag.Tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32), requires_grad=True)
    w = ag.Tensor(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), requires_grad=True)
    out = ag.conv2d(x, w, padding=1)
    out.sum().backward()
    assert out.dtype == x.grad.dtype == w.grad.dtype == np.float32


# 'same' padding exists for stride 1 only (in torch too; see the error tests).
TORCH_GRID = [c for c in itertools.product([1, 2], [0, 1, "same"], [1, 2], [1, 2]) if c[1] != "same" or c[0] == 1]


@pytest.mark.parametrize("stride, padding, dilation, groups", TORCH_GRID)
def test_parity_with_torch(stride, padding, dilation, groups, rng):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 4, 7, 8)).astype(np.float32)
    w = rng.standard_normal((6, 4 // groups, 3, 2)).astype(np.float32)
    b = rng.standard_normal(6).astype(np.float32)
    ours = [ag.Tensor(a.copy(), requires_grad=True) for a in (x, w, b)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    out = ag.conv2d(*ours, stride, padding, dilation, groups)
    expected = torch.nn.functional.conv2d(*theirs, stride, padding, dilation, groups)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(g)
    expected.backward(torch.from_numpy(g))
    for a, t in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, t.grad.numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: ag.conv2d(ag.zeros(1, 3, 5, 5), ag.zeros(2, 2, 3, 3)),
         r"conv2d: input of shape \(1, 3, 5, 5\) has 3 channels, but weight of shape \(2, 2, 3, 3\) with groups=1 expects 2"),
        (lambda: ag.conv2d(ag.zeros(1, 1, 2, 2), ag.zeros(1, 1, 5, 5), padding=1),
         r"conv2d: kernel of size \(5, 5\).*larger than the padded input.*\(1, 1, 2, 2\)"),
        (lambda: ag.conv2d(ag.zeros(5, 5), ag.zeros(1, 1, 3, 3)), r"conv2d: expected a 3-D \(C, H, W\) or 4-D .* got shape \(5, 5\)"),
        (lambda: ag.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(1, 1, 3, 3), padding="full"), r"conv2d: padding must be .* got 'full'"),
        (lambda: ag.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(1, 1, 3, 3), stride=2, padding="same"),
         r"conv2d: padding='same' is not supported for strided convolutions"),
        (lambda: ag.conv2d(ag.zeros(1, 4, 5, 5), ag.zeros(3, 2, 3, 3), groups=2), r"conv2d: .* not divisible by groups=2"),
        (lambda: ag.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(2, 1, 3, 3), ag.zeros(3)), r"conv2d: bias of shape \(3,\)"),
        (lambda: ag.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(2, 1, 3)), r"conv2d: expected a 4-D weight"),
        (lambda: ag.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(2, 1, 3, 3), stride=0), r"conv2d: stride \(0, 0\)"),
        (lambda: ag.conv2d(ag.zeros(1, 1, 5, 5), ag.zeros(2, 1, 3, 3), padding=-1), r"conv2d: padding must be non-negative"),
        (lambda: ag.conv1d(ag.zeros(1, 2, 5), ag.zeros(2, 3, 3)), r"conv1d: input of shape \(1, 2, 5\) has 2 channels"),
    ],
)
def test_errors_name_the_op_and_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_scratch_arrays_carry_nothing_from_one_convolution_to_the_next(rng):
    # Both convolutions' output gradients, laid out in wide rows, are (6, 2, 7, 10), but
    # their valid widths differ (9 and 8): the second must not see the first's columns.
    x = rng.standard_normal((2, 4, 7, 8))
    w = rng.standard_normal((6, 4, 3, 2))
    settings = [dict(padding=1), dict(padding="same", dilation=2)]

    def gradients(setting):
        xs, ws = ag.Tensor(x, requires_grad=True), ag.Tensor(w, requires_grad=True)
        out = ag.conv2d(xs, ws, **setting)
        out.backward(np.cos(np.arange(out.data.size)).reshape(out.shape))
        return xs.grad, ws.grad

    alone = []
    for setting in settings:
        vars(workspace._local).pop("cache", None)  # an empty workspace
        alone.append(gradients(setting))
    for _ in range(2):
        for setting, expected in zip(settings, alone):
            for got, want in zip(gradients(setting), expected):
                np.testing.assert_array_equal(got, want)
