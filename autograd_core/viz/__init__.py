"""Seeing backpropagation: ``draw_graph`` draws the graph behind a tensor,
``BackwardStepper`` runs the backward pass one node at a time, each step drawable, and
``explore`` makes the whole pass into a web page to step through::

    import autograd_core as ag
    a = ag.tensor(2.0, requires_grad=True, name="a")
    b = ag.tensor(-3.0, requires_grad=True, name="b")
    L = a * b
    L.name = "L"
    ag.draw_graph(L)                  # a graphviz.Digraph, shown as SVG in Jupyter
    for step in ag.BackwardStepper(L):
        print(step.chain_rule)        # or display(step.draw())
    ag.viz.explore(L).save("L.html")  # the whole pass as one web page to step through
"""
from .explorer import Explorer, explore
from .graph import draw_graph
from .render import save_svg, to_svg
from .stepper import BackwardStepper, Step

__all__ = ["draw_graph", "BackwardStepper", "Step", "explore", "Explorer", "save_svg", "to_svg"]
