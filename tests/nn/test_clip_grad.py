"""nn.utils.clip_grad_norm_ and clip_grad_value_: the total norm over all parameters,
the rescaling, infinity norms, non-finite norms, and parity with torch."""
import numpy as np
import pytest

import nn


def params_with_grads(*grads):
    params = []
    for g in grads:
        p = nn.Parameter(np.zeros(np.shape(g), dtype=np.float32))
        p.grad = np.array(g, dtype=np.float32)
        params.append(p)
    return params


def test_clip_grad_norm_scales_all_gradients_together():
    params = params_with_grads([3.0, 0.0], [[4.0]])
    total = nn.utils.clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose(params[0].grad, [0.6, 0.0], rtol=1e-5)
    np.testing.assert_allclose(params[1].grad, [[0.8]], rtol=1e-5)


def test_small_gradients_are_left_alone():
    params = params_with_grads([0.3, 0.4])
    assert nn.utils.clip_grad_norm_(iter(params), 1.0).item() == pytest.approx(0.5)
    np.testing.assert_array_equal(params[0].grad, np.float32([0.3, 0.4]))


def test_other_norms_and_parameters_without_gradients():
    params = params_with_grads([1.0, -3.0], [2.0]) + [nn.Parameter(np.zeros(2, dtype=np.float32))]
    assert nn.utils.clip_grad_norm_(params, 10.0, norm_type=float("inf")).item() == 3.0
    assert nn.utils.clip_grad_norm_(params, 10.0, norm_type=1).item() == pytest.approx(6.0)
    assert nn.utils.clip_grad_norm_([], 1.0).item() == 0.0


def test_non_finite_norm():
    params = params_with_grads([np.nan, 1.0])
    with pytest.raises(RuntimeError, match="error_if_nonfinite"):
        nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    assert params[0].grad[1] == 1.0


def test_clip_grad_value():
    params = params_with_grads([-3.0, 0.5, 2.0])
    nn.utils.clip_grad_value_(params, 1.0)
    np.testing.assert_array_equal(params[0].grad, [-1.0, 0.5, 1.0])


def test_parity_with_torch(rng):
    torch = pytest.importorskip("torch")
    grads = [rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal(4).astype(np.float32)]
    ours = params_with_grads(*grads)
    theirs = [torch.zeros(g.shape, requires_grad=True) for g in grads]
    for t, g in zip(theirs, grads):
        t.grad = torch.from_numpy(g.copy())
    for norm_type in (2.0, 1.0, float("inf")):
        expected = torch.nn.utils.clip_grad_norm_(theirs, 0.5, norm_type=norm_type).item()
        assert nn.utils.clip_grad_norm_(ours, 0.5, norm_type=norm_type).item() == pytest.approx(expected, rel=1e-5)
        for p, t in zip(ours, theirs):
            np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-5)
