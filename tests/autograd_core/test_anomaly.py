"""Anomaly detection: the op, its scope, the input shapes and the user's line, forward
and backward; nothing when off or when the inputs were already non-finite."""
import numpy as np
import pytest

import autograd_core as ag
import nn


def test_off_by_default_and_restored_by_the_context_manager():
    assert not ag.is_anomaly_enabled()
    with ag.detect_anomaly():
        assert ag.is_anomaly_enabled()
    assert not ag.is_anomaly_enabled()
    ag.set_detect_anomaly(True)
    try:
        assert ag.is_anomaly_enabled()
    finally:
        ag.set_detect_anomaly(False)
    with np.errstate(all="ignore"):
        x = ag.tensor([1e30], requires_grad=True)
        assert np.isinf((x * x).data).all()  # off: no error


def test_forward_names_op_scope_shapes_and_line():
    layer = nn.Linear(2, 2)
    with ag.no_grad():
        layer.weight.fill_(1e30)
    model = nn.Sequential(nn.Identity(), layer)
    with np.errstate(all="ignore"), ag.detect_anomaly():
        with pytest.raises(FloatingPointError) as info:
            model(ag.tensor([[1e30, 1e30]]))  # the line named
    message = str(info.value)
    assert message.startswith("linear: produced inf from finite inputs")
    assert "scope 1" in message and "(1, 2), (2, 2), (2,)" in message
    assert f"{__file__}:" in message


def test_backward_names_op_and_the_line_that_created_it():
    x = ag.tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(all="ignore"), ag.detect_anomaly():
        y = x.sqrt().sum()
        line = __import__("inspect").currentframe().f_lineno - 1
        with pytest.raises(FloatingPointError, match=rf"sqrt: its backward produced inf .* created at {__file__}:{line}"):
            y.backward()
    assert x.grad is None


def test_non_finite_inputs_are_not_the_op_s_fault():
    with np.errstate(all="ignore"), ag.detect_anomaly():
        x = ag.tensor([float("nan"), 1.0], requires_grad=True)
        (x * 2).sum().backward()
    assert np.isnan(x.grad[0]) or x.grad[0] == 2
