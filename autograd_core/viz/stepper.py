"""``BackwardStepper``: the backward pass run one node at a time, each step open to
inspection (the node, the gradient coming in, the gradients going out to its inputs)
and to drawing.

It drives the engine's own walk (``engine.BackwardPass``) one node at a time, so it
visits the nodes in exactly the order ``backward()`` does, and when the last node has run
the gradients are those ``backward()`` gives; they are then written into ``.grad`` the
same way (leaf hooks, ``retain_grad``, accumulation into an existing ``.grad``).
"""
import bisect
import collections

from ..engine import BackwardPass, check_output, seed_gradient
from ..tensor import Tensor
from .chain_rule import chain_rule
from .graph import draw_graph
from .structure import GraphView


class Step:
    """One node of the backward pass, as ``BackwardStepper`` ran it.

    - ``index``: 0 for the first node (the output's creator), 1 for the next...
    - ``node``: the ``Function`` node; ``op`` its name.
    - ``grad_output``: dL/d(node's output), an array (after any hooks).
    - ``inputs``: per input of the op, its creator node, the leaf tensor, or None.
    - ``grad_inputs``: per input, the array the node passed back to it (the local
      vector-Jacobian product), or None where no gradient flows.
    - ``local``: per input, d(output)/d(input) when the output has one element (None
      otherwise: then only the vector-Jacobian products exist, not a number).
    - ``accumulated``: per input, whether it already had a gradient from another path
      (so this one was added to it).
    - ``chain_rule``: those facts as text, one line per input.
    """

    def __init__(self, stepper, index, node, grad_output, grad_inputs, local, accumulated):
        self.stepper = stepper
        self.index = index
        self.node = node
        self.op = node.name
        self.grad_output = grad_output
        self.inputs = tuple(node.parents)
        self.grad_inputs = grad_inputs
        self.local = local
        self.accumulated = accumulated
        self._text = None

    @property
    def chain_rule(self):
        if self._text is None:
            self._text = chain_rule(self.stepper.view, self, self.stepper.loss_symbol)
        return self._text

    def grad_of(self, item):
        """The gradient of ``item`` (a Tensor of the graph or a Function node) known after
        this step: complete for nodes already run and for leaves no later node reaches,
        a partial sum otherwise, or None if nothing has reached it yet."""
        return self.stepper._known(item, self.index)

    @property
    def gradients(self):
        """Every gradient known after this step, by symbol (the tensor's name, or a made-up
        one such as ``mul2``)."""
        view = self.stepper.view
        found = {}
        for item in list(view.nodes) + list(view.leaves):
            grad = self.grad_of(item)
            if grad is not None:
                found[view.symbol(item)] = grad
        return found

    def visited(self):
        """The nodes run so far, this one included."""
        return {s.node for s in self.stepper.steps[: self.index + 1]}

    def draw(self, **options):
        """The graph at this step (``draw_graph`` options apply): this node highlighted, its
        outgoing gradients on its input edges, nodes already run shaded, the gradients known
        so far in the tensors, and the chain rule as the caption."""
        return draw_graph(self.stepper.output, step=self, **options)

    def __str__(self):
        return self.chain_rule

    def __repr__(self):
        return f"<Step {self.index + 1}: {self.op}>"

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        bundle = self.draw()._repr_mimebundle_(include, exclude, **kwargs)
        bundle.setdefault("text/plain", self.chain_rule)
        return bundle


class BackwardStepper:
    """The backward pass of ``output``, one node at a time.

    ``gradient`` is dL/d(output), required unless ``output`` has one element (as for
    ``backward()``). ``step()`` runs the next node and returns its ``Step``; iterating
    yields every step (those already run, then the rest); ``run()`` finishes the pass.
    When the last node has run, the gradients are written into ``.grad`` exactly as
    ``backward()`` writes them. Saved values are freed node by node unless
    ``retain_graph=True``. ``widget()`` gives a Jupyter slider over the steps::

        stepper = BackwardStepper(loss)
        for step in stepper:
            print(step.chain_rule)
            display(step.draw())
    """

    def __init__(self, output, gradient=None, retain_graph=False):
        check_output(output, "BackwardStepper")
        if gradient is None and output.data.size != 1:
            raise RuntimeError(
                f"BackwardStepper: the output has shape {tuple(output.shape)}; a gradient can be implied "
                "only for a one-element output (a loss): pass gradient= of that shape, or step "
                "output.sum()"
            )
        self.output = output
        self.retain_graph = retain_graph
        self.view = GraphView(output)
        freed = next((node for node in self.view.nodes if node.released), None)
        if freed is not None:
            raise RuntimeError(
                f"BackwardStepper: the graph was freed by an earlier backward pass ({freed.name} has no "
                "saved values); call that backward with retain_graph=True, or compute the output again"
            )
        self.loss_symbol = output.name or "L"
        self.steps = []
        self.finished = False
        self._walk = BackwardPass([output], [seed_gradient(output, gradient)], retain_graph)
        self._history = collections.defaultdict(lambda: ([], []))
        self._step_of = {}
        self._next = None
        self._advance()

    # -- running ----------------------------------------------------------------------
    def step(self):
        """Run the next node of the backward pass and return its ``Step``."""
        if self.finished:
            raise RuntimeError(f"BackwardStepper: the backward pass is finished ({len(self.steps)} steps)")
        node = self._next
        index = len(self.steps)
        accumulated = self._already_reached(node)
        run = self._walk.run_node(node, local=True)
        step = Step(
            self,
            index,
            node,
            run.grad.data,
            tuple(g.data if g is not None else None for g in run.input_grads),
            tuple(g.data if g is not None else None for g in run.local) if run.local is not None else None,
            accumulated,
        )
        self.steps.append(step)
        self._step_of[node] = index
        self._record_totals(index, node)
        self._advance()
        return step

    def run(self):
        """Run every node left; returns all the steps."""
        while not self.finished:
            self.step()
        return list(self.steps)

    def __iter__(self):
        index = 0
        while index < len(self.steps) or not self.finished:
            if index == len(self.steps):
                self.step()
            yield self.steps[index]
            index += 1

    def _advance(self):
        """Find the next node that has a gradient, or finish the pass."""
        self._next = self._walk.next_node()
        if self._next is None:
            self._walk.finish()
            self.finished = True

    def _already_reached(self, node):
        seen = set()
        reached = []
        grads = self._walk.grads
        for parent in node.parents:
            key = self.view.key(parent) if parent is not None else None
            reached.append(key is not None and (key in seen or parent in grads))
            seen.add(key)
        return tuple(reached)

    def _record_totals(self, index, node):
        grads = self._walk.grads
        for parent in set(p for p in node.parents if p is not None):
            total = grads.get(parent)
            if total is not None:
                indices, totals = self._history[self.view.key(parent)]
                indices.append(index)
                # A snapshot: the pass adds later contributions into its own sums in place.
                totals.append(total.data.copy())

    def _known(self, item, index):
        if isinstance(item, Tensor) and item.grad_fn is not None:
            item = item.grad_fn
        done = self._step_of.get(item)
        if done is not None and done <= index:
            return self.steps[done].grad_output
        key = self.view.key(item)
        if key not in self._history:
            return None
        indices, totals = self._history[key]
        position = bisect.bisect_right(indices, index)
        return totals[position - 1] if position else None

    # -- showing ------------------------------------------------------------------------
    def draw(self, **options):
        """The graph as the pass is now: the last step run, or the plain graph before any."""
        if self.steps:
            return self.steps[-1].draw(**options)
        return draw_graph(self.output, **options)

    def widget(self, **options):
        """A Jupyter slider over the steps (runs the pass to the end first); needs ipywidgets."""
        from .widgets import stepper_widget

        return stepper_widget(self, **options)

    def __repr__(self):
        state = "finished" if self.finished else "running"
        return f"<BackwardStepper: {len(self.steps)} steps run, {state}>"

