"""BackwardStepper: the same order and the same gradients as backward(), the data of each
step (incoming, outgoing and local gradients, accumulation), drawing a step, the slider,
and clear errors."""
import sys

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.engine import BackwardPass, seed_gradient
from autograd_core.viz import BackwardStepper, Step


def fan_out(leaves):
    a, b = leaves
    e = a * b
    return (e * a + e.tanh() * e + a.exp()).sum()


def broadcasting(leaves):
    x, bias, scale = leaves
    return ((x + bias) * scale).sigmoid().mean()


def matmul(leaves):
    x, w, v = leaves
    h = (x @ w).relu()
    return (h @ v).pow(2).sum() + (w * w).sum()


GRAPHS = {
    "fan_out": (fan_out, [(3,), (3,)]),
    "broadcasting": (broadcasting, [(4, 3), (3,), (4, 1)]),
    "matmul": (matmul, [(5, 4), (4, 3), (3, 2)]),
}


def make_leaves(shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [ag.Tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]


@pytest.mark.parametrize("name", GRAPHS)
def test_stepper_gradients_equal_backward(name):
    build, shapes = GRAPHS[name]
    reference = make_leaves(shapes)
    build(reference).backward()
    stepped = make_leaves(shapes)
    stepper = BackwardStepper(build(stepped))
    steps = stepper.run()
    assert stepper.finished and len(steps) > 3
    for r, s in zip(reference, stepped):
        np.testing.assert_array_equal(s.grad, r.grad)


@pytest.mark.parametrize("name", GRAPHS)
def test_stepper_visits_nodes_in_the_order_backward_does(name):
    build, shapes = GRAPHS[name]
    out = build(make_leaves(shapes))
    visited = []
    walk = BackwardPass([out], [seed_gradient(out, None)], retain_graph=True)
    while (node := walk.next_node()) is not None:
        visited.append(node)
        walk.run_node(node)
    stepper = BackwardStepper(out)
    assert [step.node for step in stepper] == visited
    assert [step.index for step in stepper.steps] == list(range(len(visited)))


def test_gradients_are_written_only_when_the_last_node_has_run(micrograd_expression):
    L, t = micrograd_expression()
    stepper = BackwardStepper(L)
    stepper.step()
    stepper.step()
    assert t["a"].grad is None and not stepper.finished
    last = stepper.step()
    assert stepper.finished and last.op == "mul"
    assert (t["a"].grad, t["b"].grad, t["c"].grad, t["f"].grad) == (6.0, -4.0, -2.0, 4.0)
    with pytest.raises(RuntimeError, match="finished"):
        stepper.step()


def test_each_step_exposes_incoming_outgoing_and_local_gradients(micrograd_expression):
    L, t = micrograd_expression()
    first, second, third = BackwardStepper(L)
    assert first.node is L.grad_fn and first.grad_output == 1.0
    assert first.inputs == (t["d"].grad_fn, t["f"])
    assert first.grad_inputs == (-2.0, 4.0)  # dL/dd = f, dL/df = d
    assert second.grad_output == -2.0 and second.local == (1.0, 1.0) and second.grad_inputs == (-2.0, -2.0)
    assert third.local == (-3.0, 2.0)  # de/da = b, de/db = a
    assert third.grad_inputs == (6.0, -4.0)
    assert third.grad_of(t["a"]) == 6.0 and third.grad_of(t["e"]) == -2.0
    assert first.grad_of(t["a"]) is None and first.grad_of(t["d"]) == -2.0
    assert third.gradients == {"L": 1.0, "d": -2.0, "e": -2.0, "f": 4.0, "c": -2.0, "a": 6.0, "b": -4.0}


def test_chain_rule_text_of_a_step(micrograd_expression):
    L, _ = micrograd_expression()
    steps = BackwardStepper(L).run()
    assert steps[0].chain_rule.splitlines()[:2] == [
        "step 1: L = d * f",
        "dL/dL = 1.0000  (the start: the gradient of the output itself)",
    ]
    assert "dL/da = dL/de · de/da = -2.0000 · -3.0000 = 6.0000" in steps[2].chain_rule
    assert str(steps[2]) == steps[2].chain_rule and repr(steps[2]) == "<Step 3: mul>"


def test_a_tensor_used_twice_accumulates_and_the_text_says_so():
    a = ag.tensor(3.0, requires_grad=True, name="a")
    b = a * a
    b.name = "b"
    c = b + a
    c.name = "c"
    first, second = BackwardStepper(c)
    assert first.accumulated == (False, False)
    assert second.accumulated == (True, True)  # both uses of a in b = a * a add to dc/da = 1
    assert second.chain_rule.count("dc/da += dc/db · db/da = 1.0000 · 3.0000 = 3.0000") == 2
    assert "(summed: now 7.0000)" in second.chain_rule
    assert second.grad_of(a) == 7.0 == a.grad == 2 * 3.0 + 1
    x = ag.tensor(3.0, requires_grad=True)
    (square,) = BackwardStepper(x * x)
    assert square.accumulated == (False, True) and x.grad == 6.0


def test_partial_sums_stay_as_they_were_at_each_step():
    a = ag.Tensor(np.array([1.0, -2.0]), requires_grad=True)
    steps = BackwardStepper((a * 2 + a * 3 + a * 4).sum()).run()
    running, seen = 0, 0
    for step in steps:
        for parent, grad in zip(step.inputs, step.grad_inputs):
            if parent is a:
                running, seen = running + grad, seen + 1
        np.testing.assert_array_equal(step.grad_of(a) if seen else 0, running)
    assert seen == 3 and a.grad.tolist() == [9.0, 9.0]


def test_non_scalar_steps_are_vector_jacobian_products():
    x = ag.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    w = ag.Tensor(np.ones((3, 4)), requires_grad=True)
    y = x @ w
    gradient = np.arange(8.0).reshape(2, 4)
    (step,) = BackwardStepper(y, gradient=gradient)
    assert step.local is None
    np.testing.assert_array_equal(step.grad_inputs[0], gradient @ w.data.T)
    np.testing.assert_array_equal(step.grad_inputs[1], x.data.T @ gradient)
    assert "dL/dleaf2 = dL/dmatmul · dmatmul/dleaf2 = <(3, 4), ‖·‖ =" in step.chain_rule
    expected = x.data.T @ gradient
    x.grad = w.grad = None
    (x @ w).backward(gradient)
    np.testing.assert_array_equal(w.grad, expected)


def test_hooks_and_retain_grad_behave_as_in_backward():
    def build():
        x = ag.Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
        h = x * 2
        h.register_hook(lambda g: g * 10)
        h.retain_grad()
        x.register_hook(lambda g: g + 1)
        return x, h, (h * h).sum()

    x1, h1, out1 = build()
    out1.backward()
    x2, h2, out2 = build()
    BackwardStepper(out2).run()
    np.testing.assert_array_equal(x2.grad, x1.grad)
    np.testing.assert_array_equal(h2.grad, h1.grad)


def test_saved_values_are_freed_unless_retain_graph(micrograd_expression):
    L, _ = micrograd_expression()
    BackwardStepper(L).run()
    assert L.grad_fn.released
    with pytest.raises(RuntimeError, match="freed by an earlier backward pass"):
        BackwardStepper(L)
    L, t = micrograd_expression()
    BackwardStepper(L, retain_graph=True).run()
    L.backward()
    assert t["a"].grad == 12.0  # accumulated into .grad as a second backward() does


def test_iterating_again_replays_the_same_steps(micrograd_expression):
    L, _ = micrograd_expression()
    stepper = BackwardStepper(L)
    first = stepper.step()
    assert list(stepper) == stepper.steps and stepper.steps[0] is first and len(stepper.steps) == 3
    assert list(stepper) == stepper.steps


def test_a_leaf_output_has_no_steps_and_gets_its_gradient():
    x = ag.tensor(2.0, requires_grad=True)
    stepper = BackwardStepper(x)
    assert stepper.finished and list(stepper) == [] and x.grad == 1.0


def test_bad_inputs_give_clear_errors():
    with pytest.raises(TypeError, match="BackwardStepper: expected a Tensor, got float"):
        BackwardStepper(1.0)
    with pytest.raises(RuntimeError, match="does not require grad"):
        BackwardStepper(ag.tensor([1.0, 2.0]) * 2)
    y = ag.tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*gradient="):
        BackwardStepper(y)
    with pytest.raises(RuntimeError, match="gradient has shape"):
        BackwardStepper(y, gradient=np.ones(3))


def test_drawing_a_step_highlights_the_node_and_shows_known_gradients(micrograd_expression):
    L, t = micrograd_expression()
    stepper = BackwardStepper(L)
    assert "grad " not in stepper.draw().source
    stepper.step()
    second = stepper.step()
    source = second.draw().source
    assert source.count("#fb923c") == 1  # the current op
    assert source.count("#dcfce7") == 1  # the op already run
    assert "step 2: d = e + c" in source  # the chain rule as caption
    assert source.count('grad -2.0000</FONT>> color="#dc2626"') == 2  # dL/de and dL/dc on the edges
    assert "grad 4.0000" in source  # f's gradient, known since step 1
    bundle = second._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and bundle["text/plain"] == second.chain_rule
    assert stepper.draw().source == source


def test_widget_scrubs_through_the_steps(monkeypatch, micrograd_expression):
    ipywidgets = pytest.importorskip("ipywidgets")
    L, t = micrograd_expression()
    drawn = []
    original = Step.draw

    def recording_draw(self, **options):
        drawn.append(self.index)
        return original(self, **options)

    monkeypatch.setattr(Step, "draw", recording_draw)
    box = BackwardStepper(L).widget(rankdir="TB")
    slider, area = box.children
    assert isinstance(slider, ipywidgets.IntSlider) and isinstance(area, ipywidgets.Output)
    assert (slider.min, slider.max) == (0, 2)
    slider.value = 2
    assert drawn == [0, 2] and t["a"].grad == 6.0


def test_widget_without_ipywidgets_says_what_to_install(monkeypatch, micrograd_expression):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    L, _ = micrograd_expression()
    stepper = BackwardStepper(L)
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        stepper.widget()
    assert len(list(stepper)) == 3
