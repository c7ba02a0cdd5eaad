"""The backward pass: seeding, accumulation, freed graphs, in-place safety, hooks,
``grad`` with higher derivatives, deep graphs, and errors that leave ``.grad`` untouched."""
import gc

import numpy as np
import pytest

import autograd_core as ag


class Explode(ag.Function):
    """Identity forward; a backward that fails, to interrupt a pass midway."""

    def forward(self, x):
        return x.copy()

    def backward(self, grad):
        raise ArithmeticError("explode: backward failed on purpose")


def test_default_gradient_only_for_one_element_outputs():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"one-element output.*shape \(2,\)"):
        (x * 2).backward()
    assert x.grad is None
    (x * 2)[1:].backward()  # one element, not 0-d: the gradient 1 is still implied
    np.testing.assert_array_equal(x.grad, [0.0, 2.0])


@pytest.mark.parametrize("gradient", [np.ones(3), np.ones((2, 1)), ag.ones(1, 2)])
def test_gradient_of_the_wrong_shape_is_refused(gradient):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"backward: gradient has shape .* but the output has shape \(2,\)"):
        (x * 2).backward(gradient)
    assert x.grad is None


def test_explicit_gradient_is_the_vector_in_the_vector_jacobian_product():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).backward(ag.tensor([1.0, 0.5, -1.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 2.0, -6.0])


def test_backward_needs_a_graph():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.tensor(1.0).backward()
    x = ag.tensor(1.0, requires_grad=True)
    with ag.no_grad():
        y = x * 2
    with pytest.raises(RuntimeError, match="no_grad"):
        y.backward()


def test_backward_on_a_leaf_sets_its_grad_to_one():
    x = ag.tensor(3.0, requires_grad=True)
    x.backward()
    assert x.grad == 1.0


def test_gradients_accumulate_over_backward_calls_and_zeroing_resets():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [3 + 2, 3 + 4])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_grad_arrays_are_not_shared_between_tensors():
    """Two leaves receiving the same gradient object must not alias one array."""
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad, b.grad)
    a.grad += 1
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


def test_second_backward_through_a_freed_graph_raises_a_clear_error():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    assert y.grad_fn.released and y.grad_fn.parents[0].released
    with pytest.raises(RuntimeError, match=r"sum: trying to backward through the graph a second time.*retain_graph=True"):
        y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_retain_graph_allows_a_second_backward():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    assert not y.grad_fn.released
    y.backward()
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])


# Ways of changing, under no_grad, a tensor that a node saved for backward; the node named.
INPLACE_CHANGES = [
    ("mul", lambda x, w: (x * w).sum(), lambda x, w: x.add_(1)),
    ("mul", lambda x, w: (x * w).sum(), lambda x, w: w.__setitem__(0, 5.0)),
    ("matmul", lambda x, w: x @ w, lambda x, w: w.mul_(2)),
    ("sin", lambda x, w: x.sin().sum(), lambda x, w: x.zero_()),
    ("div", lambda x, w: (w[1:] / x[1:]).sum(), lambda x, w: x.fill_(3.0)),  # x changed under its view x[1:]
    # Through a view or a detached alias made after the forward pass: the version counter
    # is made when first needed and then shared.
    ("mul", lambda x, w: (x * w).sum(), lambda x, w: x[:2].add_(1)),
    ("mul", lambda x, w: (x * w).sum(), lambda x, w: w.detach().mul_(3)),
]


@pytest.mark.parametrize("op, build, change", INPLACE_CHANGES, ids=[f"{c[0]}-{i}" for i, c in enumerate(INPLACE_CHANGES)])
def test_inplace_change_of_a_saved_tensor_is_detected(op, build, change):
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = ag.tensor([4.0, 5.0, 6.0])
    out = build(x, w)
    with ag.no_grad():
        change(x, w)
    with pytest.raises(RuntimeError, match=rf"^{op}: .*modified in place .*after the forward pass"):
        out.backward(np.ones(out.shape, dtype=np.float32))
    assert x.grad is None


def test_inplace_change_of_a_saved_output_is_detected():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    loss = y.sum()
    with ag.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="exp: its output, saved for backward, was modified in place"):
        loss.backward()


def test_inplace_change_of_an_unsaved_tensor_is_fine():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1  # add saves nothing: its gradient does not depend on the values
    with ag.no_grad():
        x.add_(10)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])


def test_an_error_midway_leaves_every_grad_untouched():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    b = ag.tensor([3.0, 4.0], requires_grad=True)
    a.grad = np.array([10.0, 10.0], dtype=np.float32)
    # a's contribution is computed before Explode's backward runs and fails.
    loss = (a * 2).sum() + Explode.apply(b * 3).sum() + (a * b).sum()
    with pytest.raises(ArithmeticError, match="explode"):
        loss.backward()
    np.testing.assert_array_equal(a.grad, [10.0, 10.0])
    assert b.grad is None


def test_a_failing_hook_leaves_every_grad_untouched():
    a = ag.tensor([1.0], requires_grad=True)
    b = ag.tensor([2.0], requires_grad=True)
    c = ag.tensor([3.0], requires_grad=True)
    retained = a * b
    retained.retain_grad()

    def fail(grad):
        raise ArithmeticError("hook failed")

    b.register_hook(fail)
    with pytest.raises(ArithmeticError, match="hook failed"):
        (retained + c).sum().backward()
    assert a.grad is None and b.grad is None and c.grad is None and retained.grad is None


def test_fan_out_sums_contributions():
    """A node used by several children receives the sum of their gradients."""
    x = ag.tensor(2.0, dtype=np.float64, requires_grad=True)
    h = x * x  # used three times below
    y = h.exp() + 3 * h + h * h
    y.backward()
    # dy/dh = exp(h) + 3 + 2h, dh/dx = 2x, at x = 2 (h = 4)
    np.testing.assert_allclose(x.grad, (np.exp(4.0) + 3 + 8) * 4)


def test_same_tensor_on_both_sides():
    x = ag.tensor([3.0], requires_grad=True)
    (x * x + x / x - x).sum().backward()
    np.testing.assert_allclose(x.grad, [2 * 3 + 0 - 1])


def test_retain_grad_keeps_the_gradient_of_a_non_leaf():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    h.retain_grad()
    other = x * 5
    (h * h + other).sum().backward()
    np.testing.assert_array_equal(h.grad, 2 * h.data)
    assert other.grad is None
    np.testing.assert_array_equal(x.grad, 2 * h.data * 3 + 5)
    x.retain_grad()  # a leaf always keeps its gradient; asking is harmless
    assert x.grad is not None


def test_hook_on_a_leaf_replaces_its_gradient_and_can_be_removed():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.data.copy()) or g * 10)
    (x * 2).sum().backward()
    np.testing.assert_array_equal(seen[0], [2.0, 2.0])
    np.testing.assert_array_equal(x.grad, [20.0, 20.0])
    handle.remove()
    handle.remove()  # removing twice is harmless
    x.grad = None
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    assert len(seen) == 1


def test_hook_on_a_non_leaf_changes_what_flows_further_back():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.register_hook(lambda g: g * 0.5)
    h.register_hook(lambda g: None)  # returning None keeps the gradient
    h.retain_grad()
    (h * 3).sum().backward()
    np.testing.assert_array_equal(h.grad, [1.5, 1.5])
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_hook_needs_a_tensor_that_requires_grad():
    with pytest.raises(RuntimeError, match="register_hook"):
        ag.zeros(2).register_hook(lambda g: g)


def test_grad_returns_gradients_without_touching_dot_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.tensor([3.0], requires_grad=True)
    h = x * y
    gx, gh = ag.grad((h * h).sum(), [x, h])
    np.testing.assert_array_equal(gx.data, 2 * h.data * y.data)
    np.testing.assert_array_equal(gh.data, 2 * h.data)
    assert x.grad is None and y.grad is None and h.grad is None


def test_grad_unused_inputs():
    x = ag.tensor([1.0], requires_grad=True)
    unused = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"not used.*allow_unused"):
        ag.grad((x * 2).sum(), [x, unused])
    gx, gu = ag.grad((x * 2).sum(), [x, unused], allow_unused=True)
    assert gu is None and gx.data[0] == 2.0


def test_grad_with_several_outputs_and_grad_outputs():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    g = ag.grad([x * 2, x * x], x, [ag.tensor([1.0, 1.0]), ag.tensor([1.0, -1.0])])
    np.testing.assert_array_equal(g.data, [2 + 2, 2 - 4])
    with pytest.raises(ValueError, match="1 grad_outputs for 2 outputs"):
        ag.grad([x * 2, x * x], x, [ag.ones(2)])


def test_gradient_without_create_graph_is_constant():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    g = ag.grad((x**3).sum(), x)
    assert not g.requires_grad and g.grad_fn is None


def test_hessian_vector_product_with_create_graph(rng):
    """f(x) = 1/2 x^T A x + sum(x^3) / 3 has gradient (A + A^T) x / 2 + x^2 and Hessian
    (A + A^T) / 2 + diag(2 x); a second backward of (grad f) . v gives H v."""
    n = 4
    A = rng.standard_normal((n, n))
    v = rng.standard_normal(n)
    x = ag.tensor(rng.standard_normal(n), requires_grad=True)
    f = 0.5 * (x @ (ag.tensor(A) @ x)) + (x**3).sum() / 3
    (g,) = ag.grad(f, [x], create_graph=True)
    assert g.requires_grad
    np.testing.assert_allclose(g.data, (A + A.T) @ x.data / 2 + x.data**2)
    (hv,) = ag.grad((g * ag.tensor(v)).sum(), [x])
    hessian = (A + A.T) / 2 + np.diag(2 * x.data)
    np.testing.assert_allclose(hv.data, hessian @ v)


def test_backward_with_create_graph_gives_differentiable_grad():
    x = ag.tensor(np.array([0.5, -1.0]), requires_grad=True)
    y = x.sin().sum()
    y.backward(create_graph=True)
    g = ag.Tensor(x.grad)
    np.testing.assert_allclose(g.data, np.cos(x.data))
    # Third derivative of sin through two nested create_graph calls: -cos.
    (d1,) = ag.grad(x.sin().sum(), [x], create_graph=True)
    (d2,) = ag.grad(d1.sum(), [x], create_graph=True)
    (d3,) = ag.grad(d2.sum(), [x])
    np.testing.assert_allclose(d3.data, -np.cos(x.data))


def test_gradient_penalty_differentiates_through_a_gradient_norm():
    """d/dw of ||d(w . x)/dx||^2 = d/dw ||w||^2 = 2 w."""
    w = ag.tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    x = ag.tensor(np.array([0.3, 0.1, 0.2]), requires_grad=True)
    (gx,) = ag.grad((w * x).sum(), [x], create_graph=True)
    (gx * gx).sum().backward()
    np.testing.assert_allclose(w.grad, 2 * w.data)


def test_a_chain_of_100000_ops_backpropagates_without_recursion():
    x = ag.tensor(1.0, dtype=np.float64, requires_grad=True)
    y = x
    for _ in range(50_000):
        y = -(y + 1.0)
    y.backward()
    assert x.grad == 1.0  # 50,000 negations: an even number of sign flips
    assert len(ag.topological_order([y.grad_fn])) == 100_000


def test_sorting_a_deep_graph_sets_off_no_full_garbage_collection():
    # Per node, a tuple or an iterator on the search's stack would outlive the young
    # generations and make the collector rescan the whole graph, again and again.
    x = ag.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(60_000):
        y = y * 1.0
    full = []

    def count(phase, info):
        if phase == "start" and info["generation"] == 2:
            full.append(info)

    gc.collect()
    gc.callbacks.append(count)
    try:
        order = ag.topological_order([y.grad_fn])
    finally:
        gc.callbacks.remove(count)
    assert len(order) == 60_000
    assert full == []


def test_topological_order_puts_every_node_before_its_parents():
    x = ag.tensor([1.0], requires_grad=True)
    a = x * 2
    b = a.exp()
    c = a + b
    order = ag.topological_order([c.grad_fn])
    assert order[0] is c.grad_fn and set(order) == {a.grad_fn, b.grad_fn, c.grad_fn}
    assert order.index(b.grad_fn) < order.index(a.grad_fn)


def test_sum_to_shape_undoes_broadcasting():
    g = ag.ones(2, 3, 4)
    np.testing.assert_array_equal(ag.sum_to_shape(g, (3, 1)).data, np.full((3, 1), 8.0))
    np.testing.assert_array_equal(ag.sum_to_shape(g, ()).data, 24.0)
    assert ag.sum_to_shape(g, (2, 3, 4)) is g
    with pytest.raises(RuntimeError, match=r"gradient of shape \(2, 3, 4\) for an input of shape \(5,\)"):
        ag.sum_to_shape(g, (5,))


class WrongShape(ag.Function):
    def forward(self, x):
        return x * 2

    def backward(self, grad):
        return grad.sum(0)


class WrongCount(ag.Function):
    def forward(self, x):
        return x * 2

    def backward(self, grad):
        return grad, grad


@pytest.mark.parametrize(
    "op, message",
    [(WrongShape, r"wrong_shape: backward gave a gradient of shape \(3,\) for an input of shape \(2, 3\)"), (WrongCount, "wrong_count: backward returned 2 gradients for 1 inputs")],
)
def test_a_misbehaving_backward_is_named(op, message):
    x = ag.zeros(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match=message):
        op.apply(x).sum().backward()
    assert x.grad is None


# Mismatched shapes: each error names the op and both shapes.
SHAPE_ERRORS = [
    (lambda a, b: a + b, (2, 3), (4,), r"add: shapes \(2, 3\) and \(4,\)"),
    (lambda a, b: a * b, (2, 3), (3, 2), r"mul: shapes \(2, 3\) and \(3, 2\)"),
    (lambda a, b: b - a, (2,), (3,), r"sub: shapes \(3,\) and \(2,\)"),
    (lambda a, b: a @ b, (3, 4), (5, 2), r"matmul: shapes \(3, 4\) and \(5, 2\) do not align"),
    (ag.maximum, (2,), (3,), r"maximum: shapes \(2,\) and \(3,\)"),
    (lambda a, b: ag.where(np.ones(4, bool), a, b), (2,), (2,), r"where: shapes \(4,\) and \(2,\) and \(2,\)"),
]


@pytest.mark.parametrize("op, shape_a, shape_b, message", SHAPE_ERRORS)
def test_mismatched_shapes_name_the_op_and_shapes(op, shape_a, shape_b, message):
    with pytest.raises(ValueError, match=message):
        op(ag.zeros(*shape_a, requires_grad=True), ag.zeros(*shape_b))


def test_graph_is_not_recorded_for_tensors_without_requires_grad():
    a, b = ag.ones(2), ag.ones(2)
    out = (a * b).exp()
    assert out.grad_fn is None and not out.requires_grad


def test_the_graph_does_not_keep_dead_outputs_alive():
    import gc
    import weakref

    x = ag.tensor([1.0], requires_grad=True)
    y = x.exp()
    node = y.grad_fn
    probe = weakref.ref(y)
    loss = (y + 2).sum()  # add saves nothing, so nothing but this name holds y
    del y
    gc.collect()
    assert probe() is None and node.output() is None
    loss.backward()  # exp's saved output is rebuilt from the saved array
    np.testing.assert_allclose(x.grad, np.exp(1.0))


def test_grad_runs_leaf_hooks_as_torch_autograd_grad_does():
    torch = pytest.importorskip("torch")
    seen = []
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: seen.append(g.data.copy()) or g * 10)
    (g,) = ag.grad((x * x).sum(), [x])
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    tx.register_hook(lambda g: g * 10)
    (tg,) = torch.autograd.grad((tx * tx).sum(), [tx])
    np.testing.assert_array_equal(g.data, tg.numpy())
    np.testing.assert_array_equal(seen[0], [2.0, 4.0])
    assert x.grad is None
