"""Plain values (what a gate saves for backward, mostly) as JSON, arrays by reference.

A JSON array stands for a tuple, what gates save most (shapes, axes, flags per input).
Lists, dicts, slices, dtypes and NumPy scalars, which JSON lacks or spells the same way,
are each a one-key object whose key starts with ``$``; an array is written once, in the
snapshot's array list, and every value that holds it refers to its index.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backend.store.snapshots.container import SnapshotUnreadable, numeric_dtype


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
    kind = type(value)
    if kind in _PLAIN:
        return value
    writer = _WRITERS.get(kind)
    if writer is None:  # a subclass (a NumPy scalar type, a bool, an IntEnum ...)
        writer = next((w for k, w in _WRITERS.items() if isinstance(value, k)), None)
        if writer is None:
            if isinstance(value, (bool, int, float, str)):
                return value
            raise TypeError(f"a snapshot cannot hold a {kind.__name__}")
    return writer(value, arrays)


_PLAIN = {type(None), bool, int, float, str}
_WRITERS: dict[type, Any] = {
    np.ndarray: lambda value, arrays: {"$array": arrays.ref(value)},
    np.generic: lambda value, _: {"$scalar": [value.dtype.str, value.item()]},
    np.dtype: lambda value, _: {"$dtype": value.str},
    # Gates save tuples far more often than lists: a tuple is the plain JSON array.
    tuple: lambda value, arrays: [encode(item, arrays) for item in value],
    list: lambda value, arrays: {"$list": [encode(item, arrays) for item in value]},
    dict: lambda value, arrays: {
        "$dict": [[encode(k, arrays), encode(v, arrays)] for k, v in value.items()]
    },
    slice: lambda value, arrays: {
        "$slice": [encode(part, arrays) for part in (value.start, value.stop, value.step)]
    },
    type(Ellipsis): lambda _, __: {"$ellipsis": None},
}


def encode_fields(fields: dict[str, Any], arrays: ArrayTable) -> dict[str, Any]:
    """An object's attributes (names that cannot start with ``$``) as a JSON object."""
    return {name: encode(value, arrays) for name, value in fields.items()}


def decode_fields(fields: dict[str, Any], arrays: list[np.ndarray]) -> dict[str, Any]:
    """The attributes ``encode_fields`` wrote."""
    decoded = dict(fields)  # plain numbers, strings and booleans as they are
    for name, value in fields.items():
        kind = type(value)
        if kind is dict:
            # Inlined for the tag nearly every gate holds: loading meets tens of thousands.
            if "$array" in value and len(value) == 1:
                decoded[name] = arrays[value["$array"]]
            else:
                decoded[name] = decode(value, arrays)
        elif kind is list:
            decoded[name] = tuple(_items(value, arrays))
    return decoded


_COMPOUND = (list, dict)


def decode(value: Any, arrays: list[np.ndarray]) -> Any:
    """The value ``encode`` wrote; raises SnapshotUnreadable for one it cannot have written."""
    kind = type(value)
    if kind is list:
        return tuple(_items(value, arrays))
    if kind is not dict:
        return value
    if len(value) != 1:
        raise SnapshotUnreadable(f"a value has the keys {sorted(value)}, not one tag")
    ((tag, inner),) = value.items()
    reader = _TAGS.get(tag)
    if reader is None:
        raise SnapshotUnreadable(f"a value has the unknown tag {tag!r}")
    return reader(inner, arrays)


def _items(items: list[Any], arrays: list[np.ndarray]) -> list[Any]:
    # Most items are plain numbers: skip the call for them (loading makes tens of thousands).
    return [decode(item, arrays) if type(item) in _COMPOUND else item for item in items]


def _scalar(inner: list[Any], _: list[np.ndarray]) -> np.generic:
    dtype_name, number = inner
    return numeric_dtype(dtype_name).type(number)


def _slice(inner: list[Any], arrays: list[np.ndarray]) -> slice:
    return slice(*(decode(part, arrays) for part in inner))


_TAGS = {
    "$array": lambda index, arrays: arrays[index],
    "$scalar": _scalar,
    "$dtype": lambda name, _: numeric_dtype(name),
    "$list": lambda items, arrays: _items(items, arrays),
    "$dict": lambda pairs, arrays: {decode(k, arrays): decode(v, arrays) for k, v in pairs},
    "$slice": _slice,
    "$ellipsis": lambda _, __: Ellipsis,
}
