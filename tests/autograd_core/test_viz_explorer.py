"""viz.explore without a browser: the page is one self-contained file, it carries the
data-* contract, its steps and gradients are BackwardStepper's, the summaries of large
tensors, ids of its own per explorer, large graphs, and clear errors."""
import base64
import json
import re

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.viz import BackwardStepper, Explorer, explore
from autograd_core.viz.explorer.summary import FULL_ELEMENTS, MAX_IMAGES, summarise
from autograd_core.viz.labels import summary_text


def page_data(text):
    (raw,) = re.findall(r'<script type="application/json" class="agx-data">(.*?)</script>', text, flags=re.S)
    return json.loads(raw)


def gradient_at(tensor, position):
    """The gradient text the page shows in a tensor after ``position`` steps, or None."""
    shown = None
    for event in tensor["grads"]:
        if event[0] < position:
            shown = event[1]
    return shown


def test_the_page_is_one_self_contained_file(tmp_path, explorer_graph):
    output, _, _ = explorer_graph("mlp")
    path = explore(output).save(tmp_path / "mlp.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "<svg" in text and 'class="agx-data"' in text and "<style>" in text
    assert "data-ready" in text  # the script itself, inlined
    assert not re.search(r"<(script|img|link|iframe)[^>]*\s(src|href)=", text)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    # XML namespace names are URLs, never fetched.
    without_namespaces = re.sub(r"http://www\.w3\.org/(2000/svg|1999/xlink)", "", text)
    assert "http://" not in without_namespaces and "https://" not in without_namespaces
    assert "<?xml" not in text and "<!DOCTYPE svg" not in text


def test_nodes_and_roles_carry_the_contract(explorer_graph):
    output, _, _ = explorer_graph("expression")
    text = explore(output).html()
    names = re.findall(r'<g [^>]*data-node="([^"]*)"', text)
    assert sorted(names) == sorted(["a", "b", "c", "f", "e", "d", "L", "mul", "mul", "add"])
    assert text.count('class="node"') == len(names)
    for role in ("chain-rule", "details", "step", "slider"):
        assert f'data-role="{role}"' in text
    assert re.search(r'data-node="e" data-kind="tensor"|data-kind="tensor"[^>]*data-node="e"', text) or 'data-node="e"' in text
    assert len(re.findall(r'class="agx-grad"', text)) == 7  # every tensor's gradient line


@pytest.mark.parametrize("name", ["expression", "fan_out", "broadcasting_matmul", "mlp", "conv_pool"])
def test_steps_and_gradients_are_the_stepper_s(name, explorer_graph):
    output, _, _ = explorer_graph(name)
    data = page_data(explore(output).html())
    reference, _, _ = explorer_graph(name)
    steps = BackwardStepper(reference).run()
    assert [s["text"] for s in data["steps"]] == [step.chain_rule for step in steps]
    assert [data["ops"][s["op"]]["name"] for s in data["steps"]] == [step.op for step in steps]
    drawn = [t for t in data["tensors"] if t["dom"] is not None]
    for position in range(len(steps) + 1):
        known = steps[position - 1].gradients if position else {}
        for tensor in drawn:
            expected = summary_text(known[tensor["name"]], 6) if tensor["name"] in known else None
            assert gradient_at(tensor, position) == expected, (position, tensor["name"])


@pytest.mark.parametrize("name", ["fan_out", "conv_pool"])
def test_explore_leaves_the_gradients_backward_gives(name, explorer_graph):
    output, leaves, _ = explorer_graph(name)
    explore(output)
    reference, reference_leaves, _ = explorer_graph(name)
    reference.backward()
    for leaf, expected in zip(leaves, reference_leaves):
        np.testing.assert_array_equal(leaf.grad, expected.grad)
    assert output.grad_fn.released  # the graph is freed, as by backward()


def test_details_hold_full_values_of_small_tensors_and_the_final_gradients(explorer_graph):
    output, leaves, _ = explorer_graph("fan_out")
    data = page_data(explore(output).html())
    by_name = {t["name"]: t for t in data["tensors"]}
    for leaf in leaves:
        entry = by_name[leaf.name]
        np.testing.assert_array_equal(entry["value"]["values"], leaf.data)
        np.testing.assert_array_equal(entry["grads"][-1][2]["values"], leaf.grad)


def test_conv_filters_and_feature_maps_are_images(explorer_graph):
    output, leaves, (maps, pooled, logits) = explorer_graph("conv_pool")
    data = page_data(explore(output).html())
    by_name = {t["name"]: t for t in data["tensors"]}
    kernel = by_name["kernel"]["value"]
    np.testing.assert_array_equal(kernel["values"], leaves[0].data)
    assert kernel["images"]["count"] == 3 and (kernel["images"]["height"], kernel["images"]["width"]) == (3, 3)
    assert by_name["kernel"]["grads"][-1][2]["images"]["count"] == 3
    feature_maps = next(t for t in data["tensors"] if t["shape"].startswith("(4, 3, 6, 6)") and t["kind"] == "tensor" and t["value"])
    assert feature_maps["value"]["images"]["count"] == 3  # the 3 channels of the first example
    assert by_name["W"]["value"]["heatmap"]["rows"] == 5 and by_name["W"]["value"]["heatmap"]["cols"] == 27


def test_summaries_of_large_tensors():
    rng = np.random.default_rng(0)
    small = summarise(np.arange(6.0).reshape(2, 3))
    assert small["values"] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and small["shape"] == [2, 3]
    assert "values" not in summarise(np.zeros(FULL_ELEMENTS + 1))
    big = rng.standard_normal(10_000)
    info = summarise(big)
    assert np.isclose(info["stats"]["norm"], np.linalg.norm(big), rtol=1e-5)
    assert np.isclose(info["stats"]["mean"], big.mean(), rtol=1e-4, atol=1e-6)
    assert sum(info["histogram"]["counts"]) == big.size and "heatmap" not in info and "images" not in info
    matrix = summarise(rng.standard_normal((1000, 1000)))["heatmap"]
    assert matrix["rows"] * matrix["cols"] <= 128 * 512 and "every 4th row and column" in matrix["caption"]
    assert len(base64.b64decode(matrix["pixels"])) == matrix["rows"] * matrix["cols"]
    maps = summarise(np.abs(rng.standard_normal((64, 6, 28, 28))))["images"]
    assert (maps["count"], maps["height"], maps["width"], maps["diverging"]) == (6, 28, 28, False)
    filters = summarise(rng.standard_normal((16, 8, 5, 5)), filters=True)["images"]
    assert filters["count"] == MAX_IMAGES and filters["diverging"] and "first 96" in filters["caption"]
    odd = summarise(np.array([1.0, np.nan, np.inf]))
    assert odd["values"] == [1.0, "nan", "inf"]
    json.dumps(summarise(np.full(100, np.nan)), allow_nan=False)


def test_every_explorer_has_ids_of_its_own(explorer_graph):
    output, _, _ = explorer_graph("expression")
    explorer = explore(output)
    first, second = explorer.html(), explorer._repr_html_()
    ids_first = set(re.findall(r'\sid="([^"]+)"', first))
    ids_second = set(re.findall(r'\sid="([^"]+)"', second))
    assert ids_first and not ids_first & ids_second
    (root,) = re.findall(r'<div class="agx" id="([^"]+)"', first)
    assert all(i.startswith(root) for i in ids_first)
    assert f"}}, {json.dumps(root)}, document.currentScript);" in first


def test_values_of_tensors_nothing_keeps_are_marked_not_kept():
    x = ag.tensor([1.0, -2.0, 3.0], requires_grad=True, name="x")
    y = (x * 2 + 1).sum()  # x * 2 is an add's input, which saves nothing: it dies
    data = page_data(explore(y).html())
    by_name = {t["name"]: t for t in data["tensors"]}
    assert by_name["mul"]["kept"] is False and by_name["mul"]["value"] is None
    assert "(value not kept" in data["forward"][0]["text"]
    assert by_name["x"]["value"]["values"] == [1.0, -2.0, 3.0]


def test_forward_order_and_text(explorer_graph):
    output, _, _ = explorer_graph("expression")
    data = page_data(explore(output).html())
    assert [f["text"] for f in data["forward"]] == ["e = a * b\ne = -6.0000", "d = e + c\nd = 4.0000", "L = d * f\nL = -8.0000"]


def test_drawing_options_pass_through(explorer_graph):
    output, _, _ = explorer_graph("mlp")
    collapsed = explore(output, collapse="hidden", rankdir="TB")
    data = page_data(collapsed.html())
    assert [b["scope"] for b in data["boxes"].values()] == ["hidden"]
    assert 'data-kind="box"' in collapsed.html() and 'data-node="hidden"' in collapsed.html()
    assert [c["scope"] for c in data["clusters"]] == ["output"]
    boxed_steps = [s for s in data["steps"] if data["ops"][s["op"]]["boxed"]]
    assert boxed_steps and all(not s["edges"] for s in boxed_steps)
    output, _, _ = explorer_graph("mlp")
    plain = page_data(explore(output, show_intermediates=False).html())
    assert all(t["dom"] is None for t in plain["tensors"] if t["kind"] == "tensor")
    assert all(op["dom"].startswith("op") for op in plain["ops"])


def test_clusters_list_their_nodes(explorer_graph):
    output, _, _ = explorer_graph("conv_pool")
    text = explore(output).html()
    data = page_data(text)
    clusters = {c["scope"]: c for c in data["clusters"]}
    assert set(clusters) == {"conv", "pool", "head"}
    assert clusters["conv"]["ops"] == 2 and clusters["conv"]["params"] == 2
    for c in clusters.values():
        assert c["nodes"] and f'data-cluster="{c["scope"]}"' in text


def test_a_leaf_output_has_no_steps():
    x = ag.tensor(2.0, requires_grad=True, name="x")
    explorer = explore(x)
    assert explorer.steps == 0 and x.grad == 1.0
    assert 'data-node="x"' in explorer.html()


def test_non_scalar_output_needs_a_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True, name="x")
    with pytest.raises(RuntimeError, match="gradient="):
        explore(x * 2)
    explorer = explore(x * 2, gradient=np.array([1.0, -1.0]))
    assert explorer.steps == 1 and x.grad.tolist() == [2.0, -2.0]


def test_bad_inputs_give_clear_errors():
    with pytest.raises(TypeError, match="explore: expected a Tensor, got list"):
        explore([1.0])
    with pytest.raises(RuntimeError, match="explore: the output does not require grad"):
        explore(ag.tensor([1.0]) * 2)
    x = ag.tensor(1.0, requires_grad=True)
    with pytest.raises(TypeError, match="unknown drawing option 'colour'.*rankdir"):
        explore(x * 2, colour="red")
    with pytest.raises(TypeError, match="unknown drawing option 'step'"):
        explore(x * 2, step=None)
    y = x * 2
    y.backward()
    with pytest.raises(RuntimeError, match="freed by an earlier backward pass"):
        explore(y)


def chain(n, scoped):
    x = ag.tensor(1.0, requires_grad=True, name="x")
    y = x
    for block in range(n // 100):
        with ag.scope(f"block{block}" if scoped else ""):
            for _ in range(100):
                y = y * 1.0001
    return x, y


def test_a_huge_graph_without_scopes_is_refused_with_draw_graph_s_hint_before_running():
    x, y = chain(10_000, scoped=False)
    with pytest.raises(ValueError, match="max_nodes=1500.*collapse"):
        explore(y)
    assert x.grad is None and not y.grad_fn.released  # refused before the pass ran


def test_a_huge_scoped_graph_is_summarised():
    x, y = chain(10_000, scoped=True)
    explorer = explore(y)
    html_text = explorer.html()
    assert explorer.steps == 10_000 and "summarised" in explorer.title
    assert len(re.findall(r'data-kind="box"', html_text)) == 100
    assert len(html_text) < 5_000_000
    assert np.isclose(x.grad, 1.0001**10_000, rtol=1e-3)  # float32
    assert isinstance(explorer, Explorer) and "10000 steps" in repr(explorer)
