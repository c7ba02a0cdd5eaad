"""The backward pass: walk the graph in reverse topological order, applying each node's
vector-Jacobian product (``Function.backward``) and summing gradients that reach a node
by several paths (the multivariate chain rule).

No recursion anywhere, so a chain of 100,000 operations is fine. Gradients are written
into leaves' ``.grad`` only once the whole pass has succeeded, so an error never leaves
``.grad`` half-updated.
"""
import numpy as np

from .function import Function
from .grad_mode import set_grad_enabled
from .tensor import Tensor, as_array


def topological_order(roots):
    """The nodes reachable from ``roots`` (Function nodes), each before all nodes it
    depends on: the order in which the backward pass visits them."""
    order = []
    visited = set()
    roots = list(roots) if isinstance(roots, (list, tuple)) else roots
    if not isinstance(roots, list) or not all(isinstance(r, Function) for r in roots):
        raise TypeError("topological_order: expected a list of Function nodes (tensors' grad_fn)")
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(root.parents))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if isinstance(parent, Function) and parent not in visited:
                    visited.add(parent)
                    stack.append((parent, iter(parent.parents)))
                    break
            else:
                stack.pop()
                order.append(node)
    order.reverse()
    return order


def sum_to_shape(grad, shape, op_name="backward"):
    """Undo broadcasting: sum ``grad`` over the dimensions that broadcasting added or
    stretched, so that it has the input's ``shape``. The one place this is done."""
    if not isinstance(grad, Tensor) or not isinstance(shape, tuple):
        raise TypeError(f"{op_name}: sum_to_shape takes a Tensor and a shape tuple")
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
    summed = grad.sum(dim=axes, keepdim=True) if axes else grad
    return summed.reshape(shape) if summed.shape != shape else summed


def _seed(output, gradient):
    """dL/d(output): the user's ``gradient``, or 1 for a one-element output."""
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


def _accumulate(store, key, grad, owned=None):
    store[key] = _sum(store.get(key), grad, owned)


def _accumulate_leaf(leaves, leaf, grad, owned=None):
    entry = leaves.get(id(leaf))
    leaves[id(leaf)] = (leaf, _sum(entry[1] if entry is not None else None, grad, owned))


def run_backward(outputs, grad_outputs, retain_graph, create_graph, on_node=None):
    """Propagate ``grad_outputs`` from ``outputs`` back through the graph.

    Returns ``(leaves, retained)``: ``{id(leaf): (leaf, summed gradient)}`` for every leaf
    reached, and ``(weakref, gradient)`` pairs for non-leaf tensors that asked to retain
    their gradient. ``on_node(node, grad)`` is called for each node just before its
    backward runs (``grad()`` and the backward stepper use it).
    """
    node_grads = {}
    leaves = {}
    roots = []
    for out, g in zip(outputs, grad_outputs):
        if out.grad_fn is None:
            _accumulate_leaf(leaves, out, g)
        else:
            _accumulate(node_grads, out.grad_fn, g)
            roots.append(out.grad_fn)
    retained = []
    owned = None if create_graph else set()
    with set_grad_enabled(create_graph):
        for node in topological_order(roots):
            grad = node_grads.pop(node, None)
            if grad is None:
                continue
            if owned:
                # It leaves the pass's hands now (a hook or backward may keep it).
                owned.discard(id(grad))
            backward_node(node, grad, node_grads, leaves, retained, on_node, owned)
            if not retain_graph:
                node._release()
    return leaves, retained


def backward_node(node, grad, node_grads, leaves, retained, on_node=None, owned=None):
    """One step of the backward pass: run ``node``'s hooks and backward on ``grad``
    (dL/d its output) and add each input's share to ``node_grads`` (inputs made by a
    node) or ``leaves`` (see ``_sum`` for ``owned``). Returns ``(grad, input_grads)``:
    the gradient after the hooks, and what ``node_vjp`` gave. ``run_backward`` calls it
    for every node in turn; the backward stepper calls it one node at a time."""
    if node._saved is None:
        raise RuntimeError(node._freed_message())
    if node._hooks:
        grad = _run_hooks(node._hooks, grad)
    if node._retained is not None:
        retained.append((node._retained, grad))
    if on_node is not None:
        on_node(node, grad)
    input_grads = node_vjp(node, grad)
    for parent, g in zip(node.parents, input_grads):
        if g is None:
            continue
        if isinstance(parent, Tensor):
            _accumulate_leaf(leaves, parent, g, owned)
        else:
            _accumulate(node_grads, parent, g, owned)
    return grad, input_grads


def node_vjp(node, grad):
    """``node``'s vector-Jacobian product: dL/d(input) for each of its inputs, given
    dL/d(output) ``grad``, with broadcasting undone and the input's dtype kept (``None``
    where no gradient flows)."""
    input_grads = node.backward(grad)
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
        if not isinstance(g, Tensor):
            g = Tensor._make(as_array(g))
        shape, dtype = meta
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
    seed = _seed(output, gradient)
    leaves, retained = run_backward([output], [seed], retain_graph, create_graph)
    store_gradients(leaves, retained)


def store_gradients(leaves, retained):
    """Write what ``run_backward`` returned into ``.grad`` (running leaf hooks first), as
    ``backward`` does at the end of a pass."""
    # Every hook runs before any .grad is written, so a failing hook changes nothing.
    final = [(leaf, _run_hooks(leaf._hooks, grad) if leaf._hooks else grad) for leaf, grad in leaves.values()]
    handed_out = set()
    for leaf, grad in final:
        _store_grad(leaf, grad.data, handed_out)
    for ref, grad in retained:
        tensor = ref()
        if tensor is not None:
            _store_grad(tensor, grad.data, handed_out)


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
    seeds = [_seed(o, g) for o, g in pairs]
    wanted = {t.grad_fn: None for t in inputs if t.grad_fn is not None}

    def capture(node, g):
        if node in wanted:
            wanted[node] = g if wanted[node] is None else wanted[node] + g

    leaves, _ = run_backward([o for o, _ in pairs], seeds, retain_graph, create_graph, capture)
    results = []
    for t in inputs:
        if t.grad_fn is None:
            g = leaves[id(t)][1] if id(t) in leaves else None
        else:
            g = wanted[t.grad_fn]
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: an input of shape {tuple(t.shape)} was not used to compute the outputs "
                "(pass allow_unused=True to get None for it)"
            )
        results.append(g)
    return results[0] if single_input else tuple(results)
