"""The notebooks as a static web site, for courses and for readers who never start a kernel.

    python notebooks/build_site.py site/

executes every notebook in this folder top to bottom (a fresh kernel each, this checkout on
its path) and renders it to HTML with nbconvert, outputs included: plots, graph drawings and
the backprop explorers, which keep stepping in the rendered page. ``site/index.html`` lists
them. Publish the folder as it is. The notebooks here are left untouched: they stay without
outputs. Formulas are typeset by MathJax, which nbconvert's page loads from a CDN; the rest
of each page, the explorers included, works offline.
"""
import argparse
import html
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def execute(path, timeout=900):
    """The notebook at ``path``, run top to bottom in a fresh kernel that imports this
    checkout's packages, installed or not; raises on the first cell that fails."""
    notebook = nbformat.read(path, as_version=4)
    paths = [str(ROOT), os.environ.get("PYTHONPATH")]
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def title(notebook, default):
    """The notebook's first Markdown heading."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return default


def build(out, notebooks=None):
    """Execute and render ``notebooks`` (default: every notebook here) into the folder
    ``out``, with an ``index.html``; returns the pages written."""
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    pages = []
    links = []
    for path in sorted(notebooks or HERE.glob("*.ipynb")):
        path = pathlib.Path(path)
        print(f"running {path.name}", flush=True)
        notebook = execute(path)
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title(notebook, path.stem)}})
        page = out / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
        links.append(f'<li><a href="{html.escape(page.name)}">{html.escape(title(notebook, path.stem))}</a></li>')
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>autograd-core notebooks</title></head>\n"
        "<body style=\"font-family: sans-serif; max-width: 42em; margin: 2em auto\">\n"
        "<h1>autograd-core notebooks</h1>\n<ol>\n" + "\n".join(links) + "\n</ol>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    return [index] + pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=pathlib.Path, nargs="?", default=ROOT / "site", help="the folder to write (default: site/)")
    parser.add_argument("notebooks", type=pathlib.Path, nargs="*", help="only these notebooks (default: all)")
    args = parser.parse_args(argv)
    pages = build(args.out, args.notebooks)
    print(f"wrote {len(pages)} pages to {args.out}; open {args.out / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
