"""Training checkpoints: a full round trip (model, optimizer, scheduler, loader position,
generators, counters, extra values), pickle-free atomic files, and a truncated, corrupt
or mismatched checkpoint refused before anything changes."""
import json
import zipfile

import numpy as np
import pytest

import autograd_core as ag
import nn
import optim
from nn.data import DataLoader, TensorDataset


def setup(seed=0, width=4):
    ag.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, width), nn.ReLU(), nn.Linear(width, 2))
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2)
    loader = DataLoader(TensorDataset(np.arange(24.0).reshape(8, 3), np.arange(8)), batch_size=3, shuffle=True, seed=seed)
    return model, optimizer, scheduler, loader


def train_steps(model, optimizer, scheduler, batches):
    for x, _ in batches:
        optimizer.zero_grad()
        (model(x) ** 2).sum().backward()
        optimizer.step()
        scheduler.step()


def snapshot(model, optimizer):
    return [p.data.copy() for p in model.parameters()], repr(optimizer.state_dict())


def test_round_trip_continues_exactly(tmp_path):
    model, optimizer, scheduler, loader = setup()
    batches = iter(loader)
    train_steps(model, optimizer, scheduler, [next(batches)])
    path = nn.save_checkpoint(tmp_path / "run", model, optimizer, scheduler, loader, epoch=3, step=1, extra={"loss": [0.5, np.float32(0.25)], "t": (1, 2)})
    assert path.name == "run.npz"
    expected_rest = list(batches)
    train_steps(model, optimizer, scheduler, expected_rest)
    expected_next = (ag.randn(2).data, np.random.rand())
    expected = snapshot(model, optimizer)

    other = setup(seed=9, width=4)
    ag.randn(3), np.random.rand()  # both generators are elsewhere before the load
    info = nn.load_checkpoint(path, *other)
    assert info["epoch"] == 3 and info["step"] == 1
    assert info["extra"] == {"loss": [0.5, np.float32(0.25)], "t": (1, 2)}
    assert type(info["extra"]["loss"][1]) is np.float32
    rest = list(other[3])
    assert [b[0].data.tobytes() for b in rest] == [b[0].data.tobytes() for b in expected_rest]
    train_steps(*other[:3], rest)
    np.testing.assert_array_equal(ag.randn(2).data, expected_next[0])
    assert np.random.rand() == expected_next[1]
    got = snapshot(*other[:2])
    for a, b in zip(got[0], expected[0]):
        assert a.tobytes() == b.tobytes()
    assert got[1] == expected[1]


def test_file_is_plain_arrays_and_json(tmp_path):
    path = nn.save_checkpoint(tmp_path / "c.npz", *setup())
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert json.loads(archive.read("checkpoint.json"))["epoch"] == 0
        for name in names:
            if name != "checkpoint.json":
                assert name.endswith(".npy")
                assert np.lib.format.read_array(archive.open(name), allow_pickle=False).dtype != object
    assert [p.name for p in tmp_path.iterdir()] == ["c.npz"]  # no temporary left behind


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "no_meta", "foreign"])
def test_damaged_checkpoint_is_refused_and_nothing_changes(tmp_path, damage):
    path = nn.save_checkpoint(tmp_path / "c.npz", *setup(seed=1))
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) * 2 // 3])
    elif damage == "garbage":
        path.write_bytes(data[:100] + bytes(range(256)) * 4 + data[1124:])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "no_meta":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("x.npy", b"")
    else:
        setup()[0].save(path)
    target = setup(seed=2)
    before = snapshot(*target[:2])
    generator_before = ag.default_generator().bit_generator.state
    with pytest.raises(ValueError, match="load_checkpoint: .*c.npz"):
        nn.load_checkpoint(path, *target)
    after = snapshot(*target[:2])
    assert all(a.tobytes() == b.tobytes() for a, b in zip(before[0], after[0])) and before[1] == after[1]
    assert ag.default_generator().bit_generator.state == generator_before


def test_checkpoint_of_another_model_loads_nothing(tmp_path):
    path = nn.save_checkpoint(tmp_path / "c.npz", *setup(seed=1, width=4))
    model, optimizer, scheduler, loader = setup(seed=2, width=4)
    wrong_optimizer = optim.SGD(model.parameters(), lr=0.1)
    train_steps(model, optimizer, scheduler, list(loader)[:1])
    before = snapshot(model, optimizer)
    lr_before = scheduler.state_dict()
    with pytest.raises(ValueError, match="SGD"):
        nn.load_checkpoint(path, model, wrong_optimizer, scheduler, loader)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(before[0], snapshot(model, optimizer)[0]))
    assert scheduler.state_dict() == lr_before
    with pytest.raises(RuntimeError, match="mis-shaped"):
        nn.load_checkpoint(path, setup(width=5)[0])


def test_missing_parts_and_unstorable_values_are_clear(tmp_path):
    model = setup()[0]
    path = nn.save_checkpoint(tmp_path / "m.npz", model)
    with pytest.raises(ValueError, match="holds no optimizer state"):
        nn.load_checkpoint(path, model, optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(TypeError, match="save_checkpoint: cannot store a set"):
        nn.save_checkpoint(tmp_path / "bad.npz", model, extra={"s": {1}})
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]
    with pytest.raises(FileNotFoundError):
        nn.load_checkpoint(tmp_path / "none.npz", model)
