"""The bytes of a format-2 snapshot: a JSON document and the arrays it refers to.

Layout (``docs/snapshot-format.md`` has the whole of it)::

    b"wengert-snapshot-2\\n"   magic and format version
    4 bytes                    CRC-32 of everything after it, big-endian
    8 bytes                    length of the JSON document in bytes, big-endian
    the JSON document          UTF-8; its ``arrays`` list gives each array's dtype and shape
    the array data             each array's bytes in C order, one after the other in the
                               order of that list, each padded with zeros to a multiple
                               of 8 bytes

Reading builds every array with ``np.frombuffer`` from a dtype the document names
(numbers and booleans only): nothing in it is unpickled or evaluated.
"""

from __future__ import annotations

import json
import math
import zlib
from typing import Any

import numpy as np

from backend.store.snapshots import sliced_json

MAGIC = b"wengert-snapshot-2\n"
ALIGNMENT = 8
OWN_COPY_BYTES = 4096
PADDING = [b"\0" * n for n in range(ALIGNMENT)]
NUMERIC_KINDS = frozenset("biufc")  # booleans, integers, floats, complex numbers


class SnapshotUnreadable(Exception):
    """A snapshot that is truncated, altered or written in an unknown format."""


def pack(document: dict[str, Any], arrays: list[np.ndarray]) -> bytes:
    """The snapshot bytes of ``document`` (which must not hold ``arrays`` yet) and ``arrays``,
    referred to in it by their index in the list."""
    entries, blocks = [], []
    for array in arrays:
        # The array's own bytes, not a copy: the snapshot's bytes are joined once, at the end
        # (a timeline makes them megabytes, and each extra copy cost a millisecond or more).
        data = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
        entries.append([array.dtype.str, list(array.shape)])
        blocks.extend((data, PADDING[-data.size % ALIGNMENT]))
    header = sliced_json.dumps({**document, "arrays": entries}).encode()
    rest = [len(header).to_bytes(8, "big"), header, *blocks]
    checksum = 0
    for part in rest:
        checksum = zlib.crc32(part, checksum)
    return b"".join([MAGIC, checksum.to_bytes(4, "big"), *rest])


def unpack(body: bytes) -> tuple[dict[str, Any], list[np.ndarray]]:
    """The document and the arrays of snapshot bytes; raises SnapshotUnreadable."""
    if not body.startswith(MAGIC):
        raise SnapshotUnreadable("it does not start as a format-2 Wengert snapshot")
    start = len(MAGIC) + 4
    if zlib.crc32(memoryview(body)[start:]).to_bytes(4, "big") != body[len(MAGIC) : start]:
        raise SnapshotUnreadable("its checksum does not match (truncated or altered)")
    length = int.from_bytes(body[start : start + 8], "big")
    try:
        document = json.loads(body[start + 8 : start + 8 + length])
        entries = document.pop("arrays")
        arrays = _arrays(memoryview(body)[start + 8 + length :], entries)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise SnapshotUnreadable(f"its document cannot be read: {error}") from error
    return document, arrays


def numeric_dtype(name: str) -> np.dtype:
    """The dtype ``name`` stands for, refused unless it holds plain numbers or booleans."""
    dtype = np.dtype(str(name))
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None:
        raise SnapshotUnreadable(f"the dtype {name!r} is not numeric")
    return dtype


def _arrays(data: memoryview, entries: list[list[Any]]) -> list[np.ndarray]:
    """Each entry's array, read where the one before it ends (rounded up to ALIGNMENT)."""
    layout, offset, dtypes = [], 0, {}
    for name, shape in entries:
        dtype = dtypes.get(name)
        if dtype is None:
            dtype = dtypes[name] = numeric_dtype(name)
        shape = tuple(int(n) for n in shape)
        size = math.prod(shape) * dtype.itemsize
        if min(shape, default=0) < 0 or offset + size > len(data):
            raise ValueError("an array lies beyond the end of the snapshot")
        layout.append((dtype, shape, offset, size))
        offset += size + -size % ALIGNMENT
    # Small arrays (most of them) are views of one writable copy of just their bytes, made
    # at once; a larger one gets a copy of its own, so nothing keeps it alive but itself.
    small = bytearray().join(
        data[start : start + size + -size % ALIGNMENT]
        for _, _, start, size in layout
        if size <= OWN_COPY_BYTES
    )
    arrays, small_offset = [], 0
    for dtype, shape, start, size in layout:
        count = size // dtype.itemsize
        if size <= OWN_COPY_BYTES:
            arrays.append(np.frombuffer(small, dtype, count, small_offset).reshape(shape))
            small_offset += size + -size % ALIGNMENT
        else:
            arrays.append(np.frombuffer(data, dtype, count, start).reshape(shape).copy())
    return arrays
