"""viz.explore in a real browser (headless Chromium, network off): stepping through every
step shows the chain rule and the gradients of BackwardStepper and, at the end, those of
backward(); node details; collapsing clusters; the forward mode; play and the slider;
several explorers on one page; no console error, no network request, and a screenshot
that is not blank."""
import io
import os
import pathlib
import re

import numpy as np
import pytest

from autograd_core.viz import BackwardStepper, explore
from autograd_core.viz.labels import summary_text

GRAPHS = ["expression", "fan_out", "broadcasting_matmul", "mlp", "conv_pool"]
SCREENSHOT = pathlib.Path(__file__).resolve().parents[2] / "docs" / "explorer.png"

READ_STATE = """root => {
    const grads = {}, data = {};
    root.querySelectorAll('g[data-node]').forEach(g => {
        if (g.dataset.kind === 'op' || g.dataset.kind === 'box') return;
        const grad = g.querySelector('text.agx-grad'), value = g.querySelector('text.agx-data');
        if (grad) grads[g.dataset.node] = grad.textContent;
        if (value) data[g.dataset.node] = getComputedStyle(value).visibility !== 'hidden';
    });
    return {
        step: root.querySelector('[data-role="step"]').textContent,
        rule: root.querySelector('[data-role="chain-rule"]').textContent,
        grads, data,
    };
}"""


def state(page, index=0):
    return page.locator("[data-explorer]").nth(index).evaluate(READ_STATE)


def numbers(text):
    return np.array([float(x) for x in re.findall(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|nan|inf)", text)])


def shown_array(page, part):
    """The array the details panel shows (``part`` is "value" or "grad"): every number of
    a small tensor, or the norm of a large one."""
    box = page.locator(f'[data-role="details"] [data-part="{part}"]')
    if box.locator("pre").count():
        return "values", numbers(box.locator("pre").inner_text())
    return "norm", float(box.locator('tr[data-stat="norm"] td').nth(1).inner_text())


def assert_shows(page, part, array):
    kind, shown = shown_array(page, part)
    if kind == "values":
        np.testing.assert_allclose(shown, np.asarray(array, dtype=np.float64).ravel(), rtol=1e-5, atol=1e-7)
    else:
        assert np.isclose(shown, np.linalg.norm(np.asarray(array, dtype=np.float64)), rtol=1e-5)


@pytest.mark.parametrize("name", GRAPHS)
def test_every_step_shows_the_stepper_s_chain_rule_and_gradients(name, explorer_graph, offline_page, tmp_path):
    output, _, _ = explorer_graph(name)
    path = explore(output).save(tmp_path / f"{name}.html")
    reference, _, _ = explorer_graph(name)
    steps = BackwardStepper(reference).run()
    expected_output, expected_leaves, _ = explorer_graph(name)
    expected_output.backward()

    browser = offline_page()
    page = browser.open(path)
    before = state(page)
    assert before["step"] == f"step 0 / {len(steps)}"
    assert set(before["grads"].values()) == {"grad ?"}
    for k, step in enumerate(steps, 1):
        page.keyboard.press("ArrowRight")
        now = state(page)
        assert now["step"] == f"step {k} / {len(steps)}"
        assert now["rule"] == step.chain_rule
        known = step.gradients
        expected = {n: "grad " + summary_text(known[n], 6) if n in known else "grad ?" for n in now["grads"]}
        assert now["grads"] == expected, k
    page.keyboard.press("ArrowRight")  # past the end: stays at the end
    assert state(page)["step"] == f"step {len(steps)} / {len(steps)}"
    for leaf in expected_leaves:
        assert now["grads"][leaf.name] == "grad " + summary_text(leaf.grad, 6)
        page.click(f'g[data-node="{leaf.name}"]')
        assert page.locator('[data-role="details"] h4').inner_text() == leaf.name
        assert_shows(page, "value", leaf.data)
        assert_shows(page, "grad", leaf.grad)
    page.keyboard.press("ArrowLeft")
    assert state(page)["rule"] == steps[-2].chain_rule if len(steps) > 1 else state(page)["step"].startswith("step 0")
    assert not browser.errors
    assert browser.requests == [path.resolve().as_uri()]


def test_details_follow_the_step_partial_sums_then_the_total(explorer_graph, offline_page, tmp_path):
    output, _, _ = explorer_graph("fan_out")
    path = explore(output).save(tmp_path / "fan_out.html")
    reference, (a, _), _ = explorer_graph("fan_out")
    steps = BackwardStepper(reference).run()
    contributions = [k for k, step in enumerate(steps, 1) if any(p is a for p in step.inputs)]
    assert len(contributions) > 1  # a is used three times: its gradient is a sum
    page = offline_page().open(path)
    page.click('g[data-node="a"]')
    assert "not reached yet" in page.locator('[data-role="details"]').inner_text()
    for k, step in enumerate(steps, 1):
        page.keyboard.press("ArrowRight")
        if k < contributions[0]:
            assert "not reached yet" in page.locator('[data-role="details"]').inner_text()
            continue
        heading = page.locator('[data-role="details"] h5.agx-grad-part').inner_text()
        assert heading.endswith("(complete)") == (k >= contributions[-1]), (k, heading)
        assert heading.endswith("(partial sum so far)") == (k < contributions[-1])
        assert_shows(page, "grad", step.gradients["a"])


def test_conv_feature_maps_and_filters_are_drawn_as_images(explorer_graph, offline_page, tmp_path):
    output, (kernel, _, W, _), _ = explorer_graph("conv_pool")
    path = explore(output).save(tmp_path / "conv.html")
    browser = offline_page()
    page = browser.open(path)
    page.keyboard.press("End")
    page.click('g[data-node="kernel"]')
    assert page.locator('[data-part="value"] canvas[data-kind="image"]').count() == 3
    assert page.locator('[data-part="grad"] canvas[data-kind="image"]').count() == 3
    page.click('g[data-node="W"]')
    assert page.locator('[data-part="value"] canvas[data-kind="heatmap"]').count() == 1
    assert page.locator('[data-part="value"] svg[data-kind="histogram"] rect').count() == 24
    page.click('g[data-node="relu"]')
    assert page.locator('[data-role="details"] h4').inner_text() == "relu"
    assert "relu = relu(conv" in page.locator('[data-role="details"]').inner_text()
    assert not browser.errors


@pytest.mark.parametrize("name, scope, inside", [("mlp", "hidden", "W1"), ("conv_pool", "conv", "kernel")])
def test_clusters_collapse_and_expand(name, scope, inside, explorer_graph, offline_page, tmp_path):
    output, _, _ = explorer_graph(name)
    path = explore(output).save(tmp_path / f"{name}.html")
    browser = offline_page()
    page = browser.open(path)
    node = page.locator(f'g[data-node="{inside}"]')
    assert node.is_visible()
    page.click(f'[data-role="layers"] button[data-cluster="{scope}"]')
    assert node.is_hidden()
    cover = page.locator(f'[data-cover="{scope}"]')
    assert cover.is_visible() and scope in cover.text_content()
    total = int(state(page)["step"].split("/")[1])
    current = []  # the pass goes through the collapsed scope: its cover is then the current node
    for _ in range(total):
        page.keyboard.press("ArrowRight")
        current.append("agx-current" in cover.get_attribute("class"))
    assert any(current) and not all(current)
    cover.click()
    assert node.is_visible() and page.locator(f'[data-cover="{scope}"]').count() == 0
    assert not browser.errors


def test_forward_mode_shows_values_arriving(explorer_graph, offline_page, tmp_path):
    output, _, _ = explorer_graph("expression")
    path = explore(output).save(tmp_path / "expression.html")
    browser = offline_page()
    page = browser.open(path)
    page.click('[data-action="forward"]')
    now = state(page)
    assert now["step"] == "step 0 / 3"
    assert now["data"] == {"a": True, "b": True, "c": True, "f": True, "e": False, "d": False, "L": False}
    page.keyboard.press("ArrowRight")
    now = state(page)
    assert now["rule"] == "e = a * b\ne = -6.0000" and now["data"]["e"] and not now["data"]["d"]
    page.click('[data-action="backward"]')
    assert state(page)["step"] == "step 0 / 3"
    assert not browser.errors


def test_play_and_the_slider(explorer_graph, offline_page, tmp_path):
    output, _, _ = explorer_graph("fan_out")
    explorer = explore(output)
    path = explorer.save(tmp_path / "fan_out.html")
    browser = offline_page()
    page = browser.open(path)
    page.click('[data-action="play"]')
    page.wait_for_function(
        f"document.querySelector('[data-role=\"step\"]').textContent === 'step {explorer.steps} / {explorer.steps}'",
        timeout=30_000,
    )
    assert page.locator('[data-action="play"]').inner_text() == "play"  # stopped at the end
    page.locator('[data-role="slider"]').evaluate("s => { s.value = '2'; s.dispatchEvent(new Event('input')); }")
    assert state(page)["step"] == f"step 2 / {explorer.steps}"
    assert state(page)["rule"].startswith("step 2:")
    assert not browser.errors


def test_several_explorers_on_one_page_do_not_clash(explorer_graph, offline_page, tmp_path):
    first, _, _ = explorer_graph("expression")
    second, _, _ = explorer_graph("mlp")
    path = tmp_path / "two.html"
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + explore(first).html() + explore(second).html() + "</body></html>",
        encoding="utf-8",
    )
    browser = offline_page()
    page = browser.open(path)
    page.locator("[data-explorer]").nth(1).locator('[data-role="step"]').click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert state(page, 0)["step"] == "step 0 / 3" and state(page, 1)["step"] == "step 2 / 6"
    page.locator("[data-explorer]").nth(0).locator('g[data-node="a"]').click()
    page.keyboard.press("ArrowRight")
    assert state(page, 0)["step"] == "step 1 / 3" and state(page, 1)["step"] == "step 2 / 6"
    assert page.locator("[data-explorer]").nth(1).locator('[data-role="details"] h4').count() == 0
    assert not browser.errors


def test_a_screenshot_is_not_blank(explorer_graph, offline_page, tmp_path):
    matplotlib_image = pytest.importorskip("matplotlib.image")
    output, _, _ = explorer_graph("mlp")
    path = explore(output, rankdir="LR").save(tmp_path / "mlp.html")
    browser = offline_page(width=1280, height=620)
    page = browser.open(path)
    page.click('g[data-node="W1"]')
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.click('[data-action="zoom-fit"]')  # the whole graph in the picture
    png = page.locator("[data-explorer]").screenshot()
    pixels = matplotlib_image.imread(io.BytesIO(png))
    colours = np.unique(pixels.reshape(-1, pixels.shape[-1])[::7], axis=0)
    assert pixels.std() > 0.05 and len(colours) > 50
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.write_bytes(png)
    assert not browser.errors


# What JupyterLab does with an HTML output: set it as the innerHTML of an output element,
# re-create each script (scripts set through innerHTML never run), and attach the output
# to the document afterwards.
JUPYTERLAB_RENDERING = """fragment => {
    const host = document.createElement('div');
    host.innerHTML = fragment;
    for (const script of Array.from(host.getElementsByTagName('script'))) {
        const clone = document.createElement('script');
        for (const attribute of Array.from(script.attributes)) clone.setAttribute(attribute.name, attribute.value);
        clone.textContent = script.textContent;
        script.parentNode.replaceChild(clone, script);
    }
    document.body.appendChild(host);
}"""


def test_an_explorer_shown_as_jupyterlab_shows_outputs_works(explorer_graph, offline_page, tmp_path):
    output, _, _ = explorer_graph("expression")
    explorer = explore(output)
    path = tmp_path / "notebook.html"
    path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>", encoding="utf-8")
    browser = offline_page()
    page = browser.open(path)
    page.evaluate(JUPYTERLAB_RENDERING, explorer._repr_html_())
    page.evaluate(JUPYTERLAB_RENDERING, explorer._repr_html_())  # the same explorer shown twice
    page.wait_for_function("document.querySelectorAll('[data-explorer][data-ready]').length === 2")
    second = page.locator("[data-explorer]").nth(1)
    second.locator('[data-role="step"]').click()
    page.keyboard.press("ArrowRight")
    assert state(page, 1)["rule"] == BackwardStepper(explorer_graph("expression")[0]).step().chain_rule
    assert state(page, 0)["step"] == "step 0 / 3"
    assert not browser.errors
