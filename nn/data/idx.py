"""The IDX file format of MNIST and Fashion-MNIST, read and written whole.

An IDX file is a header, then the values in C order, big-endian:

    bytes 0-1   zero
    byte  2     type code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
    byte  3     number of dimensions d
    4 d bytes   each dimension's size, a big-endian uint32

Files ending in ``.gz`` (or starting with gzip's magic bytes) are decompressed. The
whole file is read and checked before an array is returned, so a truncated or corrupt
file raises ``IDXError`` and never gives half an array.
"""
import gzip
import pathlib
import struct
import zlib

import numpy as np

_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """A file that is not a complete, well-formed IDX file."""


def _read_bytes(path):
    raw = pathlib.Path(path).read_bytes()
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise IDXError(f"read_idx: {path} is a truncated or corrupt gzip file ({error})") from None


def read_idx(path):
    """The array stored in the IDX file ``path`` (gzip-compressed or raw), in native byte
    order: uint8 images of shape (N, 28, 28) or labels of shape (N,) for (Fashion-)MNIST."""
    data = _read_bytes(path)
    if len(data) < 4:
        raise IDXError(f"read_idx: {path} is too short ({len(data)} bytes) to hold an IDX header")
    zero, type_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or type_code not in _TYPES:
        raise IDXError(f"read_idx: {path} does not start with an IDX magic number (got {data[:4].hex()})")
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise IDXError(f"read_idx: {path} is truncated inside its header ({ndim} dimensions announced)")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    dtype = np.dtype(_TYPES[type_code])
    expected = header_size + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        state = "truncated" if len(data) < expected else "longer than its header says"
        raise IDXError(
            f"read_idx: {path} is {state}: shape {shape} of {dtype.name} needs {expected} bytes, found {len(data)}"
        )
    values = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def write_idx(path, array):
    """Write ``array`` to ``path`` in the IDX format (gzip-compressed if the name ends in
    ``.gz``); the inverse of ``read_idx``."""
    array = np.asarray(array)
    codes = {np.dtype(v).newbyteorder("="): k for k, v in _TYPES.items()}
    native = array.dtype.newbyteorder("=")
    if native not in codes:
        raise IDXError(f"write_idx: IDX has no type for {array.dtype}")
    header = struct.pack(">HBB", 0, codes[native], array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(_TYPES[codes[native]]).tobytes()
    path = pathlib.Path(path)
    path.write_bytes(gzip.compress(payload) if path.suffix == ".gz" else payload)
    return path
