"""Indexing and slicing (``v[0, 1:3]``) as a gate whose index is plain JSON data.

An index spec is a list with one entry per indexed axis, each one of: an int; a slice as
``{"start": int|null, "stop": int|null, "step": int|null}``; ``"..."`` (Ellipsis);
null (a new axis of size 1); or a list of ints (picking those positions, repeats allowed).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.gate import Gate, SmallDiffs, apply
from engine.params import INT_LIST, params_schema
from engine.shapes import GateCost, TensorSpec, allocating, broadcast_shapes, viewing

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable

IndexSpec = list[Any]

_NULLABLE_INT = {"type": ["integer", "null"]}
_SLICE = {
    "type": "object",
    "properties": {"start": _NULLABLE_INT, "stop": _NULLABLE_INT, "step": _NULLABLE_INT},
    "additionalProperties": False,
}
_ENTRY = {"anyOf": [{"type": "integer"}, _SLICE, {"enum": ["..."]}, {"type": "null"}, INT_LIST]}


class GetItemGate(Gate):
    """Index or slice one input, as NumPy does with v[...]; the index is a JSON index spec."""

    name = "getitem"
    torch = "{0}[index({index!r})]"
    arity = 1
    saves_values = False
    params = params_schema(
        ["index"],
        index={
            "type": "array",
            "items": _ENTRY,
            "description": 'per axis: int, {"start","stop","step"}, "...", null or [ints]',
        },
    )

    def __init__(self, *, index: IndexSpec) -> None:
        self.spec = index
        self.key = numpy_index(index)
        # Picking positions by a list may repeat one, so the backward must add, not assign.
        self.repeats = any(isinstance(entry, (list, tuple)) for entry in index)

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.shape, self.dtype = a.shape, a.dtype
        return np.asarray(a[self.key])

    def cost(self, a: TensorSpec) -> GateCost:
        out = TensorSpec(indexed_shape(a.shape, self.spec), a.dtype)
        # Picking positions by a list copies them; ints and slices give a view.
        return allocating([out]) if self.repeats else viewing([out])

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        full = np.zeros(self.shape, dtype=self.dtype)
        if self.repeats:
            np.add.at(full, self.key, payload.variable.grad)
        else:
            full[self.key] = payload.variable.grad
        return [full]


def numpy_index(spec: IndexSpec) -> tuple[Any, ...]:
    """The NumPy index (a tuple) an index spec stands for."""
    return tuple(_numpy_entry(entry) for entry in spec)


def _numpy_entry(entry: Any) -> Any:
    if isinstance(entry, dict):
        return slice(entry.get("start"), entry.get("stop"), entry.get("step"))
    if entry == "...":
        return Ellipsis
    if isinstance(entry, (list, tuple)):
        return np.asarray(entry, dtype=np.intp)
    return entry


def indexed_shape(shape: tuple[int, ...], spec: IndexSpec) -> tuple[int, ...]:
    """The shape of ``a[numpy_index(spec)]`` for an array ``a`` of ``shape``, without ``a``.

    Raises IndexError or ValueError where NumPy would: too many indices, a second "...",
    a position out of bounds, a zero step, lists that do not broadcast together.
    """
    entries = _expanded(spec, len(shape))
    # Once a list is present the ints pick too. The picks' shape takes the place of the
    # picking entries when they stand side by side, else it goes first (NumPy's rule).
    picks = any(isinstance(entry, (list, tuple)) for entry in entries)
    dims: list[int] = []
    picked: list[tuple[int, ...]] = []
    slots: list[tuple[int, int]] = []  # each pick's place among the entries and the dims
    lists: list[tuple[list[int], int, int]] = []
    axes = iter(enumerate(shape))
    for position, entry in enumerate(entries):
        if entry is None:
            dims.append(1)
            continue
        axis, size = next(axes)
        if isinstance(entry, dict):
            dims.append(_slice_length(entry, size))
            continue
        if isinstance(entry, (list, tuple)):
            lists.append((entry, axis, size))
        else:
            _check_positions([entry], axis, size)
        if picks:
            picked.append((len(entry),) if isinstance(entry, (list, tuple)) else ())
            slots.append((position, len(dims)))
    if not picks:
        return tuple(dims)
    pick_shape = broadcast_shapes(*picked)
    # NumPy checks listed positions as it picks them: an empty pick checks none.
    if math.prod(pick_shape):
        for positions, axis, size in lists:
            _check_positions(positions, axis, size)
    (first, at), (last, _) = slots[0], slots[-1]
    if last - first == len(slots) - 1:
        return (*dims[:at], *pick_shape, *dims[at:])
    return (*pick_shape, *dims)


def _expanded(spec: IndexSpec, ndim: int) -> IndexSpec:
    """The spec with "..." replaced by full slices, and full slices for the axes left out."""
    if spec.count("...") > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(entry is not None and entry != "..." for entry in spec)
    if used > ndim:
        raise IndexError(
            f"too many indices for array: array is {ndim}-dimensional, but {used} were indexed"
        )
    full: IndexSpec = [{}] * (ndim - used)
    if "..." not in spec:
        return [*spec, *full]
    at = spec.index("...")
    return [*spec[:at], *full, *spec[at + 1 :]]


def _slice_length(entry: dict[str, int | None], size: int) -> int:
    # range's own len would overflow past sys.maxsize; this arithmetic does not.
    start, stop, step = slice(entry.get("start"), entry.get("stop"), entry.get("step")).indices(
        size
    )
    return max(0, -((start - stop) // step))


def _check_positions(positions: list[int], axis: int, size: int) -> None:
    for i in positions:
        if not -size <= i < size:
            raise IndexError(f"index {i} is out of bounds for axis {axis} with size {size}")


def class_index_buffers(indices: TensorSpec, count: int) -> list[TensorSpec]:
    """What :func:`class_indices` holds for indices of this spec: its result and a check.

    Raises as class_indices would for any index at all when there are no classes.
    """
    if indices.size and not count:
        raise ValueError(f"indices must lie in [0, {count})")
    return [TensorSpec(indices.shape, np.intp), TensorSpec(indices.shape, np.bool_)]


def index_spec(key: Any) -> IndexSpec:
    """The JSON index spec of a Python index such as ``(0, slice(1, 3))`` or ``[0, 2]``."""
    entries = key if isinstance(key, tuple) else (key,)
    return [_spec_entry(entry) for entry in entries]


def _spec_entry(entry: Any) -> Any:
    if isinstance(entry, slice):
        return {
            "start": _int_or_none(entry.start),
            "stop": _int_or_none(entry.stop),
            "step": _int_or_none(entry.step),
        }
    if entry is Ellipsis or entry is None:
        return "..." if entry is Ellipsis else None
    if isinstance(entry, (list, np.ndarray)):
        positions = np.asarray(entry)
        if positions.ndim != 1 or not (positions.size == 0 or positions.dtype.kind in "iu"):
            raise TypeError("getitem: a list index must be a flat list of ints (no masks)")
        return [int(i) for i in positions]
    return _int_or_none(entry)


def _int_or_none(value: Any) -> int | None:
    if value is None or (isinstance(value, (int, np.integer)) and not isinstance(value, bool)):
        return None if value is None else int(value)
    raise TypeError(
        f"getitem: cannot index with {type(value).__name__}; "
        "use ints, slices, ..., None or lists of ints"
    )


def class_indices(values: np.ndarray, count: int) -> np.ndarray:
    """Float ``values`` as integer indices below ``count``; raises unless whole and in range."""
    with np.errstate(invalid="ignore"):  # NaN and inf are reported below, not warned about
        indices = values.astype(np.intp)
    if not np.array_equal(indices, values):
        raise ValueError("indices must be whole numbers")
    if indices.size and (indices.min() < 0 or indices.max() >= count):
        raise ValueError(f"indices must lie in [0, {count})")
    return indices


def getitem(a: Variable, key: Any) -> Variable:
    """``a[key]`` for ints, slices, ``...``, None and lists of ints (see the module doc)."""
    return apply(GetItemGate(index=index_spec(key)), (a,))
