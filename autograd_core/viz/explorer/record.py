"""What the explorer page knows, as JSON-ready data: every tensor (value, and each gradient
it had during the pass, from the step that gave it), every op, the backward steps exactly
as ``BackwardStepper`` ran them (chain rule, gradients on the edges), the forward order,
and the clusters of the drawing."""
import numpy as np

from ..chain_rule import expression, value
from ..labels import shape_text, summary_text
from .summary import summarise

NOT_KEPT = "(value not kept: nothing refers to this tensor any more)"


def record(view, drawer, steps, max_elements):
    """The page's data for the graph ``view`` drawn by ``drawer`` (after ``draw()``), with
    ``steps`` the ``Step`` objects of a finished ``BackwardStepper`` of the same output."""
    return _Recorder(view, drawer, max_elements).run(steps)


class _Recorder:
    def __init__(self, view, drawer, max_elements):
        self.view = view
        self.drawer = drawer
        self.max_elements = max_elements
        self.box_of_id = {box_id: scope for scope, box_id in drawer.box_ids.items()}
        self.index = {}
        self.tensors = []
        self.ops = []
        self.dom = {}
        self.last = {}
        self.op_of = {}
        # Tensors whose details the page can show (index -> whether they are filters).
        self.detailed = {}

    def run(self, steps):
        view = self.view
        for leaf in view.leaves:
            self._add_tensor(leaf, "leaf", self.drawer.layout.leaf_scope(leaf), self.drawer.ids.get(id(leaf)))
        if view.root is None:
            self._add_tensor(view.output, "output", "", "output")
        for j, node in enumerate(view.nodes):
            self._add_op(j, node)
        backward = [self._step(s, step) for s, step in enumerate(steps)]
        forward = [self._forward(j) for j in reversed(range(len(view.nodes)))]
        return {
            "tensors": self.tensors,
            "ops": self.ops,
            "dom": self.dom,
            "steps": backward,
            "forward": forward,
            "clusters": self._clusters(),
            "boxes": self._boxes(),
        }

    # -- tensors and ops -----------------------------------------------------------------
    def _add_tensor(self, item, kind, scope, dom, shown=None):
        view = self.view
        tensor = view.tensor(item)
        shape, dtype = view.meta(item)
        shown = dom is not None if shown is None else shown
        entry = {"name": view.symbol(item), "kind": kind, "shape": shape_text(shape, dtype), "scope": scope, "dom": dom, "grads": []}
        if shown:
            # A 4-D leaf is a convolution's filters; any other 4-D tensor, feature maps.
            filters = kind == "leaf" and len(shape) == 4
            entry["value"] = summarise(tensor.data, filters) if tensor is not None else None
            entry["kept"] = tensor is not None
            self.detailed[len(self.tensors)] = filters
        self.index[view.key(item)] = len(self.tensors)
        self.tensors.append(entry)
        if dom is not None:
            self.dom[dom] = ["tensor", len(self.tensors) - 1]

    def _add_op(self, j, node):
        drawer = self.drawer
        self.op_of[node] = j
        is_root = node is self.view.root
        op_dom = drawer.op_ids.get(node)
        boxed = op_dom is None
        drawn = drawer.ids.get(node)
        if boxed:
            tensor_dom = "output" if is_root else None
        else:
            tensor_dom = drawn if drawn != op_dom else None
        self._add_tensor(node, "output" if is_root else "tensor", node.scope, tensor_dom, shown=not boxed)
        op = {"name": node.name, "scope": node.scope, "tensor": len(self.tensors) - 1, "step": None}
        if boxed:
            op.update(dom=drawer.box_ids[drawer.layout.box(node.scope)], boxed=True)
        else:
            op.update(dom=op_dom, boxed=False, expr=expression(self.view, node))
            self.dom[op_dom] = ["op", j]
        self.ops.append(op)

    # -- the walk ---------------------------------------------------------------------------
    def _step(self, s, step):
        view, drawer = self.view, self.drawer
        j = self.op_of[step.node]
        op = self.ops[j]
        op["step"] = s
        self._event(self.index[step.node], s, step.grad_output)
        edges = []
        seen = set()
        for i, (parent, grad) in enumerate(zip(step.inputs, step.grad_inputs)):
            if parent is None or grad is None:
                continue
            key = view.key(parent)
            tail = drawer.ids.get(key)
            if not op["boxed"] and tail is not None and tail != op["dom"]:
                edges.append([tail, op["dom"], summary_text(grad, self.max_elements)])
            if key not in seen:
                seen.add(key)
                self._event(self.index[key], s, step.grad_of(parent))
        tensor_dom = self.tensors[op["tensor"]]["dom"]
        if not op["boxed"] and tensor_dom is not None:
            edges.append([op["dom"], tensor_dom, summary_text(step.grad_output, self.max_elements)])
        return {"op": j, "text": step.chain_rule, "edges": edges}

    def _event(self, t, s, grad):
        if grad is None:
            return
        grad = np.asarray(grad)
        last = self.last.get(t)
        if last is not None and last.shape == grad.shape and np.array_equal(last, grad, equal_nan=True):
            return
        # A copy: the engine may add later contributions into the same array in place.
        self.last[t] = grad.copy()
        event = [s, summary_text(grad, self.max_elements)]
        if t in self.detailed:
            event.append(summarise(grad, self.detailed[t]))
        self.tensors[t]["grads"].append(event)

    def _forward(self, j):
        node = self.view.nodes[j]
        tensor = self.view.tensor(node)
        result = value(tensor.data) if tensor is not None else NOT_KEPT
        return {"op": j, "text": f"{expression(self.view, node)}\n{self.view.symbol(node)} = {result}"}

    # -- clusters and boxes -----------------------------------------------------------------
    def _clusters(self):
        placed = self.drawer.placed
        scopes = set()
        for scope in placed:
            while scope:
                scopes.add(scope)
                scope = scope.rpartition(".")[0]
        clusters = []
        for scope in sorted(scopes):
            inside = [s for s in placed if s == scope or s.startswith(scope + ".")]
            nodes = [node_id for s in inside for node_id, _, _ in placed[s]]
            ops = sum(1 for op in self.ops if _within(op["scope"], scope))
            params = sum(1 for t in self.tensors if t["kind"] == "leaf" and _within(t["scope"], scope))
            clusters.append({"scope": scope, "nodes": nodes, "ops": ops, "params": params})
        return clusters

    def _boxes(self):
        boxes = {}
        for scope, box_id in self.drawer.box_ids.items():
            params = [i for i, t in enumerate(self.tensors) if t["kind"] == "leaf" and _within(t["scope"], scope)]
            ops = sum(1 for op in self.ops if _within(op["scope"], scope))
            boxes[box_id] = {"scope": scope, "ops": ops, "params": params}
            self.dom[box_id] = ["box", box_id]
        return boxes


def _within(scope, outer):
    return scope == outer or scope.startswith(outer + ".")
