"""``gradcheck`` and ``gradgradcheck`` themselves: they pass correct ops, catch wrong
first and second derivatives, name the worst element, and insist on float64."""
import numpy as np
import pytest

import autograd_core as ag
from autograd_core.elementwise import Tanh


class WrongFirstDerivative(ag.Function):
    """x^2 with the derivative 2x off by 1% at element 1."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * x

    def backward(self, grad):
        (x,) = self.saved_tensors
        factor = np.ones(x.shape)
        factor.flat[1] = 1.01
        return grad * 2 * x * factor


class WrongSecondDerivative(ag.Function):
    """x^3 whose backward reads ``x.data``: the first derivative 3x^2 is right, but it is
    a constant to the graph, so the second derivative comes out as 0 instead of 6x."""

    def forward(self, x):
        self.save_for_backward(x)
        return x**3

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * (3 * x.data**2)


def _x(shape=(2, 3)):
    return ag.tensor(np.random.default_rng(1).uniform(0.5, 1.5, shape), requires_grad=True)


def test_correct_ops_pass():
    x = _x()
    assert ag.gradcheck(lambda t: (t * t).sum(-1).exp(), (x,))
    assert ag.gradgradcheck(lambda t: (t * t).sum(-1).exp(), x)


def test_a_wrong_first_derivative_is_caught_and_located():
    x = _x()
    with pytest.raises(ag.GradcheckError, match=r"input 0 \(shape \(2, 3\)\) at input element \(0, 1\), output element 1"):
        ag.gradcheck(WrongFirstDerivative.apply, (x,))
    assert ag.gradcheck(WrongFirstDerivative.apply, (x,), raise_exception=False) is False


def test_a_wrong_second_derivative_is_caught_only_by_gradgradcheck():
    x = _x()
    assert ag.gradcheck(WrongSecondDerivative.apply, (x,))
    with pytest.raises(ag.GradcheckError, match="Jacobian mismatch"):
        ag.gradgradcheck(WrongSecondDerivative.apply, (x,))


def test_only_inputs_that_require_grad_are_checked():
    x, constant = _x(), ag.tensor(np.ones((2, 3)))
    assert ag.gradcheck(lambda a, b: a * b, (x, constant))
    with pytest.raises(ValueError, match="no input requires grad"):
        ag.gradcheck(lambda a: a * 2, (constant,))


def test_float32_inputs_are_refused():
    with pytest.raises(ValueError, match=r"float64.*float32.*\(2,\)"):
        ag.gradcheck(lambda a: a * 2, (ag.ones(2, requires_grad=True),))


def test_several_outputs_and_explicit_grad_outputs():
    x = _x((3,))
    assert ag.gradcheck(lambda t: (t.exp(), t.sin().sum()), (x,))
    v = ag.tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    assert ag.gradgradcheck(lambda t: t.exp(), (x,), grad_outputs=v)


def test_inputs_are_left_as_they_were():
    x = _x()
    before = x.data.copy()
    ag.gradcheck(lambda t: t.tanh(), (x,))
    ag.gradgradcheck(lambda t: t.tanh(), (x,))
    np.testing.assert_array_equal(x.data, before)
    assert x.grad is None



def test_a_fast_backward_that_differs_from_the_definition_is_caught():
    class SloppyTanh(Tanh):
        """tanh whose fast backward forgets to square: 1 - y instead of 1 - y^2."""

        def fast_backward(self, grad):
            (out,) = self.saved_arrays
            return grad * (1 - out)

    x = ag.Tensor(np.random.default_rng(0).standard_normal(3), requires_grad=True)
    with pytest.raises(ag.GradcheckError, match="backward and fast_backward disagree on the gradient of input 0"):
        ag.gradgradcheck(SloppyTanh.apply, (x,))
    assert not ag.gradgradcheck(SloppyTanh.apply, (x,), raise_exception=False)
