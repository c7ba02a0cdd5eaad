"""The IDX reader and writer: every type, gzip or raw, and clear errors for files that
are truncated, too long, corrupt, or not IDX at all."""
import gzip
import struct

import numpy as np
import pytest

from nn.data import IDXError, read_idx, write_idx


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("name", ["data.idx", "data.idx.gz"])
def test_round_trip(tmp_path, dtype, name, rng):
    array = (rng.standard_normal((3, 4, 5)) * 50).astype(dtype)
    read = read_idx(write_idx(tmp_path / name, array))
    assert read.dtype == dtype and read.dtype.isnative
    np.testing.assert_array_equal(read, array)


def test_header_layout_is_big_endian(tmp_path):
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(struct.pack(">HBBI", 0, 0x08, 1, 3) + bytes([7, 0, 9]))
    np.testing.assert_array_equal(read_idx(path), [7, 0, 9])
    path.write_bytes(struct.pack(">HBBII", 0, 0x0B, 2, 1, 2) + struct.pack(">hh", -2, 300))
    np.testing.assert_array_equal(read_idx(path), [[-2, 300]])


def test_gzip_is_recognised_by_content(tmp_path):
    path = tmp_path / "no-suffix"
    path.write_bytes(gzip.compress(struct.pack(">HBBI", 0, 0x08, 1, 2) + bytes([1, 2])))
    np.testing.assert_array_equal(read_idx(path), [1, 2])


def images(tmp_path, rng):
    path = tmp_path / "images-idx3-ubyte"
    write_idx(path, rng.integers(0, 256, (4, 3, 3)).astype(np.uint8))
    return path


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda raw: raw[:-1], "truncated"),
        (lambda raw: raw[:10], "truncated inside its header"),
        (lambda raw: raw[:2], "too short"),
        (lambda raw: raw + b"\x00", "longer than its header says"),
        (lambda raw: b"\x01" + raw[1:], "magic"),
        (lambda raw: raw[:2] + b"\x07" + raw[3:], "magic"),
    ],
)
def test_damaged_files_raise_clear_errors(tmp_path, rng, damage, words):
    path = images(tmp_path, rng)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(IDXError, match=words) as info:
        read_idx(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("cut", [lambda raw: raw[:-6], lambda raw: raw[:20] + bytes([raw[20] ^ 0xFF]) + raw[21:]])
def test_truncated_or_corrupt_gzip(tmp_path, rng, cut):
    path = tmp_path / "images.gz"
    write_idx(path, rng.integers(0, 256, (50, 28, 28)).astype(np.uint8))
    path.write_bytes(cut(path.read_bytes()))
    with pytest.raises(IDXError, match="gzip|truncated|magic"):
        read_idx(path)


def test_write_refuses_unknown_types(tmp_path):
    with pytest.raises(IDXError, match="no type"):
        write_idx(tmp_path / "x.idx", np.zeros(2, dtype=np.int64))
