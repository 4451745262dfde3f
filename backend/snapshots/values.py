"""Plain values (what a gate saves for backward, mostly) as JSON, arrays by reference.

JSON has no tuples, slices, dtypes or NumPy scalars, and a gate's saved state holds them,
so each is written as a one-key object whose key starts with ``$``; an array is written
once, in the snapshot's array list, and every value that holds it refers to its index.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backend.snapshots.container import SnapshotUnreadable, numeric_dtype


class ArrayTable:
    """The arrays of a snapshot being written, each once however often it is referred to."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []
        self._index: dict[int, int] = {}

    def ref(self, array: np.ndarray | None) -> int | None:
        """The index of ``array`` in the table (added on first sight); None stays None."""
        if array is None:
            return None
        index = self._index.get(id(array))
        if index is None:
            # The list holds every array, so no id is reused while the table lives.
            index = self._index[id(array)] = len(self.arrays)
            self.arrays.append(array)
        return index


def encode(value: Any, arrays: ArrayTable) -> Any:
    """``value`` as JSON; raises TypeError for a kind of value the format does not hold."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.ndarray):
        return {"$array": arrays.ref(value)}
    if isinstance(value, np.generic):
        return {"$scalar": [value.dtype.str, value.item()]}
    if isinstance(value, np.dtype):
        return {"$dtype": value.str}
    if isinstance(value, list):
        return [encode(item, arrays) for item in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode(item, arrays) for item in value]}
    if isinstance(value, dict):
        return {"$dict": [[encode(k, arrays), encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, slice):
        return {"$slice": [encode(part, arrays) for part in (value.start, value.stop, value.step)]}
    if value is Ellipsis:
        return {"$ellipsis": None}
    raise TypeError(f"a snapshot cannot hold a {type(value).__name__}")


def decode(value: Any, arrays: list[np.ndarray]) -> Any:
    """The value ``encode`` wrote; raises SnapshotUnreadable for one it cannot have written."""
    if isinstance(value, list):
        return [decode(item, arrays) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise SnapshotUnreadable(f"a value has the keys {sorted(value)}, not one tag")
    ((tag, inner),) = value.items()
    reader = _TAGS.get(tag)
    if reader is None:
        raise SnapshotUnreadable(f"a value has the unknown tag {tag!r}")
    return reader(inner, arrays)


def _scalar(inner: list[Any], _: list[np.ndarray]) -> np.generic:
    dtype_name, number = inner
    return numeric_dtype(dtype_name).type(number)


def _slice(inner: list[Any], arrays: list[np.ndarray]) -> slice:
    return slice(*(decode(part, arrays) for part in inner))


_TAGS = {
    "$array": lambda index, arrays: arrays[index],
    "$scalar": _scalar,
    "$dtype": lambda name, _: numeric_dtype(name),
    "$tuple": lambda items, arrays: tuple(decode(item, arrays) for item in items),
    "$dict": lambda pairs, arrays: {decode(k, arrays): decode(v, arrays) for k, v in pairs},
    "$slice": _slice,
    "$ellipsis": lambda _, __: Ellipsis,
}
