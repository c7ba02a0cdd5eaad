"""draw_graph: the DOT it produces (nodes, edges, clusters, collapsed scopes, values and
gradients), every op of the engine drawn, rendering, and large graphs."""
import gc
import importlib
import pkgutil
import re
import time

import graphviz
import numpy as np
import pytest

import autograd_core as ag
from autograd_core import conv, losses, pooling, recurrent, recurrent_sequence
from autograd_core.function import Function
from autograd_core.viz import draw_graph, save_svg, to_svg


def named(value, name):
    return ag.tensor(value, requires_grad=True, name=name)


def node_ids(source, text):
    """The DOT ids of the nodes whose label contains ``text``."""
    return re.findall(rf"^\s*(\w+) \[label=<.*{re.escape(text)}.*$", source, flags=re.M)


def edges(source):
    return set(re.findall(r"^\s*(\w+) -> (\w+)", source, flags=re.M))


def test_small_graph_has_tensor_and_op_nodes_and_forward_edges(micrograd_expression):
    L, _ = micrograd_expression()
    graph = draw_graph(L)
    assert isinstance(graph, graphviz.Digraph)
    source = graph.source
    for name in "abcfedL":
        assert f"<B>{name}</B>" in source
    assert source.count("<B>mul</B>") == 2 and source.count("<B>add</B>") == 1
    assert "scalar float32" in source and "data -8.0000" in source and "data 4.0000" in source
    (a_id,) = node_ids(source, "<B>a</B>")
    (e_id,) = node_ids(source, "<B>e</B>")
    (d_id,) = node_ids(source, "<B>d</B>")
    (add_id,) = node_ids(source, "<B>add</B>")
    found = edges(source)
    # data flows a -> mul -> e -> add -> d
    (mul_of_e,) = [tail for tail, head in found if head == e_id]
    assert (a_id, mul_of_e) in found and (e_id, add_id) in found and (add_id, d_id) in found
    assert len(found) == 9  # 4 leaves + 2 intermediate tensors into ops, 3 ops into their outputs


def test_leaves_show_requires_grad_and_gradients_appear_after_backward(micrograd_expression):
    L, _ = micrograd_expression()
    before = draw_graph(L).source
    assert "requires_grad=True" in before
    assert "grad " not in before
    L.backward()
    after = draw_graph(L).source
    assert "grad 6.0000" in after and "grad -4.0000" in after and "grad 4.0000" in after


def test_large_tensors_show_shape_and_gradient_norm_not_values():
    x = ag.Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    (x * x).sum().backward()
    source = draw_graph(x * 1).source
    assert "(3, 4) float64" in source
    assert "data [" not in source.split("(3, 4) float64")[1].split("</TABLE>")[0]
    assert f"{np.linalg.norm(2 * x.data):.4g}" in source


def test_show_values_false_hides_values_and_gradients(micrograd_expression):
    L, _ = micrograd_expression()
    L.backward()
    source = draw_graph(L, show_values=False).source
    assert "data " not in source and "grad " not in source
    assert "<B>a</B>" in source and "scalar float32" in source


def test_show_intermediates_false_keeps_only_parameters_and_output(micrograd_expression):
    L, _ = micrograd_expression()
    source = draw_graph(L, show_intermediates=False).source
    assert "<B>e</B>" not in source and "<B>d</B>" not in source
    for name in "abcfL":
        assert f"<B>{name}</B>" in source
    (add_id,) = node_ids(source, "<B>add</B>")
    mul_ids = node_ids(source, "<B>mul</B>")
    found = edges(source)
    assert any((m, add_id) in found for m in mul_ids) and any((add_id, m) in found for m in mul_ids)


def test_op_hyper_parameters_are_shown():
    x = ag.randn(2, 3, 4, requires_grad=True)
    y = x.sum(dim=1, keepdim=True).reshape(2, 4).permute(1, 0)[:, 1:2].leaky_relu(0.2)
    source = draw_graph(y.mean()).source
    for text in ("dim=1, keepdim=True", "shape=(2, 4)", "dims=(1, 0)", "index=[:, 1:2]", "negative_slope=0.2"):
        assert text in source


def test_rankdir_and_bad_arguments(micrograd_expression):
    L, _ = micrograd_expression()
    assert "rankdir=TB" in draw_graph(L, rankdir="TB").source
    assert "rankdir=LR" in draw_graph(L).source
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(L, rankdir="sideways")
    with pytest.raises(TypeError, match="draw_graph: expected a Tensor, got list"):
        draw_graph([1.0, 2.0])
    with pytest.raises(ValueError, match="scope 'nowhere'"):
        draw_graph(L, collapse="nowhere")


def scoped_model():
    """Two 'layers' in nested scopes: encoder.0 and encoder.1, then a head."""
    x = ag.Tensor(np.ones((4, 3), dtype=np.float32))
    weights = [named(np.full((3, 3), 0.1 * (i + 1)), f"W{i}") for i in range(2)]
    with ag.scope("encoder"):
        h = x
        for i, w in enumerate(weights):
            with ag.scope(str(i)):
                h = (h @ w).tanh()
    with ag.scope("head"):
        v = named(np.ones((3, 1)), "v")
        out = (h @ v).mean()
    out.name = "loss"
    return out


def cluster_body(source, scope):
    """The text of the cluster of ``scope``, up to its closing brace."""
    start = source.index(f'subgraph "cluster_{scope}"' if "." in scope else f"subgraph cluster_{scope}")
    depth, i = 0, source.index("{", start)
    for j in range(i, len(source)):
        depth += {"{": 1, "}": -1}.get(source[j], 0)
        if depth == 0:
            return source[i:j]
    raise AssertionError("unbalanced braces")


def test_scopes_become_nested_labelled_clusters():
    source = draw_graph(scoped_model()).source
    encoder = cluster_body(source, "encoder")
    first = cluster_body(source, "encoder.0")
    assert 'subgraph "cluster_encoder.0"' in encoder and 'subgraph "cluster_encoder.1"' in encoder
    assert "label=encoder" in encoder and 'label="encoder.0"' in first
    assert "<B>tanh</B>" in first and "<B>matmul</B>" in first
    assert "<B>W0</B>" in first  # a parameter sits in the scope of the ops that use it
    assert "<B>tanh</B>" not in cluster_body(source, "head")
    assert "<B>loss</B>" not in encoder


def test_collapsed_scope_is_one_box_with_its_parameters():
    source = draw_graph(scoped_model(), collapse="encoder").source
    assert "cluster_encoder" not in source
    assert "<B>tanh</B>" not in source and "<B>W0</B>" not in source and "<B>W1</B>" not in source
    (box,) = node_ids(source, "<B>encoder</B>")
    assert "4 ops, 2 parameters" in source and "box3d" in source
    (head_matmul,) = node_ids(source, "<B>matmul</B>")
    assert (box, head_matmul) in edges(source)
    inner = draw_graph(scoped_model(), collapse=["encoder.1"]).source
    assert "cluster_encoder" in inner and "2 ops, 1 parameter" in inner and "<B>W0</B>" in inner


def test_a_tensor_no_longer_alive_is_drawn_from_what_the_graph_knows():
    x = ag.randn(3, 2, requires_grad=True)
    y = (x * 2).sum()  # x * 2 is not kept by anyone
    source = draw_graph(y).source
    assert source.count("(3, 2) float32") == 2
    assert "<B>mul</B>" in source


def test_a_tensor_without_graph_is_one_node():
    source = draw_graph(ag.tensor([1.0, 2.0])).source
    assert "requires_grad=False" in source and "data [1.0000, 2.0000]" in source
    assert not edges(source)


def test_labels_are_escaped():
    x = ag.tensor(1.0, requires_grad=True, name="<x & y>")
    graph = draw_graph(x * 2)
    assert "&lt;x &amp; y&gt;" in graph.source
    assert "<svg" in to_svg(graph)


def every_op_graph():
    """One graph that uses every differentiable op of the engine."""
    rng = np.random.default_rng(0)

    def leaf(*shape):
        return ag.Tensor(rng.uniform(0.5, 1.5, size=shape), requires_grad=True)

    x, w = leaf(2, 3), leaf(3, 4)
    parts = [
        x + 1, x - 1, x * 2, x / 2, -x, x**2, 2**x, x.exp(), x.log(), x.sqrt(), x.abs(),
        x.sin(), x.cos(), x.tanh(), x.sigmoid(), x.relu(), x.leaky_relu(0.1), x.elu(),
        ag.erf(x), x.softplus(), x.clip(0.6, 1.2), ag.maximum(x, 1.0), ag.minimum(x, 1.0),
        ag.where(x.data > 1, x, -x), x.float().double(), x[:, 1:], x[[0, 0]].sum(0),
        (x @ w).sum(1), ag.linear(x, w.T, w[0]), ag.einsum("ij,jk->ik", x, w).sum(1),
        x.mean(1), x.max(), x.min(), x.max(dim=1).values, x.logsumexp(1), x.softmax(1),
        x.log_softmax(1), x.reshape(3, 2), x.permute(1, 0), x[0].expand(2, 3),
        ag.cat([x, x], dim=1), ag.pad(x, (1, 1)), ag.pad(x, (1, 1), mode="reflect"),
        losses.CrossEntropy.apply(x, np.array([0, 2])), losses.BinaryCrossEntropy.apply(x.sigmoid(), x.sigmoid().detach()), x.std(1),
        recurrent.rnn_step(x, leaf(2, 2), leaf(2, 3), leaf(2, 2)),
        recurrent.gru_step(x, leaf(2, 2), leaf(6, 3), leaf(6, 2)),
        recurrent.lstm_step(x, leaf(2, 2, 2), leaf(8, 3), leaf(8, 2)),
        recurrent_sequence.rnn_sequence(x[None], leaf(2, 2), leaf(2, 3), leaf(2, 2)),
        recurrent_sequence.gru_sequence(x[None], leaf(2, 2), leaf(6, 3), leaf(6, 2)),
        recurrent_sequence.lstm_sequence(x[None], leaf(2, 2, 2), leaf(8, 3), leaf(8, 2)),
        x.log2(), x.log10(), x.log1p(), x.expm1(), x.exp2(), x.rsqrt(), x.reciprocal(),
        x.tan(), (x * 0.5).asin(), (x * 0.5).acos(), x.atan(), x.sinh(), x.cosh(), x.asinh(),
        ag.atan2(x, x + 1), ag.hypot(x, x + 1), x % 0.7, x.cumsum(1), x.cumprod(1),
        x.norm(p=3, dim=1), ag.linalg.det(leaf(2, 2)), ag.linalg.inv(leaf(2, 2)),
        ag.linalg.solve(leaf(2, 2) + 2 * ag.eye(2, dtype=np.float64), leaf(2)),
        x.scatter(1, ag.tensor([[0], [2]]), leaf(2, 1)),
    ]
    # The adjoints of indexing and convolution appear in graphs of second derivatives.
    signal, kernel = leaf(1, 2, 5), leaf(1, 2, 2)
    parts += ag.grad((conv.conv1d(signal, kernel) ** 2).sum(), [signal, kernel], create_graph=True)
    parts += ag.grad((x[0] * x[0]).sum(), [x], create_graph=True)
    parts += ag.grad((x.tanh() + x.sigmoid() + x.relu()).sum(), [x], create_graph=True)
    parts.append(conv.conv2d(leaf(1, 1, 3, 3), leaf(1, 1, 2, 2), padding=1))
    image = leaf(1, 1, 4, 4)
    pooled = pooling.max_pool2d(image, 2) + pooling.avg_pool2d(image, 2)
    parts += ag.grad((pooled**2).sum(), [image], create_graph=True)
    return sum(p.sum() for p in parts)


# Base classes of ops, never applied themselves.
ABSTRACT_OPS = {"recurrent_step", "recurrent_sequence"}
# Ops whose result never requires grad (comparisons, indices, random masks): never drawn.
NON_DIFFERENTIABLE_OPS = {"compare", "sign", "arg_extreme", "dropout_mask"}


def engine_ops():
    """The name of every op the engine defines, in every module of autograd_core."""
    names = set()
    for info in pkgutil.iter_modules(ag.__path__):
        module = importlib.import_module(f"autograd_core.{info.name}")
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, Function) and cls.__module__ == module.__name__:
                names.add(cls.name)
    return names - ABSTRACT_OPS - {Function.name}


def test_every_op_of_the_engine_is_drawn_and_renders():
    graph = draw_graph(every_op_graph())
    drawn = set(re.findall(r"<B>(\w+)</B>", graph.source))
    ops = engine_ops()
    missing = sorted(ops - drawn - NON_DIFFERENTIABLE_OPS)
    assert not missing, f"ops not in this test's graph yet (add them to every_op_graph): {missing}"
    assert to_svg(graph).count('<g id="node') > len(ops)


def test_renders_inline_and_to_files(tmp_path, micrograd_expression):
    L, _ = micrograd_expression()
    graph = draw_graph(L)
    bundle = graph._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]
    assert graph.pipe(format="svg").startswith(b"<?xml")
    rendered = graph.render(tmp_path / "graph", format="png")
    assert (tmp_path / "graph.png").stat().st_size > 0 and rendered.endswith(".png")
    saved = save_svg(graph, tmp_path / "graph.svg")
    assert "<svg" in saved.read_text()


def test_without_graphviz_the_source_is_there_and_the_message_says_how_to_install(monkeypatch, micrograd_expression):
    L, _ = micrograd_expression()
    monkeypatch.setenv("PATH", "")
    graph = draw_graph(L)
    assert "digraph" in graph.source
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        to_svg(graph)
    bundle = graph._repr_mimebundle_()
    assert "graphviz.org/download" in bundle["text/plain"] and "digraph" in bundle["text/plain"]


def mlp_loss(batch=64, sizes=(784, 256, 128, 10)):
    rng = np.random.default_rng(0)
    h = ag.Tensor(rng.standard_normal((batch, sizes[0])).astype(np.float32))
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        with ag.scope(f"layer{i}"):
            w = ag.Tensor(rng.standard_normal((fan_out, fan_in)).astype(np.float32) * 0.05, requires_grad=True)
            b = ag.zeros(fan_out, requires_grad=True)
            w.name, b.name = f"layer{i}.weight", f"layer{i}.bias"
            h = ag.linear(h, w, b)
            if i < len(sizes) - 2:
                h = h.relu()
    labels = rng.integers(0, sizes[-1], size=batch)
    return -h.log_softmax(1)[np.arange(batch), labels].mean()


# Speed is compared with building the same graph in the same process, not with a
# number of seconds: a busy machine slows both alike.
def timed(fn):
    """fn's result and its time, without the garbage collector: its full passes cost in
    proportion to everything earlier tests left in memory, which would compare the
    suite's heap rather than the work of building against that of drawing."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = fn()
        return result, time.perf_counter() - start
    finally:
        gc.enable()


def test_drawing_a_three_layer_mlp_on_a_batch_is_fast():
    def train_step():
        loss = mlp_loss()
        loss.backward()
        return loss

    loss, building = timed(train_step)
    graph, drawing = timed(lambda: draw_graph(loss))
    assert "layer2.weight" in graph.source and "‖·‖" in graph.source
    assert drawing < 10 * building, f"drawing took {drawing:.3f} s, the step that built the graph {building:.3f} s"


def chain(n):
    x = ag.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(n):
        y = y * 1.0001
    return y


def test_a_huge_graph_without_scopes_is_refused_quickly_with_a_hint():
    y, building = timed(lambda: chain(10_000))

    def refused():
        with pytest.raises(ValueError, match="max_nodes=1500.*collapse"):
            draw_graph(y)

    _, refusing = timed(refused)
    assert refusing < building
    smaller = chain(2_000)
    with pytest.raises(ValueError):
        draw_graph(smaller)
    assert len(node_ids(draw_graph(smaller, max_nodes=2_500).source, "<B>mul</B>")) == 2_000


def test_a_huge_scoped_graph_is_summarised_by_collapsing_scopes():
    def scoped_chain():
        y = ag.tensor(1.0, requires_grad=True)
        for block in range(50):
            with ag.scope(f"block{block}"):
                for part in range(2):
                    with ag.scope(f"part{part}"):
                        for _ in range(100):
                            y = y * 1.0001
        return y

    y, building = timed(scoped_chain)
    graph, drawing = timed(lambda: draw_graph(y))
    assert drawing < 3 * building, f"summarising took {drawing:.3f} s, building {building:.3f} s"
    source = graph.source
    assert "summarised" in source and "scopes at depth 2 collapsed" in source
    assert len(node_ids(source, "100 ops")) == 100
    assert "<svg" in to_svg(graph)
    with pytest.raises(ValueError, match=r"'block\d+' \(200 ops\)"):
        draw_graph(y, max_nodes=20)
