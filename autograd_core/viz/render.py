"""Turning a drawing into SVG, and what to say when the Graphviz ``dot`` program, which
does the layout, is not installed (the DOT source is still there to read or save)."""
import graphviz

MISSING_DOT = (
    "Graphviz's `dot` program is needed to render the drawing but was not found on PATH. "
    "Install Graphviz (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install graphviz`; "
    "conda: `conda install graphviz`; others: https://graphviz.org/download/). "
    "The DOT source is available meanwhile as `graph.source`."
)


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that shows itself as SVG in Jupyter and, where Graphviz is
    not installed, shows how to install it together with the DOT source instead of a
    traceback."""

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            return {"text/plain": MISSING_DOT + "\n\n" + self.source}


def to_svg(graph):
    """The SVG text of a drawing; a ``RuntimeError`` saying how to install Graphviz if
    its ``dot`` program is missing."""
    try:
        return graph.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise RuntimeError(MISSING_DOT) from None


def save_svg(graph, path):
    """Write a drawing to ``path`` as SVG (see ``to_svg``) and return the path."""
    svg = to_svg(graph)
    with open(path, "w", encoding="utf-8") as file:
        file.write(svg)
    return path
