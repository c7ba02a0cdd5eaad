"""Fashion-MNIST: finding the files (argument, environment variable, cache, Debian's
package), downloading with SHA-256 verification (served by a fake urlopen, since tests
never reach the network), and the real files when they are installed."""
import gzip
import hashlib
import io
import urllib.request

import numpy as np
import pytest

from nn.data import fashion_mnist, load_fashion_mnist, write_idx


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No environment variable, an empty cache, no Debian directory."""
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(fashion_mnist, "DEBIAN_DIR", tmp_path / "no-debian")
    return tmp_path


def small_split(directory, split, n=5, seed=0):
    """Write a tiny split of n 28x28 images in the official file names."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    images_name, labels_name = fashion_mnist.FILES[split]
    images = rng.integers(0, 256, (n, 28, 28)).astype(np.uint8)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    write_idx(directory / images_name, images)
    write_idx(directory / labels_name, labels)
    return images, labels


def test_reads_from_the_given_directory(isolated):
    images, labels = small_split(isolated / "mine", "test")
    X, y = load_fashion_mnist(isolated / "mine", split="test")
    np.testing.assert_array_equal(X, images)
    np.testing.assert_array_equal(y, labels)
    assert y.dtype == np.int64


def test_uncompressed_files_are_found_too(isolated):
    directory = isolated / "raw"
    images, _ = small_split(directory, "train")
    for path in directory.iterdir():
        path.with_name(path.name[:-3]).write_bytes(gzip.decompress(path.read_bytes()))
        path.unlink()
    np.testing.assert_array_equal(load_fashion_mnist(directory)[0], images)


def test_search_order(isolated, monkeypatch):
    small_split(isolated / "env", "train", n=3, seed=1)
    small_split(fashion_mnist.cache_dir(), "train", n=4, seed=2)
    small_split(fashion_mnist.DEBIAN_DIR, "train", n=6, seed=3)
    assert len(load_fashion_mnist()[0]) == 4
    monkeypatch.setenv("FASHION_MNIST_DIR", str(isolated / "env"))
    assert len(load_fashion_mnist()[0]) == 3
    small_split(isolated / "arg", "train", n=2)
    assert len(load_fashion_mnist(isolated / "arg")[0]) == 2


def test_missing_without_download(isolated):
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte.gz is in none of"):
        load_fashion_mnist(split="test", download=False)
    with pytest.raises(ValueError, match="split"):
        load_fashion_mnist(split="valid")


def fake_urlopen(served, requested):
    """An urlopen that serves ``served[name]`` bytes for a URL ending in name."""

    class Response(io.BytesIO):
        def __init__(self, data):
            super().__init__(data)
            self.headers = {"Content-Length": str(len(data))}

    def urlopen(url, timeout=None):
        requested.append(url)
        name = url.rsplit("/", 1)[1]
        if name not in served:
            raise OSError(f"404 for {url}")
        return Response(served[name])

    return urlopen


def test_download_verifies_and_caches(isolated, monkeypatch):
    source = isolated / "official"
    images, labels = small_split(source, "test")
    served = {p.name: p.read_bytes() for p in source.iterdir()}
    monkeypatch.setattr(fashion_mnist, "SHA256", {name: hashlib.sha256(data).hexdigest() for name, data in served.items()})
    requested = []
    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen(served, requested))
    X, y = load_fashion_mnist(split="test")
    np.testing.assert_array_equal(X, images)
    assert requested[0].startswith(fashion_mnist.MIRRORS[0]) and len(requested) == 2
    assert sorted(p.name for p in fashion_mnist.cache_dir().iterdir()) == sorted(served)
    load_fashion_mnist(split="test")
    assert len(requested) == 2


def test_checksum_mismatch_keeps_nothing(isolated, monkeypatch):
    source = isolated / "official"
    small_split(source, "test")
    served = {p.name: p.read_bytes() for p in source.iterdir()}
    requested = []
    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen(served, requested))
    with pytest.raises(RuntimeError, match="SHA-256 mismatch") as info:
        load_fashion_mnist(isolated / "target", split="test")
    assert fashion_mnist.SHA256["t10k-images-idx3-ubyte.gz"] in str(info.value)
    assert len(requested) == len(fashion_mnist.MIRRORS)
    assert list((isolated / "target").iterdir()) == []


def test_falls_back_to_the_next_mirror(isolated, monkeypatch):
    source = isolated / "official"
    small_split(source, "test")
    served = {p.name: p.read_bytes() for p in source.iterdir()}
    monkeypatch.setattr(fashion_mnist, "SHA256", {name: hashlib.sha256(data).hexdigest() for name, data in served.items()})
    requested = []
    good = fake_urlopen(served, requested)

    def first_mirror_down(url, timeout=None):
        if url.startswith(fashion_mnist.MIRRORS[0]):
            requested.append(url)
            raise OSError("connection refused")
        return good(url, timeout)

    monkeypatch.setattr(urllib.request, "urlopen", first_mirror_down)
    assert len(load_fashion_mnist(split="test")[0]) == 5
    assert [url.startswith(fashion_mnist.MIRRORS[1]) for url in requested] == [False, True, False, True]


REAL = fashion_mnist.DEBIAN_DIR


@pytest.mark.skipif(not (REAL / "t10k-images-idx3-ubyte.gz").exists(), reason="dataset-fashion-mnist is not installed")
def test_the_real_files():
    X, y = load_fashion_mnist(REAL, split="test")
    assert X.shape == (10_000, 28, 28) and X.dtype == np.uint8
    assert np.bincount(y).tolist() == [1000] * 10
    X, y = load_fashion_mnist(REAL, split="train")
    assert X.shape == (60_000, 28, 28) and np.bincount(y).tolist() == [6000] * 10
    header = gzip.open(REAL / "train-images-idx3-ubyte.gz").read(16)
    assert header == b"\x00\x00\x08\x03" + (60_000).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
