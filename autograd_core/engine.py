"""The backward pass: walk the graph in reverse topological order, applying each node's
vector-Jacobian product (``Function.backward``, or its ``fast_backward`` on arrays when
no graph of the pass is built) and summing gradients that reach a node by several paths
(the multivariate chain rule). ``BackwardPass`` is the walk, one node at a time.

No recursion anywhere, so a chain of 100,000 operations is fine. Gradients are written
into leaves' ``.grad`` only once the whole pass has succeeded, so an error never leaves
``.grad`` half-updated.
"""
import collections

import numpy as np

from . import anomaly, grad_mode
from .arguments import as_array
from .function import Function
from .tensor import Tensor
from .errors import names_errors

__all__ = ["BackwardPass", "backward", "grad", "seed_gradient", "sum_to_shape", "topological_order"]


def topological_order(roots):
    """The nodes reachable from ``roots`` (Function nodes), each before all nodes it
    depends on: the order in which the backward pass visits them."""
    order = []
    visited = set()
    roots = list(roots) if isinstance(roots, (list, tuple)) else roots
    if not isinstance(roots, list) or not all(isinstance(r, Function) for r in roots):
        raise TypeError("topological_order: expected a list of Function nodes (tensors' grad_fn)")
    # A depth-first search whose stack holds nodes and plain ints, never a new tuple or
    # iterator per node: objects the garbage collector watches, which on a deep graph
    # live as long as the search and set off full collections that rescan the whole
    # graph (on a 100,000-op chain: 0.4-0.8 s with them, 0.1 s without).
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        nodes, next_parent = [root], [0]
        while nodes:
            node = nodes[-1]
            parents = node.parents
            index = next_parent[-1]
            while index < len(parents):
                parent = parents[index]
                index += 1
                if isinstance(parent, Function) and parent not in visited:
                    break
            else:
                nodes.pop()
                next_parent.pop()
                order.append(node)
                continue
            next_parent[-1] = index
            visited.add(parent)
            nodes.append(parent)
            next_parent.append(0)
    order.reverse()
    return order


def sum_to_shape(grad, shape, op_name="backward"):
    """Undo broadcasting: sum ``grad`` (a Tensor or an array) over the dimensions that
    broadcasting added or stretched, so that it has the input's ``shape``. The one place
    this is done."""
    if not isinstance(grad, (Tensor, np.ndarray)) or not isinstance(shape, tuple):
        raise TypeError(f"{op_name}: sum_to_shape takes a Tensor or an array and a shape tuple")
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0 or any(s != 1 and s != g for s, g in zip(shape, grad.shape[extra:])):
        raise RuntimeError(
            f"{op_name}: backward gave a gradient of shape {tuple(grad.shape)} "
            f"for an input of shape {tuple(shape)}"
        )
    axes = tuple(range(extra)) + tuple(
        extra + i for i, s in enumerate(shape) if s == 1 and grad.shape[extra + i] != 1
    )
    summed = grad.sum(axis=axes, keepdims=True) if axes else grad
    return summed.reshape(shape) if summed.shape != shape else summed


@names_errors
def seed_gradient(output, gradient):
    """dL/d(output) to start a pass from: the user's ``gradient``, or 1 for a one-element
    output."""
    if gradient is None:
        if output.data.size != 1:
            raise RuntimeError(
                f"backward: a gradient can be implied only for a one-element output, but the "
                f"output has shape {tuple(output.shape)}; pass gradient= of that shape"
            )
        return Tensor._make(np.ones_like(output.data))
    data = as_array(gradient)
    if data.shape != output.data.shape:
        raise RuntimeError(
            f"backward: gradient has shape {tuple(data.shape)} but the output has shape "
            f"{tuple(output.shape)}"
        )
    if isinstance(gradient, Tensor) and gradient.requires_grad:
        return gradient
    return Tensor._make(data.astype(output.data.dtype, copy=True))


def _run_hooks(hooks, grad):
    for hook in list(hooks):
        replaced = hook(grad)
        if replaced is not None:
            grad = replaced if isinstance(replaced, Tensor) else Tensor._make(as_array(replaced))
    return grad


def _sum(total, grad, owned):
    """``total + grad``. When no graph is recorded, ``owned`` holds the ids of sums this
    pass made itself; those are added into in place, so a weight used at every step of
    a recurrent net costs one buffer, not one per step. (``None``: always a new sum.)"""
    if total is None:
        return grad
    if owned is not None and id(total) in owned:
        total.data += grad.data
        return total
    total = total + grad
    if owned is not None:
        owned.add(id(total))
    return total


NodeRun = collections.namedtuple("NodeRun", ["grad", "input_grads", "local"])
NodeRun.__doc__ = """What ``BackwardPass.run_node`` did: ``grad``, dL/d(node's output) after its hooks;
``input_grads``, per input, what the node passed back (a Tensor, or None); ``local``, per
input, d(output)/d(input) when it was asked for and the output has one element (else None)."""


class BackwardPass:
    """One backward pass through the graph behind ``outputs``, one node at a time:
    ``next_node()`` names the next node that has a gradient to pass on (None at the end),
    ``run_node(node)`` runs it, ``finish()`` writes the gradients into ``.grad``.
    ``backward()``, ``grad()`` and the backward stepper all drive it; ``run()`` is the
    whole loop.

    ``grad_outputs`` are dL/d(output) (see ``seed_gradient``). The nodes are visited in
    reverse topological order (``nodes``); ``grads`` maps each item of the graph that a
    gradient has reached, a ``Function`` node or a leaf ``Tensor`` alike, to the sum of
    what reached it so far. A node's entry is handed on when it runs; leaves keep theirs
    until ``finish``. Saved values are freed node by node unless ``retain_graph``; with
    ``create_graph`` the backward pass is itself recorded (for higher derivatives).
    """

    @names_errors
    def __init__(self, outputs, grad_outputs, retain_graph=False, create_graph=False):
        self.retain_graph = retain_graph
        self.create_graph = create_graph
        self.grads = {}
        #: ``(weakref, gradient)`` of non-leaf tensors that asked to retain their gradient.
        self.retained = []
        self._owned = None if create_graph else set()
        roots = []
        for out, g in zip(outputs, grad_outputs):
            item = out if out.grad_fn is None else out.grad_fn
            self.grads[item] = _sum(self.grads.get(item), g, None)
            if out.grad_fn is not None:
                roots.append(out.grad_fn)
        self.nodes = topological_order(roots)
        self._position = 0

    def next_node(self):
        """The next node, in backward order, that a gradient has reached (nodes no
        gradient reaches are skipped); None when none is left."""
        nodes, grads = self.nodes, self.grads
        while self._position < len(nodes):
            node = nodes[self._position]
            if node in grads:
                return node
            self._position += 1
        return None

    def run_node(self, node, local=False):
        """Run one node: its hooks on the gradient of its output, then its backward (the
        one place where a node's backward runs), adding each input's share to what that
        input has so far; then free its saved values unless ``retain_graph``. With
        ``local``, also d(output)/d(input) for a one-element output (its backward with a
        gradient of 1). Returns a ``NodeRun``."""
        grad = self.grads.pop(node)
        if node is self.nodes[self._position]:
            self._position += 1
        owned = self._owned
        if owned:
            # It leaves the pass's hands now (a hook or backward may keep it).
            owned.discard(id(grad))
        if node._saved is None:
            raise RuntimeError(node._freed_message())
        if node._hooks:
            grad = _run_hooks(node._hooks, grad)
        if node._retained is not None:
            self.retained.append((node._retained, grad))
        previous = grad_mode._enabled
        grad_mode._enabled = self.create_graph
        try:
            input_grads = self.vjp(node, grad)
            if anomaly._enabled:
                anomaly.check_backward(node, grad, input_grads)
            local_grads = None
            if local and grad.data.size == 1:
                local_grads = self.vjp(node, Tensor._make(np.ones_like(grad.data)))
        finally:
            grad_mode._enabled = previous
        grads = self.grads
        for parent, g in zip(node.parents, input_grads):
            if g is not None:
                grads[parent] = _sum(grads.get(parent), g, owned)
        if not self.retain_graph:
            node._release()
        return NodeRun(grad, input_grads, local_grads)

    def vjp(self, node, grad):
        """The step ``run_node`` takes for each node: ``node_vjp``. A walk that watches
        the pass overrides it (``compile`` records the ops of each step this way)."""
        return node_vjp(node, grad, self.create_graph)

    def run(self):
        """Run every node left."""
        node = self.next_node()
        while node is not None:
            self.run_node(node)
            node = self.next_node()

    def leaf_grads(self):
        """``(leaf, gradient)`` for every leaf the pass reached so far."""
        return [(item, g) for item, g in self.grads.items() if isinstance(item, Tensor)]

    def finish(self):
        """Write the gradients into ``.grad`` as ``backward()`` does: leaf hooks run first
        (all of them, so a failing hook changes nothing), then each leaf's and each
        retained tensor's gradient is stored or added to the one it has."""
        final = [(leaf, _run_hooks(leaf._hooks, g) if leaf._hooks else g) for leaf, g in self.leaf_grads()]
        handed_out = set()
        for leaf, g in final:
            _store_grad(leaf, g.data, handed_out)
        for ref, g in self.retained:
            tensor = ref()
            if tensor is not None:
                _store_grad(tensor, g.data, handed_out)


def node_vjp(node, grad, create_graph=False):
    """``node``'s vector-Jacobian product: dL/d(input) for each of its inputs, given
    dL/d(output) ``grad``, with broadcasting undone and the input's dtype kept (``None``
    where no gradient flows). The node's ``fast_backward`` on arrays when it has one and
    no graph is built (``create_graph`` False), else its ``backward`` on Tensors."""
    fast = None if create_graph else node.fast_backward
    input_grads = fast(grad.data) if fast is not None else node.backward(grad)
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    if len(input_grads) != len(node.parents):
        raise RuntimeError(
            f"{node.name}: backward returned {len(input_grads)} gradients for "
            f"{len(node.parents)} inputs"
        )
    shaped = []
    for meta, g in zip(node.input_meta, input_grads):
        if meta is None or g is None:
            shaped.append(None)
            continue
        shape, dtype = meta
        if fast is not None:
            g = np.asarray(g)  # a NumPy scalar keeps its dtype
            if g.shape != shape:
                g = sum_to_shape(g, shape, node.name)
            g = Tensor._make(g if g.dtype == dtype else g.astype(dtype))
        else:
            if not isinstance(g, Tensor):
                g = Tensor._make(as_array(g))
            if g.data.shape != shape:
                g = sum_to_shape(g, shape, node.name)
            if g.data.dtype != dtype:
                g = g.to(dtype)
        shaped.append(g)
    return shaped


def _owned(array, handed_out):
    """A gradient array safe to store in ``.grad``: not shared with another ``.grad``."""
    if id(array) in handed_out or not array.flags.owndata:
        array = array.copy()
    handed_out.add(id(array))
    return array


def check_output(output, caller):
    """Raise a clear error unless a backward pass can start from ``output``."""
    if not isinstance(output, Tensor):
        raise TypeError(f"{caller}: expected a Tensor, got {type(output).__name__}")
    if not output.requires_grad:
        raise RuntimeError(
            f"{caller}: the tensor does not require grad and has no grad_fn (did you compute "
            "it under no_grad, or from tensors without requires_grad=True?)"
        )


def backward(output, gradient=None, retain_graph=None, create_graph=False):
    """Accumulate d(output)/d(leaf) into ``.grad`` of every leaf that requires grad
    (the method ``Tensor.backward`` calls this)."""
    check_output(output, "backward")
    if retain_graph is None:
        retain_graph = create_graph
    walk = BackwardPass([output], [seed_gradient(output, gradient)], retain_graph, create_graph)
    walk.run()
    walk.finish()


def _store_grad(tensor, grad, handed_out):
    existing = tensor.grad
    if existing is None:
        tensor.grad = _owned(grad, handed_out)
    elif existing.flags.writeable and existing.shape == grad.shape and existing.dtype == grad.dtype:
        existing += grad  # accumulate in place, as PyTorch does: no new buffer per step
    else:
        tensor.grad = existing + grad


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned (not stored in
    ``.grad``), as PyTorch's ``torch.autograd.grad``.

    With ``create_graph=True`` the returned gradients are themselves differentiable,
    which gives second derivatives (Hessian-vector products, gradient penalties).
    """
    single_input = isinstance(inputs, Tensor)
    for what, value in (("outputs", outputs), ("inputs", inputs)):
        if not isinstance(value, (Tensor, list, tuple)):
            raise TypeError(f"grad: {what} must be a Tensor or a sequence of Tensors, got {type(value).__name__}")
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if single_input else list(inputs)
    if not all(isinstance(o, Tensor) for o in outputs):
        raise TypeError("grad: every output must be a Tensor")
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, Tensor) or isinstance(grad_outputs, np.ndarray):
        grad_outputs = [grad_outputs]
    elif not isinstance(grad_outputs, (list, tuple)):
        raise TypeError(f"grad: grad_outputs must be a Tensor or a sequence, got {type(grad_outputs).__name__}")
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    for t in inputs:
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError("grad: every input must be a Tensor that requires grad")
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if not pairs:
        raise RuntimeError("grad: none of the outputs requires grad")
    if retain_graph is None:
        retain_graph = create_graph
    walk = BackwardPass([o for o, _ in pairs], [seed_gradient(o, g) for o, g in pairs], retain_graph, create_graph)
    wanted = {t.grad_fn: None for t in inputs if t.grad_fn is not None}
    node = walk.next_node()
    while node is not None:
        run = walk.run_node(node)
        if node in wanted:
            wanted[node] = run.grad
        node = walk.next_node()
    results = []
    for t in inputs:
        g = walk.grads.get(t) if t.grad_fn is None else wanted[t.grad_fn]
        if g is not None and t.grad_fn is None and t._hooks:
            g = _run_hooks(t._hooks, g)  # a leaf's hooks see its gradient, as in torch.autograd.grad
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: an input of shape {tuple(t.shape)} was not used to compute the outputs "
                "(pass allow_unused=True to get None for it)"
            )
        results.append(g)
    return results[0] if single_input else tuple(results)
