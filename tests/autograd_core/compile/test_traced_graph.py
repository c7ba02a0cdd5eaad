"""A compiled call drawn as one box, or expanded into the ops it runs
(``draw_graph(..., expand_compiled=True)``)."""
import collections
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
import nn.functional as F


def ops_drawn(source):
    """Op id -> the op's name, for every op box of a DOT source."""
    return dict(re.findall(r"\t(op\d+) \[label=<<B>([^<]+)</B>", source))


def clusters(source):
    return re.findall(r'subgraph "?cluster_([^"\s]+)"? \{', source)


def cluster(source, name):
    """The DOT text inside the cluster of scope ``name`` (up to its first inner cluster)."""
    return re.split(r'subgraph "?cluster_', re.split(rf'subgraph "?cluster_{re.escape(name)}"? \{{', source)[1])[0]


def labelled(source, name):
    """The ids of the tensors drawn with the bold name ``name``."""
    return re.findall(rf"\t(\w+) \[label=<<TABLE[^\n]*<B>{name}</B>", source)


def edges(source):
    return set(re.findall(r"\t(\w+) -> (\w+)", source))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 8)
        self.fc2 = nn.Linear(8, 8)
        self.fc3 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc3(self.fc2(self.fc1(x).relu()).tanh())


@pytest.fixture
def mlp_loss():
    model = MLP().double()

    def loss(x, y):
        return F.cross_entropy(model(x), y)

    rng = np.random.default_rng(0)
    x, y = ag.Tensor(rng.standard_normal((4, 3))), ag.Tensor(np.array([0, 1, 1, 0]))
    return model, ag.compile(loss)(x, y), loss(x, y)


def test_a_compiled_call_is_one_box_named_after_its_function(mlp_loss):
    _, compiled, _ = mlp_loss
    source = ag.draw_graph(compiled).source
    assert list(ops_drawn(source).values()) == ["loss"]
    assert clusters(source) == []


def test_expanded_it_draws_the_ops_of_the_eager_graph_in_a_cluster(mlp_loss):
    _, compiled, eager = mlp_loss
    source = ag.draw_graph(compiled, expand_compiled=True).source
    eager_source = ag.draw_graph(eager).source
    assert collections.Counter(ops_drawn(source).values()) == collections.Counter(ops_drawn(eager_source).values())
    assert "loss" not in ops_drawn(source).values()
    assert clusters(source) == ["loss", "loss.fc1", "loss.fc2", "loss.fc3"]
    # Each layer's weight feeds its linear op, drawn inside that layer's cluster.
    fc1 = cluster(source, "loss.fc1")
    (weight,) = labelled(fc1, "weight")
    (linear,) = [op for op, name in ops_drawn(fc1).items() if name == "linear"]
    assert (weight, linear) in edges(source)
    assert len(edges(source)) == len(edges(eager_source))


def test_the_expanded_call_folds_again_by_its_name(mlp_loss):
    _, compiled, _ = mlp_loss
    source = ag.draw_graph(compiled, expand_compiled=True, collapse="loss").source
    assert "<B>loss</B><BR/>6 ops, 6 parameters" in source
    assert ops_drawn(source) == {}


def test_each_call_has_its_own_cluster_and_several_outputs_are_gathered():
    w = ag.tensor([1.0, 2.0], requires_grad=True)

    def scaled(x):
        return (x * w).sum(), (x * w).tanh()

    f = ag.compile(scaled)
    total, vector = f(ag.tensor([1.0, 2.0]))
    again, _ = f(vector)
    source = ag.draw_graph(total + again, expand_compiled=True).source
    assert clusters(source) == ["scaled", "scaled_2"]
    names = collections.Counter(ops_drawn(source).values())
    assert names["scaled"] == 2 and names["tanh"] == 2 and names["mul"] == 4
    first = set(re.findall(r"\t(\w+) \[", cluster(source, "scaled")))
    second = set(re.findall(r"\t(\w+) \[", cluster(source, "scaled_2")))
    assert first and second and not first & second
    gathered = [op for op, name in ops_drawn(source).items() if name == "scaled"]
    assert sum(1 for tail, head in edges(source) if head in gathered) == 4


def test_a_step_of_the_stepper_draws_the_call_it_runs_expanded(mlp_loss):
    _, compiled, _ = mlp_loss
    (step,) = ag.BackwardStepper(compiled)
    source = step.draw(expand_compiled=True).source
    current = re.findall(r'\t(op\d+) \[label=[^\n]*fillcolor="#fb923c"', source)
    assert len(current) == len(ops_drawn(source)) == 6


def test_the_explorer_steps_a_compiled_call_as_one_op(mlp_loss):
    _, compiled, _ = mlp_loss
    with pytest.raises(TypeError, match="expand_compiled"):
        ag.viz.explore(compiled, expand_compiled=True)
