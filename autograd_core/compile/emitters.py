"""How each op is written as NumPy: one small entry per op.

An entry takes the op's arguments already written as Python text (``a``), its
hyper-parameters (``attrs``) and ``op``, which knows the input and output shapes and
writes any value as Python (``op.text(value)``); it returns an expression, or a list of
statements that assign ``{out}``. It writes exactly what the op's
``forward`` computes. An op without an entry (convolution, pooling, the fused recurrent
steps, losses, linear algebra that checks its input, user-defined ops) is run by the engine's own ``forward`` by name
(``kernel(Conv, ...)``), which is always right, only less readable.
"""
from .. import dropout, elementwise as ew, indexing, linalg, reductions, shape
from ..arguments import normalize_dims


def _reduce(function):
    def emit(a, attrs, op, out=None):
        ndim = len(op.shapes[0])
        axes = normalize_dims(attrs.get("dim"), ndim) if ndim else ()
        into = f", out={out}" if out else ""
        return f"np.{function}({a[0]}, axis={axes!r}, keepdims={bool(attrs.get('keepdim', False))}{into})"

    return emit


def _index(index, op):
    """``index`` (a tuple of slices, ints, None, ..., arrays) as subscript text."""
    parts = index if isinstance(index, tuple) else (index,)
    pieces = []
    for part in parts:
        if isinstance(part, slice):
            bounds = ["" if v is None else repr(v) for v in (part.start, part.stop)]
            if part.step is not None:
                bounds.append(repr(part.step))
            pieces.append(":".join(bounds))
        else:
            pieces.append(op.text(part))
    if isinstance(index, tuple) and len(parts) == 1 and not isinstance(parts[0], slice):
        return pieces[0] + ","
    return ", ".join(pieces)


def _linear(a, attrs, op):
    return f"{a[0]} @ {a[1]}.T" + (f" + {a[2]}" if len(a) > 2 and a[2] != "None" else "")


def _softmax(a, attrs, op):
    d = attrs.get("dim", -1)
    return [
        f"{{out}} = np.exp({a[0]} - np.max({a[0]}, axis={d}, keepdims=True))",
        f"{{out}} = {{out}} / {{out}}.sum(axis={d}, keepdims=True)",
    ]


def _log_softmax(a, attrs, op):
    d = attrs.get("dim", -1)
    return [
        f"{{out}} = {a[0]} - np.max({a[0]}, axis={d}, keepdims=True)",
        f"{{out}} = {{out}} - np.log(np.exp({{out}}).sum(axis={d}, keepdims=True))",
    ]


def _index_add(a, attrs, op):
    where = _index(attrs["index"], op)
    if indexing._is_basic(attrs["index"]):
        add = f"{{out}}[{where}] = {a[0]}"
    else:
        add = f"np.add.at({{out}}, np.index_exp[{where}], {a[0]})"
    return [f"{{out}} = np.zeros({attrs['shape']!r}, dtype={a[0]}.dtype)", add]


def _cat(a, attrs, op):
    dim = attrs.get("dim", 0) % len(op.shapes[0])
    return f"np.concatenate([{', '.join(a)}], axis={dim})"


def _dropout_mask(a, attrs, op):
    scale = 1.0 / (1.0 - attrs["p"])
    return (
        f"(default_generator().random({attrs['shape']!r}, dtype={op.text(attrs['dtype'])}) >= {attrs['p']!r})"
        f" * np.asarray({scale!r}, dtype={op.text(attrs['dtype'])})"
    )


def _unary(function):
    return lambda a, attrs, op: f"{function}({a[0]})"


def _template(text):
    return lambda a, attrs, op: text.format(*a)


def _into(function):
    return lambda a, attrs, op, out: f"np.{function}({a[0]}, {a[1]}, out={out})"


EMITTERS = {
    ew.Add: _template("{0} + {1}"),
    ew.Sub: _template("{0} - {1}"),
    ew.Mul: _template("{0} * {1}"),
    ew.Div: _template("{0} / {1}"),
    ew.Neg: _template("-{0}"),
    ew.Pow: _template("np.power({0}, {1})"),
    ew.Exp: _unary("np.exp"),
    ew.Log: _unary("np.log"),
    ew.Sqrt: _unary("np.sqrt"),
    ew.Abs: _unary("np.abs"),
    ew.Sin: _unary("np.sin"),
    ew.Cos: _unary("np.cos"),
    ew.Tanh: _unary("np.tanh"),
    ew.Sign: _unary("np.sign"),
    ew.Log2: _unary("np.log2"),
    ew.Log10: _unary("np.log10"),
    ew.Log1p: _unary("np.log1p"),
    ew.Expm1: _unary("np.expm1"),
    ew.Exp2: _unary("np.exp2"),
    ew.Tan: _unary("np.tan"),
    ew.Asin: _unary("np.arcsin"),
    ew.Acos: _unary("np.arccos"),
    ew.Atan: _unary("np.arctan"),
    ew.Sinh: _unary("np.sinh"),
    ew.Cosh: _unary("np.cosh"),
    ew.Asinh: _unary("np.arcsinh"),
    ew.Atan2: _template("np.arctan2({0}, {1})"),
    ew.Hypot: _template("np.hypot({0}, {1})"),
    ew.Remainder: _template("np.remainder({0}, {1})"),
    ew.Sigmoid: _template("1 / (1 + np.exp(-{0}))"),
    ew.ReLU: _template("np.maximum({0}, 0)"),
    ew.ReLUGrad: _template("{0} * ({1} > 0)"),
    ew.Maximum: _template("np.maximum({0}, {1})"),
    ew.Minimum: _template("np.minimum({0}, {1})"),
    ew.Where: _template("np.where({0}, {1}, {2})"),
    ew.Compare: lambda a, attrs, op: f"np.{attrs['ufunc'].__name__}({a[0]}, {a[1]})",
    ew.Cast: lambda a, attrs, op: f"{a[0]}.astype({op.text(attrs['dtype'])})",
    reductions.Sum: _reduce("sum"),
    reductions.Mean: _reduce("mean"),
    reductions.Softmax: _softmax,
    reductions.LogSoftmax: _log_softmax,
    shape.Reshape: lambda a, attrs, op: f"np.reshape({a[0]}, {attrs['shape']!r})",
    shape.Permute: lambda a, attrs, op: (
        f"{a[0]}.T" if len(op.shapes[0]) == 2 and tuple(attrs["dims"]) == (1, 0) else f"np.transpose({a[0]}, {op.text(attrs['dims'])})"
    ),
    shape.Expand: lambda a, attrs, op: f"np.broadcast_to({a[0]}, {op.out_shape!r})",
    shape.Cat: _cat,
    shape.ConstantPad: lambda a, attrs, op: (
        f"np.pad({a[0]}, {op.text(attrs['widths'])}, constant_values={attrs.get('value', 0.0)!r})"
    ),
    indexing.GetItem: lambda a, attrs, op: f"{a[0]}[{_index(attrs['index'], op)}]",
    indexing.IndexAdd: _index_add,
    linalg.MatMul: _template("{0} @ {1}"),
    linalg.Linear: _linear,
    dropout.DropoutMask: _dropout_mask,
}

#: Ops that can write their result into an array given as ``out``: a parameter's gradient
#: made by one of them is written into a buffer the program keeps from call to call.
INTO = {
    linalg.MatMul: _into("matmul"),
    ew.Add: _into("add"),
    ew.Sub: _into("subtract"),
    ew.Mul: _into("multiply"),
    ew.Div: _into("divide"),
    reductions.Sum: _reduce("sum"),
}
