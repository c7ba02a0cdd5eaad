"""Sequential, ModuleList and ModuleDict: order, indexing, renumbering, registration."""
import collections

import numpy as np
import pytest

import autograd_core as ag
import nn


def test_sequential_applies_in_order_and_indexes():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    x = ag.ones(4, 2)
    expected = model[2](model[1](model[0](x)))
    np.testing.assert_array_equal(model(x).data, expected.data)
    assert len(model) == 3 and isinstance(model[-1], nn.Linear)
    head = model[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is model[0]


def test_sequential_from_ordered_dict_keeps_names():
    model = nn.Sequential(collections.OrderedDict([("hidden", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert list(dict(model.named_children())) == ["hidden", "act"]
    assert "hidden.weight" in model.state_dict()


def test_sequential_edit():
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    model.append(nn.Linear(2, 1))
    model[1] = nn.Tanh()
    assert isinstance(model[1], nn.Tanh)
    del model[0]
    assert list(dict(model.named_children())) == ["0", "1"]
    assert isinstance(model[0], nn.Tanh)


def test_module_list_registers_and_renumbers():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(list(layers.parameters())) == 6
    layers.insert(1, nn.ReLU())
    assert [type(m).__name__ for m in layers] == ["Linear", "ReLU", "Linear", "Linear"]
    assert list(dict(layers.named_children())) == ["0", "1", "2", "3"]
    del layers[0]
    assert len(layers) == 3 and isinstance(layers[0], nn.ReLU)
    layers.append(nn.Tanh())
    assert list(dict(layers.named_children())) == ["0", "1", "2", "3"]
    assert isinstance(layers[1:], nn.ModuleList) and len(layers[1:]) == 3
    with pytest.raises(TypeError):
        layers.append("not a module")


def test_module_dict():
    blocks = nn.ModuleDict({"encoder": nn.Linear(2, 3), "decoder": nn.Linear(3, 2)})
    assert list(blocks) == ["encoder", "decoder"] and "encoder" in blocks
    assert [name for name, _ in blocks.named_parameters()][:2] == ["encoder.weight", "encoder.bias"]
    popped = blocks.pop("encoder")
    assert isinstance(popped, nn.Linear) and list(blocks.keys()) == ["decoder"]
    blocks["act"] = nn.ReLU()
    assert list(blocks.items())[1][0] == "act" and len(blocks) == 2
