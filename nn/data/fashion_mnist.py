"""Fashion-MNIST: 70,000 grayscale 28x28 images of clothes in 10 classes (60,000 for
training, 10,000 for testing), a drop-in replacement for MNIST (Xiao et al., 2017).

``load_fashion_mnist`` looks for the four IDX files, in this order, in the directory
given as ``root``, in ``$FASHION_MNIST_DIR``, in the user cache
(``$XDG_CACHE_HOME/autograd_core/fashion-mnist``, by default under ``~/.cache``) and in
``/usr/share/datasets/fashion-mnist`` (Debian's ``dataset-fashion-mnist`` package). If
none has them, it downloads them from the official mirror into ``root`` or the cache,
checking each file's SHA-256 before keeping it.
"""
import hashlib
import os
import pathlib
import tempfile
import urllib.request

from .idx import read_idx

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

# The official files (the same bytes on both mirrors). Zalando publishes MD5 sums only;
# these SHA-256 sums are TensorFlow Datasets' (url_checksums/fashion_mnist.txt), whose
# file sizes and MD5 sums agree with the official README. (Debian's copies are
# recompressed: the same images, but other .gz bytes, so these sums do not apply to them.)
SHA256 = {
    "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
}

MIRRORS = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)

DEBIAN_DIR = pathlib.Path("/usr/share/datasets/fashion-mnist")


def cache_dir():
    """Where downloaded files are kept: ``$XDG_CACHE_HOME/autograd_core/fashion-mnist``."""
    base = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
    return pathlib.Path(base) / "autograd_core" / "fashion-mnist"


def _find(directory, name):
    """The file ``name`` in ``directory``, compressed or not, or None."""
    for candidate in (directory / name, directory / name[: -len(".gz")]):
        if candidate.is_file():
            return candidate
    return None


def _search_dirs(root):
    dirs = []
    if root is not None:
        dirs.append(pathlib.Path(root).expanduser())
    if os.environ.get("FASHION_MNIST_DIR"):
        dirs.append(pathlib.Path(os.environ["FASHION_MNIST_DIR"]).expanduser())
    dirs += [cache_dir(), DEBIAN_DIR]
    return dirs


def _progress(total, name):
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc=name, leave=False)


class DataUnavailableError(RuntimeError):
    """The data set is on this machine nowhere and could not be downloaded."""


def download_file(name, directory, mirrors=MIRRORS):
    """Fetch the official file ``name`` into ``directory``, verifying its SHA-256; tries
    each mirror in turn. The file appears under its name only once verified."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    errors = []
    for mirror in mirrors:
        url = mirror + name
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=name, suffix=".part")
        try:
            digest = hashlib.sha256()
            with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=60) as response:
                bar = _progress(int(response.headers.get("Content-Length") or 0) or None, name)
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    digest.update(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
                if bar is not None:
                    bar.close()
            if digest.hexdigest() != SHA256[name]:
                raise ValueError(f"SHA-256 mismatch: expected {SHA256[name]}, got {digest.hexdigest()}")
            target = directory / name
            os.replace(temporary, target)
            return target
        except (OSError, ValueError) as error:
            errors.append(f"{url}: {error}")
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    raise RuntimeError(f"download_file: could not fetch a verified {name}:\n  " + "\n  ".join(errors))


def _unavailable_message(root, error):
    files = ", ".join(name for pair in FILES.values() for name in pair)
    reasons = "; ".join(line.strip() for line in str(error).splitlines()[1:])
    return (
        f"Fashion-MNIST is not on this machine and could not be downloaded ({reasons}). Get it either way: "
        f"install Debian's package (apt-get install dataset-fashion-mnist, which puts it in {DEBIAN_DIR}), "
        f"or put the four files ({files}) in a folder and pass it with --data DIR "
        "(root= in load_fashion_mnist)."
    )


def load_fashion_mnist(root=None, split="train", download=True):
    """``(images, labels)`` of the ``"train"`` (60,000) or ``"test"`` (10,000) split:
    uint8 images of shape (N, 28, 28) and int64 labels in 0..9 (names in
    ``FASHION_MNIST_CLASSES``). See the module docstring for where the files are found;
    with ``download=False`` a missing file is an error instead of a download."""
    if split not in FILES:
        raise ValueError(f"load_fashion_mnist: split must be 'train' or 'test', got {split!r}")
    found = []
    for name in FILES[split]:
        path = next((p for p in (_find(d, name) for d in _search_dirs(root)) if p is not None), None)
        if path is None:
            if not download:
                searched = ", ".join(str(d) for d in _search_dirs(root))
                raise FileNotFoundError(f"load_fashion_mnist: {name} is in none of {searched}")
            try:
                path = download_file(name, pathlib.Path(root) if root is not None else cache_dir())
            except RuntimeError as error:
                raise DataUnavailableError(_unavailable_message(root, error)) from None
        found.append(path)
    images, labels = (read_idx(p) for p in found)
    if images.ndim != 3 or labels.shape != images.shape[:1]:
        raise ValueError(
            f"load_fashion_mnist: images of shape {images.shape} and labels of shape {labels.shape} do not match"
        )
    return images, labels.astype("int64")
