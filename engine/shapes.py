"""Shapes and costs without data: what a gate will produce and how much memory it will take.

As PyTorch's meta tensors and Netron's shape inference do, a gate can answer from its input
shapes, dtypes and params alone (see :meth:`engine.Gate.infer`), so a caller can refuse,
preview or schedule work before any of it is done. Every size here is a Python int, so the
product of absurd dimensions is exact instead of overflowing.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

T = TypeVar("T")

MAX_DIMS = 64
"""The most dimensions a NumPy array can have: a result with more cannot be made."""

MAX_EXTENT = int(np.iinfo(np.intp).max)
"""The most bytes NumPy can address in one array, counting every non-zero size."""

FLOAT64 = np.dtype(np.float64)
"""The dtype of a Variable unless float32 is asked for."""

ARRAY_HEADER_BYTES = 256
"""What each output costs besides its data: an ndarray object with its shape and strides.

It matters for gates whose outputs are views (reshape, split ...): one piece per element of
a long axis is a million array objects, not zero bytes.
"""


@dataclass(frozen=True)
class TensorSpec:
    """The shape and dtype of an array, without its data: a gate's input or output described.

    ``shape`` is kept as a tuple of Python ints (any sequence of integers is accepted);
    ``dtype`` as a :class:`numpy.dtype` (anything ``np.dtype`` takes but None, which NumPy
    would silently read as float64).
    """

    shape: tuple[int, ...]
    dtype: np.dtype = FLOAT64

    def __post_init__(self) -> None:
        shape = tuple(operator.index(n) for n in self.shape)
        if any(n < 0 for n in shape):
            raise ValueError(f"a shape has no negative sizes, got {shape}")
        if self.dtype is None:
            raise TypeError("a spec needs a dtype, not None")
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "dtype", np.dtype(self.dtype))

    @classmethod
    def of(cls, value: Any) -> TensorSpec:
        """The spec of anything with a ``shape`` and a ``dtype``: an array or a Variable."""
        return cls(value.shape, value.dtype)

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return len(self.shape)

    @property
    def size(self) -> int:
        """The number of elements."""
        return math.prod(self.shape)

    @property
    def nbytes(self) -> int:
        """The bytes the elements take."""
        return self.size * self.dtype.itemsize

    def __str__(self) -> str:
        return f"{self.shape} {self.dtype}"


class LazySequence(Sequence[T]):
    """``count`` items made on demand by ``item_at(i)``, in constant memory.

    How a gate with one output per element of an axis (unstack, split) describes a huge
    number of outputs without making them.
    """

    def __init__(self, count: int, item_at: Callable[[int], T]) -> None:
        self.count = count
        self.item_at = item_at

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        positions = range(self.count)[index]
        if isinstance(positions, range):
            return [self.item_at(i) for i in positions]
        return self.item_at(positions)

    def __repr__(self) -> str:
        first = f", first {self.item_at(0)}" if self.count else ""
        return f"LazySequence({self.count} items{first})"


@dataclass(frozen=True)
class GateCost:
    """What a gate's forward will produce, and the most memory it will hold while doing it.

    ``outputs`` has one spec per output, in order. ``bytes`` estimates the peak of memory
    forward allocates: its outputs (only their headers when they are views of an input),
    what it keeps for backward and the buffers it works with (a padded copy, im2col
    columns, temporaries, NumPy's loop buffers), counted as if alive together even where
    forward frees some before making others; the inputs themselves are not counted.
    Inputs are taken as C-contiguous: given a strided view (the output of transpose, or a
    slice), a gate that needs contiguous data may first copy it, at most the input's own
    bytes more.
    """

    outputs: Sequence[TensorSpec]
    bytes: int

    def __post_init__(self) -> None:
        if not isinstance(self.outputs, (tuple, LazySequence)):
            object.__setattr__(self, "outputs", tuple(self.outputs))

    @property
    def output(self) -> TensorSpec:
        """The only output of a single-output gate."""
        (only,) = self.outputs
        return only


def allocating(outputs: Sequence[TensorSpec], *buffers: TensorSpec) -> GateCost:
    """The cost of a forward that makes new ``outputs`` and holds ``buffers`` at its peak."""
    _check_dims(outputs)
    data = sum(spec.nbytes for spec in (*outputs, *buffers))
    return GateCost(outputs, data + ARRAY_HEADER_BYTES * len(outputs))


def viewing(outputs: Sequence[TensorSpec], *buffers: TensorSpec) -> GateCost:
    """The cost of a forward whose ``outputs`` are views of an input, holding ``buffers``."""
    _check_dims(outputs)
    data = sum(spec.nbytes for spec in buffers)
    return GateCost(outputs, data + ARRAY_HEADER_BYTES * len(outputs))


def _check_dims(outputs: Sequence[TensorSpec]) -> None:
    # The outputs of a multi-output gate are pieces of one cut, so the first one tells.
    if len(outputs) and outputs[0].ndim > MAX_DIMS:
        raise ValueError(
            f"the result would have {outputs[0].ndim} dimensions; NumPy allows {MAX_DIMS}"
        )
    # A result with elements is measured by its size, which callers hold against their
    # limits; one without may still be a shape NumPy cannot make.
    if len(outputs) and outputs[0].size == 0:
        check_addressable(outputs[0])


def check_addressable(spec: TensorSpec) -> None:
    """Raise ValueError for a shape NumPy cannot make, even one without elements.

    NumPy multiplies the non-zero sizes and the item size in a signed 64-bit integer (an
    ``intp``): ``(0, 2**62, 2**62)`` holds nothing, yet is refused as too big.
    """
    extent = math.prod(n for n in spec.shape if n) * spec.dtype.itemsize
    if extent > MAX_EXTENT:
        raise ValueError(
            f"a {spec} array is too large for NumPy: its non-zero sizes multiply to "
            f"{extent:,} bytes, over {MAX_EXTENT:,}"
        )


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape NumPy broadcasting gives ``shapes``; raises ValueError when they do not fit."""
    ndim = max(map(len, shapes), default=0)
    result = []
    for axis in range(-ndim, 0):
        sizes = {shape[axis] for shape in shapes if len(shape) >= -axis} - {1}
        if len(sizes) > 1:
            listed = " ".join(map(str, shapes))
            unequal = " ≠ ".join(map(str, sorted(sizes)))
            raise ValueError(
                f"shapes {listed} cannot be broadcast together: {unequal} on axis {axis}"
            )
        result.append(sizes.pop() if sizes else 1)
    return tuple(result)


def reduced_shape(shape: tuple[int, ...], axes: Iterable[int], keepdims: bool) -> tuple[int, ...]:
    """``shape`` with the (non-negative) ``axes`` reduced: kept as 1 or removed."""
    gone = set(axes)
    if keepdims:
        return tuple(1 if i in gone else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in gone)


def reduction_axis(axis: int, ndim: int) -> int:
    """``axis`` as a non-negative int, as NumPy's reductions and np.squeeze read it.

    Raises NumPy's AxisError for an axis the array does not have; a 0-d array takes axis
    0 or -1 as naming the whole of it.
    """
    if ndim == 0 and axis in (0, -1):
        return 0
    return normalize_axis_index(axis, ndim)


def result_dtype(*specs: TensorSpec) -> np.dtype:
    """The dtype NumPy gives an operation on arrays of these specs."""
    return np.result_type(*(spec.dtype for spec in specs))


def loop_buffers(out: TensorSpec, count: int) -> list[TensorSpec]:
    """``count`` buffers NumPy's loops fill in chunks of up to np.getbufsize() elements.

    Elementwise operations buffer each operand they broadcast or cast; np.take_along_axis
    each index it broadcasts (one per axis but the one it takes along).
    """
    return [TensorSpec((min(out.size, np.getbufsize()),), out.dtype)] * count


def broadcast_buffers(out: TensorSpec, *operands: TensorSpec) -> list[TensorSpec]:
    """The buffers of an elementwise operation giving ``out``: one per operand it changes.

    An operand is changed when it is broadcast to ``out``'s shape or cast to its dtype.
    """
    changed = [spec for spec in operands if spec.shape != out.shape or spec.dtype != out.dtype]
    return loop_buffers(out, len(changed))


def cast_copies(dtype: np.dtype, *specs: TensorSpec) -> list[TensorSpec]:
    """The whole copies a matrix product makes to bring operands of other dtypes to ``dtype``.

    Unlike elementwise operations, which cast in small chunks, np.matmul casts an operand
    of another dtype all at once.
    """
    return [TensorSpec(spec.shape, dtype) for spec in specs if spec.dtype != dtype]
