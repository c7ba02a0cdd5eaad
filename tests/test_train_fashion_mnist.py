"""The main job (examples/train_fashion_mnist.py) run for real in a subprocess on a small
data set: the same seed gives bit-identical weights, a run killed with SIGKILL or
interrupted with Ctrl-C and then resumed ends with the weights of a run never stopped,
and without the data it stops with one message naming the two ways to get it."""
import os
import pathlib
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import numpy as np
import pytest

from nn.data import fashion_mnist, write_idx

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "train_fashion_mnist.py"
EPOCHS = 3


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A small Fashion-MNIST look-alike in the official file names."""
    directory = tmp_path_factory.mktemp("fashion")
    rng = np.random.default_rng(0)
    for split, n in (("train", 160), ("test", 20)):
        images_name, labels_name = fashion_mnist.FILES[split]
        write_idx(directory / images_name, rng.integers(0, 256, (n, 28, 28)).astype(np.uint8))
        write_idx(directory / labels_name, rng.integers(0, 10, n).astype(np.uint8))
    return directory


def command(data, out, *extra):
    return [
        sys.executable, str(SCRIPT), "--data", str(data), "--out", str(out), "--epochs", str(EPOCHS),
        "--batch-size", "32", "--no-progress", "--seed", "3", *extra,
    ]


def run(data, out, *extra):
    done = subprocess.run(command(data, out, *extra), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def weights(out):
    with np.load(out / "lenet.npz") as archive:
        return {name: archive[name] for name in archive.files}


def assert_identical(a, b):
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].tobytes() == b[name].tobytes(), name


@pytest.fixture(scope="module")
def uninterrupted(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted")
    run(data, out)
    return weights(out)


def test_same_seed_gives_bit_identical_weights(data, uninterrupted, tmp_path):
    run(data, tmp_path)
    assert_identical(weights(tmp_path), uninterrupted)
    changed = tmp_path / "other_seed"
    subprocess.run(command(data, changed)[:-1] + ["4"], check=True, capture_output=True, timeout=600)
    assert weights(changed)["features.0.weight"].tobytes() != uninterrupted["features.0.weight"].tobytes()


def start_and_wait_for_checkpoint(data, out):
    process = subprocess.Popen(command(data, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    checkpoint = out / "lenet_checkpoint.npz"
    deadline = time.monotonic() + 300
    while not checkpoint.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return process


def test_killed_run_resumes_to_the_same_weights(data, uninterrupted, tmp_path):
    process = start_and_wait_for_checkpoint(data, tmp_path)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert not (tmp_path / "lenet.npz").exists(), "the run finished before it was killed"
    resumed = run(data, tmp_path, "--resume")
    assert "resumed from" in resumed.stdout
    assert_identical(weights(tmp_path), uninterrupted)


def test_ctrl_c_saves_a_checkpoint_mid_epoch_and_resumes_to_the_same_weights(data, uninterrupted, tmp_path):
    process = start_and_wait_for_checkpoint(data, tmp_path)
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 1
    assert "interrupted: saved" in stderr and "--resume" in stderr
    resumed = run(data, tmp_path, "--resume")
    assert "resumed from" in resumed.stdout
    assert_identical(weights(tmp_path), uninterrupted)


def test_without_data_or_network_one_message_names_both_ways(tmp_path, monkeypatch, capsys):
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import train_fashion_mnist
    finally:
        sys.path.remove(str(SCRIPT.parent))
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fashion_mnist, "DEBIAN_DIR", tmp_path / "no-debian")

    def offline(url, timeout=None):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(SystemExit) as stopped:
        train_fashion_mnist.main(["--out", str(tmp_path / "out"), "--no-progress"])
    message = stopped.value.code
    assert isinstance(message, str)  # SystemExit with a message exits with status 1
    assert "dataset-fashion-mnist" in message and "--data DIR" in message
    assert "name resolution" in message and "\n" not in message
    assert not (tmp_path / "out").exists()


def test_a_nan_loss_stops_with_a_hint_to_turn_on_anomaly_detection(data, tmp_path):
    done = subprocess.run(command(data, tmp_path, "--lr", "1e30"), capture_output=True, text=True, timeout=600)
    assert done.returncode == 1
    assert "the loss became nan" in done.stderr and "ag.detect_anomaly()" in done.stderr
