"""Shape gates: they change the layout of values, never the values.

reshape, flatten, transpose, squeeze, unsqueeze, concat, stack, split, chunk, unstack:
each backward only moves gradients back into the input's layout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from engine.gate import Gate, SmallDiffs, apply
from engine.params import axis_param, param, params_schema
from engine.shapes import (
    GateCost,
    LazySequence,
    TensorSpec,
    allocating,
    reduced_shape,
    reduction_axis,
    result_dtype,
    viewing,
)

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable

AXIS_PARAM = axis_param("integer", "the axis to work along", default=0)


class _RestoreShapeGate(Gate):
    """A one-input gate whose output holds the input's elements in order: backward reshapes."""

    arity = 1
    saves_values = False

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        return [payload.variable.grad.reshape(self.in_shape)]


class ReshapeGate(_RestoreShapeGate):
    """The same elements in a new shape; one entry may be -1 to be inferred."""

    name = "reshape"
    torch = "{0}.reshape({shape!r})"
    params = params_schema(
        ["shape"], shape=param("array", "the new shape", items={"type": "integer"})
    )

    def __init__(self, *, shape: list[int]) -> None:
        self.shape = tuple(shape)

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.in_shape = a.shape
        return a.reshape(self.shape)

    def cost(self, a: TensorSpec) -> GateCost:
        return viewing([TensorSpec(_reshaped(a.size, self.shape), a.dtype)])


class FlattenGate(_RestoreShapeGate):
    """Merge the axes from ``start_axis`` to ``end_axis`` (inclusive) into one."""

    name = "flatten"
    torch = "torch.flatten({0}, {start_axis!r}, {end_axis!r})"
    params = params_schema(
        start_axis=axis_param("integer", "the first axis to merge", default=0),
        end_axis=axis_param("integer", "the last axis to merge", default=-1),
    )

    def __init__(self, *, start_axis: int = 0, end_axis: int = -1) -> None:
        self.start_axis, self.end_axis = start_axis, end_axis

    def flattened(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """``shape`` with the axes from start_axis to end_axis merged into one."""
        if not shape:
            return (1,)
        start = normalize_axis_index(self.start_axis, len(shape))
        end = normalize_axis_index(self.end_axis, len(shape))
        if start > end:
            raise ValueError(f"start_axis {self.start_axis} comes after end_axis {self.end_axis}")
        return (*shape[:start], math.prod(shape[start : end + 1]), *shape[end + 1 :])

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.in_shape = a.shape
        return a.reshape(self.flattened(a.shape))

    def cost(self, a: TensorSpec) -> GateCost:
        return viewing([TensorSpec(self.flattened(a.shape), a.dtype)])


class SqueezeGate(_RestoreShapeGate):
    """Remove axes of size 1: ``axis`` (an int or list) or, when null, every one."""

    name = "squeeze"
    torch = "squeeze({0}, {axis!r})"
    params = params_schema(
        axis=axis_param(
            ["integer", "array", "null"],
            "axis or axes of size 1 to remove; null removes all",
            default=None,
        )
    )

    def __init__(self, *, axis: int | list[int] | None = None) -> None:
        self.axis = tuple(axis) if isinstance(axis, list) else axis

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.in_shape = a.shape
        return np.squeeze(a, axis=self.axis)

    def cost(self, a: TensorSpec) -> GateCost:
        shape = reduced_shape(a.shape, self.squeezed_axes(a.shape), keepdims=False)
        return viewing([TensorSpec(shape, a.dtype)])

    def squeezed_axes(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """The axes removed from an input of ``shape``; raises as np.squeeze does."""
        if self.axis is None:
            return tuple(i for i, n in enumerate(shape) if n == 1)
        if not shape and isinstance(self.axis, int):
            reduction_axis(self.axis, 0)  # 0 or -1 name a 0-d array as a whole
            return ()
        axes = normalize_axis_tuple(self.axis, len(shape))
        if any(shape[i] != 1 for i in axes):
            raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
        return axes


class UnsqueezeGate(_RestoreShapeGate):
    """Insert an axis of size 1 at position ``axis``."""

    name = "unsqueeze"
    torch = "{0}.unsqueeze({axis!r})"
    params = params_schema(["axis"], axis=axis_param("integer", "where the new axis goes"))

    def __init__(self, *, axis: int) -> None:
        self.axis = axis

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.in_shape = a.shape
        return np.expand_dims(a, self.axis)

    def cost(self, a: TensorSpec) -> GateCost:
        at = normalize_axis_index(self.axis, a.ndim + 1)
        return viewing([TensorSpec((*a.shape[:at], 1, *a.shape[at:]), a.dtype)])


class TransposeGate(Gate):
    """Permute the axes by ``axes``; null reverses them (a matrix's transpose)."""

    name = "transpose"
    torch = "transpose({0}, {axes!r})"
    arity = 1
    saves_values = False
    params = params_schema(
        axes=axis_param(["array", "null"], "the new order of the axes", default=None)
    )

    def __init__(self, *, axes: list[int] | None = None) -> None:
        self.axes = None if axes is None else tuple(axes)

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.ndim = a.ndim
        return np.transpose(a, self.axes)

    def cost(self, a: TensorSpec) -> GateCost:
        axes = tuple(reversed(range(a.ndim))) if self.axes is None else self.axes
        if len(axes) != a.ndim:
            raise ValueError("axes don't match array")
        order = normalize_axis_tuple(axes, a.ndim)
        return viewing([TensorSpec(tuple(a.shape[i] for i in order), a.dtype)])

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        axes = range(self.ndim)[::-1] if self.axes is None else self.axes
        return [np.transpose(payload.variable.grad, np.argsort(axes))]


class _JoinGate(Gate):
    """Shared by concat and stack: any number of inputs (at least one) joined along ``axis``."""

    params = params_schema(axis=AXIS_PARAM)
    saves_values = False

    def __init__(self, *, axis: int = 0) -> None:
        self.axis = axis

    def forward(self, *values: np.ndarray) -> np.ndarray:
        if not values:
            raise ValueError("at least one input is needed")
        return self.join(values)

    def join(self, values: tuple[np.ndarray, ...]) -> np.ndarray:
        """The inputs joined into one array."""
        raise NotImplementedError

    def joined_shape(self, shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
        """The shape of the inputs joined, from theirs; raises for shapes that do not fit."""
        raise NotImplementedError

    def cost(self, *specs: TensorSpec) -> GateCost:
        if not specs:
            raise ValueError("at least one input is needed")
        shape = self.joined_shape([spec.shape for spec in specs])
        return allocating([TensorSpec(shape, result_dtype(*specs))])


class ConcatGate(_JoinGate):
    """Join any number of inputs along an existing ``axis``."""

    name = "concat"
    torch = "torch.cat([{inputs}], dim={axis!r})"

    def join(self, values: tuple[np.ndarray, ...]) -> np.ndarray:
        out = np.concatenate(values, axis=self.axis)
        self.bounds = np.cumsum([v.shape[self.axis] for v in values])[:-1]
        return out

    def joined_shape(self, shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
        first = shapes[0]
        if not all(shapes):
            raise ValueError("zero-dimensional arrays cannot be concatenated")
        axis = normalize_axis_index(self.axis, len(first))
        if any(_without(shape, axis) != _without(first, axis) for shape in shapes):
            raise ValueError("the inputs must have the same size on every axis but the joined one")
        return (*first[:axis], sum(shape[axis] for shape in shapes), *first[axis + 1 :])

    def backward(self, payload: Payload) -> SmallDiffs:
        parts = np.split(payload.variable.grad, self.bounds, axis=self.axis)
        return [part if need else None for part, need in zip(parts, self.needs_grad, strict=True)]


class StackGate(_JoinGate):
    """Join any number of same-shaped inputs along a new ``axis``."""

    name = "stack"
    torch = "torch.stack([{inputs}], dim={axis!r})"

    def join(self, values: tuple[np.ndarray, ...]) -> np.ndarray:
        out = np.stack(values, axis=self.axis)
        self.along = normalize_axis_index(self.axis, out.ndim)
        return out

    def joined_shape(self, shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
        first = shapes[0]
        if any(shape != first for shape in shapes):
            raise ValueError("all input arrays must have the same shape")
        along = normalize_axis_index(self.axis, len(first) + 1)
        return (*first[:along], len(shapes), *first[along:])

    def backward(self, payload: Payload) -> SmallDiffs:
        parts = np.moveaxis(payload.variable.grad, self.along, 0)
        return [part if need else None for part, need in zip(parts, self.needs_grad, strict=True)]


class _SplitGate(Gate):
    """Cut one input into pieces along ``axis``: a multi-output gate (``PayloadKind.SEQ``)."""

    arity = 1
    saves_values = False
    multi_output = True

    axis: int

    def sizes(self, length: int) -> Sequence[int]:
        """The length of each piece, given the length of the axis being cut."""
        raise NotImplementedError

    def forward(self, a: np.ndarray) -> list[np.ndarray]:
        self.along = normalize_axis_index(self.axis, a.ndim)
        bounds = np.cumsum(list(self.sizes(a.shape[self.along])))[:-1]
        return np.split(a, bounds, axis=self.along)

    def cost(self, a: TensorSpec) -> GateCost:
        along = normalize_axis_index(self.axis, a.ndim)
        sizes = self.sizes(a.shape[along])

        def piece(i: int) -> TensorSpec:
            return TensorSpec((*a.shape[:along], sizes[i], *a.shape[along + 1 :]), a.dtype)

        return viewing(LazySequence(len(sizes), piece))

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        # Pieces nobody used get zeros (``grad`` allocates them) so the layout stays whole.
        return [np.concatenate([out.grad for out in payload.sequence], axis=self.along)]


class SplitGate(_SplitGate):
    """Cut along ``axis`` into pieces of the given ``sizes``, or all of one size (an int).

    With one size the last piece may be shorter.
    """

    name = "split"
    torch = None
    params = params_schema(
        ["sizes"],
        sizes=param(
            ["integer", "array"],
            "the size of every piece, or a list of sizes",
            items={"type": "integer", "minimum": 1},
            minimum=1,
        ),
        axis=AXIS_PARAM,
    )

    def __init__(self, *, sizes: int | list[int], axis: int = 0) -> None:
        self.piece_sizes, self.axis = sizes, axis

    def sizes(self, length: int) -> Sequence[int]:
        if isinstance(self.piece_sizes, int):
            return _even_pieces(length, self.piece_sizes)
        if sum(self.piece_sizes) != length:
            raise ValueError(f"sizes {self.piece_sizes} do not add up to the axis length {length}")
        return list(self.piece_sizes) or [0]  # no sizes for an empty axis: one empty piece


class ChunkGate(_SplitGate):
    """Cut along ``axis`` into ``chunks`` pieces of equal size.

    As torch.chunk: the last piece may be shorter, and fewer pieces may result.
    """

    name = "chunk"
    torch = None
    params = params_schema(
        ["chunks"],
        chunks=param("integer", "how many pieces", minimum=1),
        axis=AXIS_PARAM,
    )

    def __init__(self, *, chunks: int, axis: int = 0) -> None:
        self.chunks, self.axis = chunks, axis

    def sizes(self, length: int) -> Sequence[int]:
        return _even_pieces(length, max(1, -(-length // self.chunks)))


class UnstackGate(Gate):
    """Cut along ``axis`` into one output per index, the axis removed: a multi-output gate."""

    name = "unstack"
    torch = None
    arity = 1
    saves_values = False
    multi_output = True
    params = params_schema(axis=AXIS_PARAM)

    def __init__(self, *, axis: int = 0) -> None:
        self.axis = axis

    def forward(self, a: np.ndarray) -> list[np.ndarray]:
        self.along = normalize_axis_index(self.axis, a.ndim)
        return list(np.moveaxis(a, self.along, 0))

    def cost(self, a: TensorSpec) -> GateCost:
        along = normalize_axis_index(self.axis, a.ndim)
        piece = TensorSpec(reduced_shape(a.shape, [along], keepdims=False), a.dtype)
        return viewing(LazySequence(a.shape[along], lambda _: piece))

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        return [np.stack([out.grad for out in payload.sequence], axis=self.along)]


def _even_pieces(length: int, size: int) -> LazySequence[int]:
    """The lengths of ``size``-long pieces cut from an axis of ``length``, made on demand.

    The last piece may be shorter; an empty axis gives one empty piece.
    """
    return LazySequence(max(1, -(-length // size)), lambda i: min(size, length - i * size))


def _reshaped(size: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """``shape`` with its one negative entry, if any, worked out from ``size`` as NumPy does."""
    unknown = [i for i, n in enumerate(shape) if n < 0]
    if len(unknown) > 1:
        raise ValueError("can only specify one unknown dimension")
    known = math.prod(n for n in shape if n >= 0)
    if unknown and known and size % known == 0:
        return tuple(size // known if n < 0 else n for n in shape)
    if unknown or known != size:
        raise ValueError(f"cannot reshape array of size {size} into shape {shape}")
    return shape


def _without(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    return shape[:axis] + shape[axis + 1 :]


def reshape(a: Variable, *shape: int | list[int] | tuple[int, ...]) -> Variable:
    """The same elements in ``shape``, given as ints or one list; one entry may be -1."""
    dims = (
        list(shape[0]) if len(shape) == 1 and isinstance(shape[0], (list, tuple)) else list(shape)
    )
    return apply(ReshapeGate(shape=dims), (a,))


def flatten(a: Variable, start_axis: int = 0, end_axis: int = -1) -> Variable:
    """Merge the axes from ``start_axis`` to ``end_axis`` into one."""
    return apply(FlattenGate(start_axis=start_axis, end_axis=end_axis), (a,))


def transpose(a: Variable, axes: list[int] | None = None) -> Variable:
    """Permute the axes; None reverses them."""
    return apply(TransposeGate(axes=axes), (a,))


def squeeze(a: Variable, axis: int | list[int] | None = None) -> Variable:
    """Remove axes of size 1 (``axis``, or every one)."""
    return apply(SqueezeGate(axis=axis), (a,))


def unsqueeze(a: Variable, axis: int) -> Variable:
    """Insert an axis of size 1 at ``axis``."""
    return apply(UnsqueezeGate(axis=axis), (a,))


def concat(*inputs: Variable | Sequence[Variable], axis: int = 0) -> Variable:
    """Join the inputs along an existing ``axis``: separate arguments or one list of them,
    as ``torch.cat`` and ``np.concatenate`` take."""
    return apply(ConcatGate(axis=axis), _listed(inputs))


def stack(*inputs: Variable | Sequence[Variable], axis: int = 0) -> Variable:
    """Join same-shaped inputs along a new ``axis``: separate arguments or one list."""
    return apply(StackGate(axis=axis), _listed(inputs))


def _listed(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        return tuple(inputs[0])
    return inputs


def split(a: Variable, sizes: int | list[int], axis: int = 0) -> list[Variable]:
    """Cut into pieces of ``sizes`` along ``axis``; see :class:`SplitGate`."""
    return apply(SplitGate(sizes=sizes, axis=axis), (a,))


def chunk(a: Variable, chunks: int, axis: int = 0) -> list[Variable]:
    """Cut into ``chunks`` near-equal pieces along ``axis``."""
    return apply(ChunkGate(chunks=chunks, axis=axis), (a,))


def unstack(a: Variable, axis: int = 0) -> list[Variable]:
    """One Variable per index along ``axis``, that axis removed."""
    return apply(UnstackGate(axis=axis), (a,))
