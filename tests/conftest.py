"""Fixtures for every test: micrograd's expression, and a real browser for the tests of
web pages (the backprop explorer): Debian's Chromium, driven by Playwright's Python API.
Where either is missing, the browser tests skip and say what to install; CI installs both."""
import importlib.util
import pathlib
import shutil

import pytest

import autograd_core as ag

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if pathlib.Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (skips, naming the package, where it is not installed)."""
    executable = _chromium()
    if executable is None:
        pytest.skip("Chromium is not installed: the browser tests need Debian's `chromium` package (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright (the project's 'test' extra)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class OfflinePage:
    """A page in a browser context with the network off, recording every request, console
    error and uncaught exception."""

    def __init__(self, browser, width=1280, height=900):
        self.context = browser.new_context(offline=True, viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests = []
        self.errors = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path):
        self.page.goto(pathlib.Path(path).resolve().as_uri())
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def offline_page(browser):
    """``offline_page()``: a new ``OfflinePage``; closed after the test."""
    pages = []

    def make(**size):
        pages.append(OfflinePage(browser, **size))
        return pages[-1]

    yield make
    for page in pages:
        page.close()


@pytest.fixture
def micrograd_expression():
    """``build()``: L = (a * b + c) * f on named scalar tensors (a=2, b=-3, c=10, f=-2,
    e = a * b, d = e + c); returns L and a dict of the other tensors by name."""

    def build():
        a, b, c, f = (ag.tensor(v, requires_grad=True, name=n) for v, n in ((2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f")))
        e = a * b
        e.name = "e"
        d = e + c
        d.name = "d"
        L = d * f
        L.name = "L"
        return L, dict(a=a, b=b, c=c, f=f, e=e, d=d)

    return build


@pytest.fixture(scope="session")
def load_script():
    """``load_script("examples/x.py")`` imports a script of this checkout that is not in a
    package (an example, a tool) by its path from the project's root."""

    def load(relative):
        path = ROOT / relative
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
