"""The main job's backprop page (examples/train_fashion_mnist.py writes
``lenet_backprop.html``): LeNet-5's training graph on one batch of 64 images, under 5 MB,
opening in a browser (the time it takes is recorded) and stepping as BackwardStepper does."""
import json
import re
import time

import numpy as np
import pytest

import autograd_core as ag
import nn

def batch(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((64, 1, 28, 28)).astype(np.float32), rng.integers(0, 10, size=64)


def lenet():
    ag.manual_seed(0)
    return nn.models.get_model("lenet")


@pytest.fixture(scope="module")
def page_path(tmp_path_factory, load_script):
    path = tmp_path_factory.mktemp("lenet") / "lenet_backprop.html"
    model = lenet()
    written = load_script("examples/train_fashion_mnist.py").save_backprop_page(model, *batch(), path)
    assert written == path
    assert all(p.grad is None for p in model.parameters())  # the job's model is left as it was
    return path


def page_data(path):
    (raw,) = re.findall(r'<script type="application/json" class="agx-data">(.*?)</script>', path.read_text(), flags=re.S)
    return json.loads(raw)


def reference_steps():
    images, labels = batch()
    loss = nn.CrossEntropyLoss()(lenet()(ag.Tensor(images)), ag.Tensor(labels))
    loss.name = "loss"
    return ag.BackwardStepper(loss).run()


def test_the_page_is_small_and_holds_every_step(page_path):
    assert page_path.stat().st_size < 5_000_000
    data = page_data(page_path)
    assert [s["text"] for s in data["steps"]] == [step.chain_rule for step in reference_steps()]
    scopes = {c["scope"] for c in data["clusters"]}
    assert {"features.0", "features.3", "classifier.1", "classifier.5"} <= scopes
    conv_filters = [t for t in data["tensors"] if t["kind"] == "leaf" and t["shape"] == "(6, 1, 5, 5) float32"]
    assert conv_filters[0]["value"]["images"]["count"] == 6


def test_the_page_opens_and_steps_through_lenet(page_path, offline_page, record_property):
    browser = offline_page()
    start = time.perf_counter()
    page = browser.open(page_path)
    page.wait_for_selector("[data-explorer][data-ready]")
    # Measured, not asserted (timings on a shared machine are noise): under 2 s on a quiet one.
    record_property("seconds_to_open", time.perf_counter() - start)
    steps = reference_steps()
    for k, step in enumerate(steps, 1):
        page.keyboard.press("ArrowRight")
        assert page.locator('[data-role="step"]').inner_text() == f"step {k} / {len(steps)}"
        assert page.locator('[data-role="chain-rule"]').inner_text() == step.chain_rule
    data = page_data(page_path)
    first_conv = next(t["dom"] for t in data["tensors"] if t["shape"] == "(6, 1, 5, 5) float32")
    page.click(f'g[data-id="{first_conv}"]')
    assert page.locator('[data-part="grad"] canvas[data-kind="image"]').count() == 6
    conv_output = next(op["tensor"] for op in data["ops"] if op["name"] == "conv" and op["scope"] == "features.0")
    page.click(f'g[data-id="{data["tensors"][conv_output]["dom"]}"]')
    assert page.locator('[data-part="grad"] canvas[data-kind="image"]').count() == 6  # dL/d(feature maps)
    assert not browser.errors and browser.requests == [page_path.resolve().as_uri()]
