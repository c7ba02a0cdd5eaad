"""The notebooks as a static site (notebooks/build_site.py): notebook 01 executed and
rendered with nbconvert, opened in a browser with the network off, and its backprop explorer
stepped as in a saved file; the notebooks in the repository stay without outputs."""
import pathlib
import subprocess
import sys
import urllib.parse

import pytest

import autograd_core as ag

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbconvert")

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# nbconvert's page template loads these from CDNs (require.js, MathJax, the widget manager).
TEMPLATE_HOSTS = {"cdnjs.cloudflare.com", "unpkg.com", "cdn.jsdelivr.net"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_in_the_repository_have_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_the_rendered_notebook_01_steps_its_explorer_offline(tmp_path, offline_page, micrograd_expression):
    notebook = ROOT / "notebooks" / "01_backprop_step_by_step.ipynb"
    # The build runs as a user runs it, in a process of its own: here the browser's event
    # loop is running, and the notebook client's loop, started beside it, can wait forever.
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "notebooks" / "build_site.py"), str(site), str(notebook)], check=True, timeout=900)
    index, page_path = site / "index.html", site / "01_backprop_step_by_step.html"
    assert 'href="01_backprop_step_by_step.html">Backpropagation, step by step</a>' in index.read_text()
    assert nbformat.read(notebook, as_version=4).cells[-1].outputs == []  # the source is left alone

    browser = offline_page()
    page = browser.open(page_path)
    explorer = page.locator("[data-explorer]")
    assert explorer.count() == 1 and explorer.get_attribute("data-ready") == "1"
    explorer.locator('[data-role="step"]').click()  # the keys go to the explorer that has the focus
    # The notebook's expression (in float32: the same text); `named` keeps e and d alive, as there.
    L, named = micrograd_expression()
    steps = ag.BackwardStepper(L).run()
    for k, step in enumerate(steps, 1):
        page.keyboard.press("ArrowRight")
        assert explorer.locator('[data-role="step"]').inner_text() == f"step {k} / {len(steps)}"
        assert explorer.locator('[data-role="chain-rule"]').inner_text() == step.chain_rule
    explorer.locator('g[data-node="a"]').click()
    assert "gradient (complete)\n6.00000" in explorer.locator('[data-role="details"]').inner_text()

    elsewhere = [url for url in browser.requests if not url.startswith("file:")]
    assert {urllib.parse.urlsplit(url).hostname for url in elsewhere} <= TEMPLATE_HOSTS
    assert browser.errors == ["Failed to load resource: net::ERR_INTERNET_DISCONNECTED"] * len(elsewhere)
