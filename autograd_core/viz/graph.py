"""``draw_graph``: the computation graph behind a tensor as a ``graphviz.Digraph``.

Tensors are drawn as small tables (name, shape and dtype, and for small tensors the value
and the gradient), operations as rounded boxes (op name and hyper-parameters), and edges
point the way data flows in the forward pass. Ops created inside a name scope
(``autograd_core.scope``; ``nn.Module`` enters one per module path) sit in a labelled
cluster, nested like the scopes, and a scope can be collapsed into a single box. A
compiled call (``autograd_core.compile``) is one op named after its function, or, with
``expand_compiled``, a cluster of the ops it runs.
"""
import collections
import html

from ..errors import names_errors
from ..tensor import Tensor
from .labels import array_text, op_attrs, shape_text, summary_text
from .render import GraphDrawing
from .structure import GraphView

RANKDIRS = ("LR", "TB", "RL", "BT")

COLORS = {
    "leaf": "#dbeafe",
    "tensor": "#ffffff",
    "output": "#fde68a",
    "op": "#f3f4f6",
    "visited": "#dcfce7",
    "current": "#fb923c",
    "box": "#ede9fe",
    "grad": "#b91c1c",
    "muted": "#6b7280",
}
# Tensors are HTML tables; the node around them draws nothing.
TENSOR_STYLE = {"shape": "plain"}
# Hyper-parameters wrap onto a new line after about this many characters.
ATTR_LINE_CHARS = 36


@names_errors
def draw_graph(
    output,
    *,
    show_values=True,
    show_intermediates=True,
    collapse=None,
    rankdir="LR",
    max_nodes=1500,
    max_elements=6,
    step=None,
    expand_compiled=False,
):
    """Draw the graph of operations that produced ``output``; returns a ``graphviz.Digraph``
    (shown as SVG in Jupyter; ``.render()``, ``.pipe()`` and ``.source`` work as usual).

    - ``show_values``: show the value and the gradient (``.grad``) of tensors with at most
      ``max_elements`` elements, and the norm of larger gradients.
    - ``show_intermediates=False``: draw only the leaves (parameters) and the output as
      tensors, the ops between them joined directly.
    - ``collapse``: a scope name or a list of them; each is drawn as one box (with the
      parameters only it uses).
    - ``rankdir``: ``"LR"`` (left to right) or ``"TB"`` (top to bottom), or ``"RL"``, ``"BT"``.
    - ``max_nodes``: above this many ops and leaves, scopes are collapsed automatically
      (the deepest level that fits); if that is not enough, a ``ValueError`` explains what
      to collapse.
    - ``step``: a ``BackwardStepper`` step: draw the graph as the backward pass is at that
      step (its node highlighted, the gradients known so far). ``step.draw()`` does this.
    - ``expand_compiled``: draw each compiled call (one op, named after the compiled
      function) as a cluster of the ops it runs, named after the function, parameters
      and intermediate tensors inside; the values inside are not kept, so only shapes
      are shown. ``collapse`` takes the cluster's name to fold it again.

    Tensors that do not require grad (data, constants) are not part of the graph and are
    not drawn.
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"draw_graph: expected a Tensor, got {type(output).__name__}")
    view, layout, note = plan(output, collapse, rankdir, max_nodes, expand_compiled)
    gradient_of = step.grad_of if step is not None else None
    drawer = _Drawer(view, layout, show_values, show_intermediates, max_elements, step, gradient_of)
    return drawer.draw(rankdir, note)


def plan(output, collapse, rankdir, max_nodes, expand_compiled=False):
    """What a drawing of ``output`` will hold, decided before anything is drawn:
    ``(view, layout, note)``, the note saying which scopes were collapsed to fit
    ``max_nodes``. Raises the ``ValueError`` of ``draw_graph`` for a graph too large."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be one of {RANKDIRS}, got {rankdir!r}")
    view = GraphView(output, expand_compiled)
    layout = _Layout(view, _scopes_to_collapse(collapse, view))
    note = None
    if layout.count() > max_nodes:
        layout, note = _summarise(view, layout, max_nodes)
    return view, layout, note


def _scopes_to_collapse(collapse, view):
    if collapse is None:
        return set()
    names = {collapse} if isinstance(collapse, str) else set(collapse)
    known = view.scopes()
    unknown = sorted(names - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise ValueError(f"draw_graph: no op of this graph was created in scope {unknown[0]!r} (scopes: {listed})")
    return names


def _summarise(view, layout, max_nodes):
    """Collapse every scope at the deepest level that brings the drawing under
    ``max_nodes``; a ``ValueError`` with a hint if even the outermost scopes are too many."""
    scopes = view.scopes()
    deepest = max((s.count(".") + 1 for s in scopes), default=0)
    for depth in range(deepest, 0, -1):
        level = {s for s in scopes if s.count(".") + 1 == depth}
        candidate = _Layout(view, layout.collapsed | level)
        if candidate.count() <= max_nodes:
            note = (
                f"{layout.count()} ops and leaves (more than max_nodes={max_nodes}): "
                f"scopes at depth {depth} collapsed"
            )
            return candidate, note
    sizes = collections.Counter(node.scope.split(".")[0] for node in view.nodes if node.scope)
    biggest = ", ".join(f"{name!r} ({n} ops)" for name, n in sizes.most_common(3))
    hint = (
        f"collapse large scopes (collapse=[...]; the largest: {biggest})"
        if biggest
        else "build the model inside `autograd_core.scope(name)` blocks (nn.Module does) and collapse them"
    )
    raise ValueError(
        f"draw_graph: the graph has {layout.count()} ops and leaves, more than max_nodes={max_nodes}; "
        f"{hint}, draw a smaller part of it, or raise max_nodes"
    )


def _parent_scope(scope):
    return scope.rpartition(".")[0]


def _common_scope(scopes):
    parts = [s.split(".") if s else [] for s in scopes]
    common = []
    for names in zip(*parts):
        if len(set(names)) != 1:
            break
        common.append(names[0])
    return ".".join(common)


class _Layout:
    """Which scopes are collapsed, and so which box (if any) each op and leaf falls in."""

    def __init__(self, view, collapsed):
        self.view = view
        self.collapsed = frozenset(collapsed)
        self._boxes = {}

    def box(self, scope):
        """The outermost collapsed scope containing ``scope``, or None."""
        if scope not in self._boxes:
            parts = scope.split(".") if scope else []
            self._boxes[scope] = next(
                (p for p in (".".join(parts[:d]) for d in range(1, len(parts) + 1)) if p in self.collapsed), None
            )
        return self._boxes[scope]

    def leaf_scope(self, leaf):
        """A leaf is drawn in the innermost scope holding every op that uses it."""
        return _common_scope([node.scope for node in self.view.consumers[id(leaf)]])

    def count(self):
        """How many ops, leaves and boxes the drawing would hold."""
        boxes = set()
        ops = 0
        for node in self.view.nodes:
            box = self.box(node.scope)
            if box is None:
                ops += 1
            else:
                boxes.add(box)
        leaves = sum(1 for leaf in self.view.leaves if self.box(self.leaf_scope(leaf)) is None)
        return ops + leaves + len(boxes)


class _Drawer:
    """Builds the DOT graph: places every node in its scope's cluster, then the edges.

    ``gradient_of(item)`` gives the gradient drawn in a tensor (default: its ``.grad``);
    after ``draw()``, ``ids``, ``op_ids``, ``box_ids`` and ``placed`` say which DOT node
    stands for what."""

    def __init__(self, view, layout, show_values, show_intermediates, max_elements, step, gradient_of=None):
        self.view = view
        self.gradient_of = gradient_of
        self.layout = layout
        self.show_values = show_values
        self.show_intermediates = show_intermediates
        self.max_elements = max_elements
        self.step = step
        self.visited = step.visited() if step is not None else set()
        self.placed = collections.defaultdict(list)
        self.edges = []
        self.box_ids = {}
        self.box_contents = collections.defaultdict(lambda: [0, 0])
        self.box_edges = set()
        self.box_ids_drawn = set()
        self.ids = {}
        self.op_ids = {}

    # -- where each graph node goes --------------------------------------------------
    def draw(self, rankdir, note):
        view = self.view
        for i, leaf in enumerate(view.leaves):
            self._place_leaf(i, leaf)
        for i, node in enumerate(view.nodes):
            self._place_node(i, node)
        if view.root is None:
            self.placed[""].append(("output", self._tensor_label(view.output, "output"), TENSOR_STYLE))
        self.box_ids_drawn = set(self.box_ids.values())
        for node in view.nodes:
            self._connect(node)
        for scope, box_id in self.box_ids.items():
            ops, leaves = self.box_contents[scope]
            label = self._box_label(scope, ops, leaves)
            self.placed[_parent_scope(scope)].append((box_id, label, self._box_style(scope)))
        graph = GraphDrawing(
            name="autograd_graph",
            graph_attr={
                "rankdir": rankdir, "fontname": "Helvetica", "fontsize": "11", "nodesep": "0.25", "ranksep": "0.3"
            },
            node_attr={"fontname": "Helvetica", "fontsize": "10"},
            edge_attr={"arrowsize": "0.7"},
        )
        caption = self._caption(note)
        if caption:
            graph.attr(label=caption, labelloc="t", labeljust="l")
        self._emit(graph, "", self._scope_children())
        for tail, head, attrs in self.edges:
            graph.edge(tail, head, **attrs)
        return graph

    def _place_leaf(self, i, leaf):
        scope = self.layout.leaf_scope(leaf)
        box = self.layout.box(scope)
        if box is not None:
            self.box_contents[box][1] += 1
            self.ids[id(leaf)] = None
            return
        self.ids[id(leaf)] = f"leaf{i}"
        self.placed[scope].append((f"leaf{i}", self._tensor_label(leaf, "leaf"), TENSOR_STYLE))

    def _place_node(self, i, node):
        view = self.view
        box = self.layout.box(node.scope)
        is_root = node is view.root
        if box is not None:
            self.box_contents[box][0] += 1
            box_id = self.box_ids.setdefault(box, f"box{len(self.box_ids)}")
            self.ids[node] = box_id
            if is_root:
                self.placed[_parent_scope(box)].append(("output", self._tensor_label(node, "output"), TENSOR_STYLE))
                self.edges.append((box_id, "output", {}))
            return
        op_id = f"op{i}"
        self.placed[node.scope].append((op_id, self._op_label(node), self._op_style(node)))
        if is_root or self.show_intermediates:
            data_id = f"t{i}"
            label = self._tensor_label(node, "output" if is_root else "tensor")
            self.placed[node.scope].append((data_id, label, TENSOR_STYLE))
            self.edges.append((op_id, data_id, {}))
            self.ids[node] = data_id
        else:
            self.ids[node] = op_id
        self.op_ids[node] = op_id

    def _connect(self, node):
        boxed = node not in self.op_ids
        head = self.ids[node] if boxed else self.op_ids[node]
        current = self.step is not None and node is self.step.node
        for i, parent in enumerate(node.parents):
            if parent is None:
                continue
            tail = self.ids[self.view.key(parent)]
            if tail is None or tail == head:
                continue
            if boxed or tail in self.box_ids_drawn:
                # The ops of a box may read one tensor many times: one edge says it.
                if (tail, head) in self.box_edges:
                    continue
                self.box_edges.add((tail, head))
            attrs = self._gradient_edge(self.step.grad_inputs[i]) if current and not boxed else {}
            self.edges.append((tail, head, attrs))

    def _emit(self, graph, scope, children):
        for node_id, label, attrs in self.placed.get(scope, ()):
            graph.node(node_id, label, **attrs)
        for child in sorted(children.get(scope, ())):
            with graph.subgraph(name=f"cluster_{child}") as cluster:
                cluster.attr(label=child, style="rounded,dashed", color="#9ca3af", fontcolor="#4b5563", fontsize="10")
                self._emit(cluster, child, children)

    def _scope_children(self):
        children = collections.defaultdict(set)
        for scope in list(self.placed):
            while scope:
                children[_parent_scope(scope)].add(scope)
                scope = _parent_scope(scope)
        return children

    # -- what each graph node says ---------------------------------------------------
    def _tensor_label(self, item, kind):
        view = self.view
        tensor = view.tensor(item)
        shape, dtype = view.meta(item)
        title = html.escape(view.symbol(item))
        title = f"<B>{title}</B>" if view.is_named(item) else f'<FONT COLOR="{COLORS["muted"]}">{title}</FONT>'
        rows = [title, html.escape(shape_text(shape, dtype))]
        if self.show_values:
            value = array_text(tensor.data, self.max_elements) if tensor is not None else None
            if value is not None:
                rows.append(f"data {html.escape(value)}")
            grad = self._gradient(item, tensor)
            if grad is not None:
                text = summary_text(grad, self.max_elements)
                rows.append(f'<FONT COLOR="{COLORS["grad"]}">grad {html.escape(text)}</FONT>')
        if kind == "leaf" or (kind == "output" and not view.output.requires_grad):
            rows.append(f'<FONT COLOR="{COLORS["muted"]}">requires_grad={view.tensor(item).requires_grad}</FONT>')
        fill = COLORS.get(kind, COLORS["tensor"])
        border = ' COLOR="#dc2626"' if self.step is not None and item is self.step.node else ""
        cells = "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
        return (
            f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3" BGCOLOR="{fill}"{border}>'
            f"{cells}</TABLE>>"
        )

    def _gradient(self, item, tensor):
        if self.gradient_of is not None:
            return self.gradient_of(item)
        return tensor.grad if tensor is not None else None

    def _op_label(self, node):
        lines = []
        for item in op_attrs(node):
            if lines and len(lines[-1]) + len(item) < ATTR_LINE_CHARS:
                lines[-1] += ", " + item
            else:
                lines.append(item)
        text = f"<B>{html.escape(node.name)}</B>"
        for line in lines:
            text += f'<BR/><FONT POINT-SIZE="9">{html.escape(line)}</FONT>'
        return f"<{text}>"

    def _op_style(self, node):
        node = getattr(node, "region", node)  # an op inside a compiled call is run with it
        if self.step is not None and node is self.step.node:
            fill = COLORS["current"]
        elif node in self.visited:
            fill = COLORS["visited"]
        else:
            fill = COLORS["op"]
        return {"shape": "box", "style": "rounded,filled", "fillcolor": fill, "margin": "0.08,0.03"}

    def _box_label(self, scope, ops, leaves):
        parts = [f"{ops} op{'s' * (ops != 1)}"]
        if leaves:
            parts.append(f"{leaves} parameter{'s' * (leaves != 1)}")
        return f"<<B>{html.escape(scope)}</B><BR/>{', '.join(parts)}>"

    def _box_style(self, scope):
        current = self.step is not None and self.layout.box(self.step.node.scope) == scope
        return {"shape": "box3d", "style": "filled", "fillcolor": COLORS["current"] if current else COLORS["box"]}

    def _gradient_edge(self, grad):
        attrs = {"color": "#dc2626", "penwidth": "2"}
        if grad is not None and self.show_values:
            text = summary_text(grad, self.max_elements)
            attrs["label"] = f"<<FONT COLOR=\"{COLORS['grad']}\" POINT-SIZE=\"9\">grad {html.escape(text)}</FONT>>"
        return attrs

    def _caption(self, note):
        lines = []
        if self.step is not None:
            lines.extend(self.step.chain_rule.splitlines())
        if note is not None:
            lines.append(f"(summarised: {note})")
        if not lines:
            return None
        return "<" + "".join(f'{html.escape(line)}<BR ALIGN="LEFT"/>' for line in lines) + ">"
