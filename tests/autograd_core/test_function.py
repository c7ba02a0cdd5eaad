"""``Function``: user-defined ops written like the built-in ones, saved values, node
attributes, and forward errors prefixed with the op name and shapes."""
import gc

import numpy as np
import pytest

import autograd_core as ag


class Cube(ag.Function):
    """x^3, saving its input: the second derivative flows through the saved Tensor."""

    def forward(self, x):
        self.save_for_backward(x)
        return x**3

    def backward(self, grad):
        (x,) = self.saved_tensors
        return grad * 3 * x * x


class ScaledSoftsign(ag.Function):
    """scale * x / (1 + |x|) with a hyper-parameter, a saved output, a saved constant
    and two inputs (x and a per-element weight w): out = w * scale * x / (1 + |x|)."""

    def forward(self, x, w, scale=1.0):
        self.scale = scale
        denominator = 1 + np.abs(x)
        out = w * scale * x / denominator
        self.save_for_backward(x, w, denominator, out)
        return out

    def backward(self, grad):
        x, w, denominator, out = self.saved_tensors
        # d/dx [x / (1 + |x|)] = 1 / (1 + |x|)^2; written with x so it can be differentiated again
        d = 1 + x.abs()
        grad_x = grad * w * self.scale / (d * d) if self.needs_input_grad[0] else None
        grad_w = grad * out / w if self.needs_input_grad[1] else None
        return grad_x, grad_w


def test_custom_function_passes_gradcheck_and_gradgradcheck(make, check):
    check(Cube.apply, make((2, 3)))
    check(lambda x, w: ScaledSoftsign.apply(x, w, scale=2.5), make((2, 3)), make((3,)))


def test_saved_values_come_back_as_what_was_saved():
    x = ag.tensor([1.0, -2.0], requires_grad=True)
    w = ag.tensor([3.0, 4.0])
    out = ScaledSoftsign.apply(x, w, scale=2.0)
    node = out.grad_fn
    saved_x, saved_w, denominator, saved_out = node.saved_tensors
    assert saved_x is x and saved_w is w  # inputs come back as the input Tensors
    np.testing.assert_array_equal(denominator.data, [2.0, 3.0])  # other arrays: constants
    assert not denominator.requires_grad
    assert saved_out.grad_fn is node and np.shares_memory(saved_out.data, out.data)  # the output


def test_node_attributes():
    x = ag.tensor([1.0, -2.0], requires_grad=True)
    w = ag.tensor([3.0, 4.0])
    out = ScaledSoftsign.apply(x, w, scale=2.0)
    node = out.grad_fn
    assert isinstance(node, ScaledSoftsign)
    assert node.name == "scaled_softsign" and repr(node) == "<ScaledSoftsignBackward>"
    assert len(node.parents) == 2
    assert node.parents[0] is x and node.parents[1] is None  # a leaf is its own parent; w gets no gradient
    assert list(node.needs_input_grad) == [True, False]
    assert node.input_meta[0] == ((2,), np.float32) and node.input_meta[1] is None
    assert node.attrs == {"scale": 2.0}
    assert node.output() is out and not node.released
    h = Cube.apply(out)
    assert list(h.grad_fn.parents) == [node]  # a computed input's parent is its node
    h.sum().backward()
    assert node.released and h.grad_fn.released
    expected = 3 * out.data**2 * w.data * 2.0 / (1 + np.abs(x.data)) ** 2
    np.testing.assert_allclose(x.grad, expected, rtol=1e-6)


def test_needs_input_grad_skips_unwanted_gradients():
    calls = []

    class Recorder(ag.Function):
        def forward(self, a, b):
            return a * b

        def backward(self, grad):
            calls.append(tuple(self.needs_input_grad))
            return (grad if self.needs_input_grad[0] else None), (grad if self.needs_input_grad[1] else None)

    a = ag.tensor([1.0], requires_grad=True)
    Recorder.apply(a, ag.tensor([2.0])).sum().backward()
    Recorder.apply(3.0, a).sum().backward()
    assert calls == [(True, False), (False, True)]


def test_apply_accepts_arrays_and_scalars_and_records_nothing_without_grad():
    out = Cube.apply(np.array([2.0]))
    assert isinstance(out, ag.Tensor) and out.grad_fn is None and out.data[0] == 8.0
    with ag.no_grad():
        assert Cube.apply(ag.tensor([2.0], requires_grad=True)).grad_fn is None


def test_forward_errors_are_prefixed_with_the_op_and_shapes():
    class Broken(ag.Function):
        def forward(self, a, b):
            return a + b

    with pytest.raises(ValueError, match=r"^broken: shapes \(2,\) and \(3,\): operands could not be broadcast"):
        Broken.apply(ag.zeros(2), ag.zeros(3))


def test_a_message_already_naming_the_op_is_kept():
    class Picky(ag.Function):
        def forward(self, x):
            raise ValueError("picky: x must be positive")

    with pytest.raises(ValueError, match=r"^picky: x must be positive$"):
        Picky.apply(ag.zeros(1))


def test_missing_forward_or_backward():
    class NoBackward(ag.Function):
        def forward(self, x):
            return x * 1

    class NoForward(ag.Function):
        pass

    with pytest.raises(NotImplementedError, match="NoForward defines no forward"):
        NoForward.apply(ag.zeros(1))
    with pytest.raises(NotImplementedError, match="NoBackward defines no backward"):
        NoBackward.apply(ag.zeros(1, requires_grad=True)).sum().backward()


def test_saved_tensors_after_release():
    x = ag.tensor([2.0], requires_grad=True)
    y = Cube.apply(x)
    y.sum().backward()
    with pytest.raises(RuntimeError, match="cube: trying to backward through the graph a second time"):
        y.grad_fn.saved_tensors


def test_integer_output_is_not_recorded():
    class Floor(ag.Function):
        def forward(self, x):
            return np.floor(x).astype(np.int64)

    out = Floor.apply(ag.tensor([1.5], requires_grad=True))
    assert out.dtype == np.int64 and not out.requires_grad and out.grad_fn is None


def test_a_recorded_op_leaves_few_objects_for_the_garbage_collector():
    # Python's cyclic collector rescans every object it watches, so what each node of a
    # long graph leaves watched sets how the cost per op grows with the graph. A product
    # that saves its input: the node, its output Tensor (kept by the next node's saved
    # values), the weak reference to it, the parents and the saved values; nothing else.
    x = ag.tensor(1.0, requires_grad=True)
    y = x * 1.0
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(1000):
        y = y * 1.0
    gc.collect()
    gc.collect()
    assert (len(gc.get_objects()) - before) / 1000 < 5.5
