"""The chain rule of one backward step written out, e.g.::

    c = a * b
    dL/dc = -2.0000
    dL/da = dL/dc · dc/da = -2.0000 · 3.0000 = -6.0000
    dL/db += dL/dc · dc/db = -2.0000 · 2.0000 = -4.0000

``+=`` marks a tensor that already had a gradient from another path: contributions are
summed (the multivariate chain rule). With a one-element output the local derivative
``dc/da`` is shown as a number; otherwise the step is a vector-Jacobian product and only
its result is shown.
"""
from .labels import array_text, norm_text, op_attrs

INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@"}


def expression(view, node):
    """How ``node``'s output was computed, with symbols: ``c = a * b``, ``s = sum(x, dim=1)``.
    Inputs that need no gradient (constants, data) are written ``const``."""
    args = [view.symbol(p) if p is not None else "const" for p in node.parents]
    if node.name in INFIX and len(args) == 2:
        rhs = f"{args[0]} {INFIX[node.name]} {args[1]}"
    elif node.name == "neg":
        rhs = f"-{args[0]}"
    else:
        rhs = f"{node.name}({', '.join(args + op_attrs(node))})"
    return f"{view.symbol(node)} = {rhs}"


def value(array):
    """A gradient or derivative in a line of text: its values if small, else shape and norm."""
    small = array_text(array, 6)
    return small if small is not None else f"<{tuple(array.shape)}, {norm_text(array)}>"


def chain_rule(view, step, loss):
    """The lines of text for ``step`` (a ``Step``); ``loss`` is the output's symbol."""
    out = view.symbol(step.node)
    incoming = f"d{loss}/d{out} = {value(step.grad_output)}"
    if step.index == 0:
        incoming += "  (the start: the gradient of the output itself)"
    lines = [f"step {step.index + 1}: {expression(view, step.node)}", incoming]
    for i, (parent, grad) in enumerate(zip(step.inputs, step.grad_inputs)):
        if grad is None:
            continue
        name = view.symbol(parent)
        sign = "+=" if step.accumulated[i] else "="
        rule = f"d{loss}/d{name} {sign} d{loss}/d{out} · d{out}/d{name}"
        if step.local is not None:
            rule += f" = {value(step.grad_output)} · {value(step.local[i])}"
        rule += f" = {value(grad)}"
        if step.accumulated[i]:
            rule += f"  (summed: now {value(step.grad_of(parent))})"
        lines.append(rule)
    return "\n".join(lines)
