"""``explore``: the backward pass of a graph as one self-contained web page.

The page holds the drawing (inline SVG from Graphviz), the steps and values (embedded
JSON), and a small script and stylesheet (``explorer.js`` started by ``start.js``,
``explorer.css``, shipped beside this file); it loads nothing from the network, so it works from a saved file, in
Jupyter, and in a notebook rendered to HTML without a kernel::

    loss = ...                        # a one-element tensor
    ag.viz.explore(loss)              # in Jupyter: shown inline
    ag.viz.explore(loss).save("backprop.html")

The steps are those of ``BackwardStepper`` (the same order as ``backward()``, the same
chain-rule text, the same gradients). For scripts and tests the page has a fixed
contract: node elements carry ``data-node`` (the name drawn: a tensor's name or an op's
label); the current chain rule is in ``[data-role="chain-rule"]``, the selected node's
details in ``[data-role="details"]``, the step counter in ``[data-role="step"]``;
ArrowRight and ArrowLeft step forward and back.
"""
import html
import inspect
import json
import pathlib
import string
import uuid

from ...tensor import Tensor
from ..graph import _Drawer, draw_graph, plan
from ..render import to_svg
from ..stepper import BackwardStepper
from .record import record
from .svg import annotate

ASSETS = pathlib.Path(__file__).resolve().parent
# Inches between ranks: room for the gradients the page writes on the edges.
RANKSEP = "0.9"
# A compiled call is one step of the pass, so the page draws it as one op.
OPTIONS = [name for name in inspect.signature(draw_graph).parameters if name not in ("output", "step", "expand_compiled")]


def _asset(name):
    return (ASSETS / name).read_text(encoding="utf-8")


def explore(output, gradient=None, retain_graph=False, **draw_options):
    """Run the backward pass of ``output`` and return an ``Explorer``: a web page to step
    through it (``.save(path)``; shown inline in Jupyter).

    Like ``backward()`` (it runs ``BackwardStepper``), it writes the gradients into the
    leaves' ``.grad`` and frees the graph unless ``retain_graph=True``; ``gradient`` is
    dL/d(output), needed unless ``output`` has one element. ``draw_options`` are those of
    ``draw_graph`` (``show_values``, ``show_intermediates``, ``collapse``, ``rankdir``,
    ``max_nodes``, ``max_elements``): a graph too large is summarised by collapsing
    scopes, or refused with ``draw_graph``'s hint. The page shows the values of tensors
    that are still alive when it is made (leaves, and intermediates something refers to).
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"explore: expected a Tensor, got {type(output).__name__}")
    if not output.requires_grad:
        raise RuntimeError(
            "explore: the output does not require grad, so there is no backward pass to show; "
            "build it from a tensor made with requires_grad=True"
        )
    unknown = sorted(set(draw_options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"explore: unknown drawing option {unknown[0]!r} (the options: {', '.join(OPTIONS)})")
    options = {name: p.default for name, p in inspect.signature(draw_graph).parameters.items() if name in OPTIONS}
    options.update(draw_options)
    view, layout, note = plan(output, options["collapse"], options["rankdir"], options["max_nodes"])
    # Intermediate tensors only the graph's saved values keep alive would die as the pass
    # frees them: hold them until the page is made, for their values and names.
    alive = [node.output() for node in view.nodes]
    stepper = BackwardStepper(output, gradient=gradient, retain_graph=retain_graph)
    steps = stepper.run()
    drawer = _Drawer(
        view, layout, options["show_values"], options["show_intermediates"], options["max_elements"], None,
        steps[-1].grad_of if steps else None,
    )
    graph = drawer.draw(options["rankdir"], note)
    graph.graph_attr["ranksep"] = RANKSEP
    svg = to_svg(graph)
    data = record(view, drawer, steps, options["max_elements"])
    del alive
    name = view.symbol(output.grad_fn if output.grad_fn is not None else output)
    title = f"backward pass of {name}: {len(steps)} step{'s' * (len(steps) != 1)}"
    if note is not None:
        title += f" (summarised: {note})"
    return Explorer(title, svg, data, drawer)


class Explorer:
    """One backward pass as a web page: ``save(path)`` writes it as a single ``.html``
    file; in Jupyter it shows inline (``_repr_html_``), and keeps working once the
    notebook is rendered to HTML without a kernel. ``steps`` is the number of steps."""

    def __init__(self, title, svg, data, drawer):
        self.title = title
        self.steps = len(data["steps"])
        self._svg = svg
        self._data = data
        self._labels = {}
        for scope_nodes in drawer.placed.values():
            for node_id, _, _ in scope_nodes:
                self._labels[node_id] = self._label(node_id)

    def _label(self, node_id):
        kind, key = self._data["dom"].get(node_id, (None, None))
        if kind == "tensor":
            return self._data["tensors"][key]["name"], self._data["tensors"][key]["kind"]
        if kind == "op":
            return self._data["ops"][key]["name"], "op"
        if kind == "box":
            return self._data["boxes"][key]["scope"], "box"
        return node_id, "other"

    def html(self):
        """The explorer as an HTML fragment (a ``<div>`` with its style, data and script),
        with ids of its own: several can share one page."""
        uid = f"agx-{uuid.uuid4().hex[:10]}"
        data = json.dumps(self._data, separators=(",", ":")).replace("<", "\\u003c")
        return string.Template(_asset("explorer.html")).substitute(
            uid=uid,
            title=html.escape(self.title),
            css=_asset("explorer.css"),
            svg=annotate(self._svg, uid, self._labels),
            data=data,
            script=string.Template(_asset("start.js")).substitute(uid=json.dumps(uid), explorer=_asset("explorer.js")),
            last=self.steps,
        )

    def page(self):
        """The whole web page: one self-contained HTML document."""
        return string.Template(_asset("page.html")).substitute(title=html.escape(self.title), explorer=self.html())

    def save(self, path):
        """Write the page to ``path`` (one ``.html`` file, nothing else needed) and return
        the path."""
        path = pathlib.Path(path)
        path.write_text(self.page(), encoding="utf-8")
        return path

    def _repr_html_(self):
        return self.html()

    def __repr__(self):
        return f"<Explorer: {self.title}>"
