"""The graph behind a tensor, as a drawing or the backward stepper reads it: the op nodes
in backward order, the leaves, who consumes what, the shape of every tensor (even of
intermediate tensors no longer alive) and a short symbol for each."""
import collections
import re

from ..compile import traced_graph
from ..compile.compiled import CompiledRegion
from ..engine import topological_order
from ..tensor import Tensor


class GraphView:
    """Everything known about the graph that produced ``output``.

    ``nodes`` are the ``Function`` nodes in the order the backward pass visits them
    (``output.grad_fn`` first); ``leaves`` the leaf tensors that require grad, in the order
    they are first met. Keys for leaves are ``id(leaf)``, as in the engine.

    With ``expand_compiled``, the node of each compiled call is replaced by the ops the
    call runs (``TracedNode``s), in a scope named after the compiled function; the op
    that makes the call's output stands for the call's node.
    """

    def __init__(self, output, expand_compiled=False):
        self.output = output
        self.root = output.grad_fn
        self.nodes = topological_order([self.root]) if self.root is not None else []
        self._alias = {}
        if expand_compiled:
            self._expand_compiled()
        self.leaves = []
        self.consumers = collections.defaultdict(list)
        meta = {}
        for node in self.nodes:
            for parent, parent_meta in zip(node.parents, node.input_meta):
                if parent is None:
                    continue
                key = self.key(parent)
                if key not in self.consumers and isinstance(parent, Tensor):
                    self.leaves.append(parent)
                if node not in self.consumers[key]:
                    self.consumers[key].append(node)
                meta.setdefault(key, parent_meta)
        if self.root is not None:
            meta[self.root] = (output.shape, output.dtype)
        self._meta = meta
        self._symbols = self._name_everything()

    def key(self, item):
        """The dictionary key of a node (itself, or what stands for it once expanded) or
        a leaf tensor (its id)."""
        return id(item) if isinstance(item, Tensor) else self._alias.get(item, item)

    def _expand_compiled(self):
        calls = collections.Counter()
        expanded = {}
        for node in reversed(self.nodes):  # forward order: the first call is numbered first
            if not isinstance(node, CompiledRegion):
                continue
            name = re.sub(r"\W+", "", node.name) or "compiled"
            calls[name] += 1
            label = name if calls[name] == 1 else f"{name}_{calls[name]}"
            inner, out = traced_graph.expand(node, f"{node.scope}.{label}" if node.scope else label)
            expanded[node] = (inner, out)
            self._alias[node] = out
        nodes = []
        for node in self.nodes:
            if node not in expanded:
                nodes.append(node)
                continue
            inner, out = expanded[node]
            if out not in inner:  # a node of its own gathers several outputs
                nodes.append(out)
            nodes.extend(reversed(inner))
        self.nodes = nodes
        self.root = self._alias.get(self.root, self.root)

    def meta(self, item):
        """``(shape, dtype)`` of a leaf, or of the output of a node."""
        if isinstance(item, Tensor):
            return item.shape, item.dtype
        return self._meta[item]

    def tensor(self, item):
        """The tensor itself: a leaf, or a node's output if it is still alive (else None)."""
        return item if isinstance(item, Tensor) else item.output()

    def symbol(self, item):
        """The tensor's ``name``, or a made-up one (``mul2``, ``leaf1``) to write it in text."""
        return self._symbols[self.key(item)]

    def is_named(self, item):
        tensor = self.tensor(item)
        return tensor is not None and tensor.name is not None

    def scopes(self):
        """Every scope a node of the graph was created in, outer scopes included."""
        found = set()
        for node in self.nodes:
            parts = node.scope.split(".") if node.scope else []
            for depth in range(1, len(parts) + 1):
                found.add(".".join(parts[:depth]))
        return found

    def _name_everything(self):
        symbols = {}
        forward = list(reversed(self.nodes))
        op_counts = collections.Counter(node.name for node in forward)
        op_seen = collections.Counter()
        for node in forward:
            op_seen[node.name] += 1
            number = "" if op_counts[node.name] == 1 else str(op_seen[node.name])
            tensor = node.output()
            symbols[node] = tensor.name if tensor is not None and tensor.name else f"{node.name}{number}"
        for i, leaf in enumerate(self.leaves, 1):
            number = "" if len(self.leaves) == 1 else str(i)
            symbols[id(leaf)] = leaf.name or f"leaf{number}"
        if self.root is None:
            symbols[id(self.output)] = self.output.name or "output"
        return symbols
