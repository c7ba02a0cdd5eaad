"""Module: registration by assignment, walking the tree, modes, dtype, repr, name
scopes, state dicts (round trips, strict errors, PyTorch's names) and .npz files."""
import pickle

import numpy as np
import pytest

import autograd_core as ag
import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.bn = nn.BatchNorm1d(2)
        self.scale = nn.Parameter(np.ones(2, dtype=np.float32))
        self.register_buffer("steps", np.zeros((), dtype=np.int64))
        self.register_buffer("cache", np.zeros(2, dtype=np.float32), persistent=False)
        self.note = "not registered"

    def forward(self, x):
        return self.bn(self.fc(x)) * self.scale


def test_assignment_registers_parameters_buffers_and_submodules():
    block = Block()
    assert [name for name, _ in block.named_parameters()] == ["scale", "fc.weight", "fc.bias", "bn.weight", "bn.bias"]
    assert [name for name, _ in block.named_buffers()] == [
        "steps", "cache", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
    ]
    assert [name for name, _ in block.named_children()] == ["fc", "bn"]
    assert [name for name, _ in block.named_modules()] == ["", "fc", "bn"]
    assert len(list(block.parameters(recurse=False))) == 1
    assert len(list(block.buffers())) == 5


def test_shared_parameters_are_listed_once():
    a = nn.Linear(2, 2)
    model = nn.Sequential(a, nn.ReLU(), a)
    assert len(list(model.parameters())) == 2


def test_reassignment_rules():
    layer = nn.Linear(2, 3)
    with pytest.raises(TypeError, match="cannot assign Tensor to parameter 'weight'"):
        layer.weight = ag.zeros(3, 2)
    layer.bias = None
    assert [name for name, _ in layer.named_parameters()] == ["weight"]
    assert "bias" in layer._parameters and layer.bias is None
    layer.bias = nn.Parameter(np.zeros(3, dtype=np.float32))
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    block = Block()
    with pytest.raises(TypeError, match="buffer 'steps'"):
        block.steps = 3
    del block.fc
    assert "fc" not in dict(block.named_children())


def test_names_are_checked():
    module = nn.Module()
    with pytest.raises(KeyError, match="no '.'"):
        module.add_module("a.b", nn.ReLU())
    with pytest.raises(TypeError):
        module.register_parameter("w", ag.zeros(2))
    module.x = 1
    with pytest.raises(KeyError, match="already exists"):
        module.add_module("x", nn.ReLU())


def test_assigning_before_init_is_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match="super"):
        Broken()


def test_apply_visits_children_first_and_returns_the_module():
    visited = []
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    assert model.apply(lambda m: visited.append(type(m).__name__)) is model
    assert visited == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_apply_for_custom_initialisation():
    def init_weights(module):
        if isinstance(module, nn.Linear):
            nn.init.constant_(module.weight, 0.5)

    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)).apply(init_weights)
    assert all(np.all(layer.weight.data == 0.5) for layer in (model[0], model[2]))


def test_train_and_eval_reach_every_submodule():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout()))
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    with pytest.raises(ValueError):
        model.train("no")


def test_zero_grad_and_requires_grad():
    layer = nn.Linear(2, 1)
    layer(ag.ones(4, 2)).sum().backward()
    assert layer.weight.grad is not None
    layer.zero_grad(set_to_none=False)
    assert np.all(layer.weight.grad == 0)
    layer.zero_grad()
    assert layer.weight.grad is None
    layer.requires_grad_(False)
    assert not layer(ag.ones(1, 2)).requires_grad


def test_to_dtype_converts_floats_only():
    block = Block().to(np.float64)
    assert all(p.dtype == np.float64 for p in block.parameters())
    assert block.bn.running_mean.dtype == np.float64
    assert block.steps.dtype == np.int64
    assert block.float().fc.weight.dtype == np.float32
    assert block.to("cpu") is block
    with pytest.raises(TypeError, match="floating-point"):
        block.to(np.int32)
    with pytest.raises(ValueError, match="CPU"):
        block.to("cuda")


def test_repr_is_pytorchs_tree():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Dropout(0.1)))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Dropout(p=0.1, inplace=False)\n"
        "  )\n"
        ")"
    )


def test_call_records_the_module_path_as_scope():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 1)))
    out = model(ag.ones(1, 2))
    assert out.grad_fn.scope == "1.0"
    assert out.grad_fn.parents[0].scope == "0"


def test_state_dict_has_pytorch_names_and_copies():
    block = Block()
    state = block.state_dict()
    assert list(state) == [
        "scale", "steps", "fc.weight", "fc.bias", "bn.weight", "bn.bias",
        "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
    ]
    state["fc.weight"][...] = 7
    assert not np.any(block.fc.weight.data == 7)


def test_state_dict_round_trip(rng):
    source, target = Block(), Block()
    source.bn(ag.Tensor(rng.standard_normal((8, 2)).astype(np.float32)))
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (name, a), b in zip(source.state_dict().items(), target.state_dict().values()):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_strict_loading_lists_every_problem_and_changes_nothing():
    block = Block()
    before = block.state_dict()
    state = block.state_dict()
    del state["fc.bias"]
    state["fc.weight"] = np.zeros((3, 3))
    state["extra"] = np.zeros(1)
    with pytest.raises(RuntimeError) as info:
        block.load_state_dict(state)
    message = str(info.value)
    assert "missing keys: fc.bias" in message
    assert "unexpected keys: extra" in message
    assert "fc.weight: expected (2, 3), got (3, 3)" in message
    for name, value in block.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_non_strict_loading_reports_and_loads_the_rest():
    block = Block()
    result = block.load_state_dict({"scale": np.full(2, 3.0), "other": np.zeros(1)}, strict=False)
    assert "fc.weight" in result.missing_keys and result.unexpected_keys == ["other"]
    np.testing.assert_array_equal(block.scale.data, [3, 3])
    with pytest.raises(RuntimeError, match="mis-shaped"):
        block.load_state_dict({"scale": np.zeros(3)}, strict=False)
    with pytest.raises(TypeError, match="not numbers"):
        block.load_state_dict({"scale": np.array(["a", "b"])}, strict=False)


def test_save_and_load_npz(tmp_path, rng):
    source, target = Block(), Block()
    source.bn(ag.Tensor(rng.standard_normal((8, 2)).astype(np.float32)))
    path = source.save(tmp_path / "weights")
    assert path.name == "weights.npz" and path.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["weights.npz"]
    target.load(path)
    for name, value in source.state_dict().items():
        np.testing.assert_array_equal(target.state_dict()[name], value)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == sorted(source.state_dict())


def test_load_refuses_pickled_content(tmp_path):
    block = Block()
    pickled = tmp_path / "weights.npz"
    pickled.write_bytes(pickle.dumps(block.state_dict()))
    with pytest.raises(ValueError, match="not an .npz archive"):
        block.load(pickled)
    objects = tmp_path / "objects.npz"
    np.savez(objects, scale=np.array([{"evil": 1}, None], dtype=object))
    with pytest.raises(ValueError, match="pickled objects"):
        block.load(objects)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(2))
    with pytest.raises(ValueError, match="single array"):
        block.load(single)
    np.testing.assert_array_equal(block.scale.data, [1, 1])


def test_loads_a_pytorch_state_dict():
    torch = pytest.importorskip("torch")
    from nn_helpers import to_torch_state

    reference = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    reference.train()
    reference(torch.randn(16, 3))
    reference.eval()
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).eval()
    model.load_state_dict(to_torch_state(reference))
    x = np.random.default_rng(1).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(model(ag.Tensor(x)).data, reference(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    assert list(model.state_dict()) == list(reference.state_dict())


def test_loads_torch_tensors_directly():
    torch = pytest.importorskip("torch")
    reference = torch.nn.Linear(3, 2)
    layer = nn.Linear(3, 2)
    layer.load_state_dict(reference.state_dict())
    np.testing.assert_array_equal(layer.weight.data, reference.weight.detach().numpy())


def test_an_error_inside_a_call_names_the_innermost_layer_and_its_path():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(4, 1))
    with pytest.raises(ValueError, match=r"^Linear \(2\): linear: input of shape \(5, 3\)"):
        model(ag.ones(5, 2))


def test_a_slip_in_the_users_own_forward_keeps_its_kind():
    class Typo(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)

        def forward(self, x):
            return self.fc3(x)

    with pytest.raises(AttributeError, match="fc3"):
        Typo()(ag.ones(1, 2))
    with pytest.raises(TypeError, match="^Flatten: "):  # the same slip inside a layer of ours
        nn.Flatten()(3)
