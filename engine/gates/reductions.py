"""Reduction gates: sum and mean (whole or along axes), max along an axis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from engine.gate import Gate, SmallDiffs, apply
from engine.params import axis_param, param, params_schema
from engine.shapes import GateCost, TensorSpec, allocating, loop_buffers, reduced_shape

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable

Axes = int | list[int] | None

AXES_PARAM = axis_param(
    ["integer", "array", "null"],
    "axis or list of axes to reduce; null reduces every axis",
    default=None,
)
KEEPDIMS_PARAM = param("boolean", "keep reduced axes with size 1", default=False)


class _ReduceGate(Gate):
    """Shared by sum and mean: the reduced axes and spreading a gradient back over them."""

    arity = 1
    saves_values = False
    params = params_schema(axis=AXES_PARAM, keepdims=KEEPDIMS_PARAM)

    def __init__(self, *, axis: Axes = None, keepdims: bool = False) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def reduced_axes(self, ndim: int) -> tuple[int, ...]:
        """The axes this gate reduces in an input of ``ndim`` axes, as non-negative ints."""
        if self.axis is None:
            return tuple(range(ndim))
        return normalize_axis_tuple(self.axis, ndim)

    def cost(self, a: TensorSpec) -> GateCost:
        shape = reduced_shape(a.shape, self.reduced_axes(a.ndim), self.keepdims)
        return allocating([TensorSpec(shape, a.dtype)])

    def spread(self, grad: np.ndarray) -> np.ndarray:
        """Broadcast an output gradient back to the input's shape."""
        if not self.keepdims:
            grad = np.expand_dims(grad, self.axes)
        return np.broadcast_to(grad, self.shape)


class SumGate(_ReduceGate):
    """Sum of a's elements, over every axis or along ``axis``."""

    name = "sum"
    torch = "reduce(torch.sum, {0}, {axis!r}, {keepdims!r})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.shape, self.axes = a.shape, self.reduced_axes(a.ndim)
        return np.sum(a, axis=self.axes, keepdims=self.keepdims)

    def backward(self, payload: Payload) -> SmallDiffs:
        return [self.spread(payload.variable.grad) if self.needs_grad[0] else None]


class MeanGate(_ReduceGate):
    """Mean of a's elements, over every axis or along ``axis``."""

    name = "mean"
    torch = "reduce(torch.mean, {0}, {axis!r}, {keepdims!r})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.shape, self.axes = a.shape, self.reduced_axes(a.ndim)
        self.count = int(np.prod([a.shape[i] for i in self.axes]))
        return np.mean(a, axis=self.axes, keepdims=self.keepdims)

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        return [self.spread(payload.variable.grad / self.count)]


class MaxGate(Gate):
    """Maximum of a along ``axis`` (null: over every element); the gradient goes to the argmax."""

    name = "max"
    torch = "maximum({0}, {axis!r}, {keepdims!r})"
    arity = 1
    saves_values = False  # the argmax is a copy
    params = params_schema(
        axis=axis_param(
            ["integer", "null"], "axis to reduce; null for every element", default=None
        ),
        keepdims=KEEPDIMS_PARAM,
    )

    def __init__(self, *, axis: int | None = None, keepdims: bool = False) -> None:
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.shape = a.shape
        # Over every element is along the only axis of the flattened input.
        source = a.reshape(-1) if self.axis is None else a
        self.source_shape = source.shape
        self.along = 0 if self.axis is None else self.axis
        self.index = np.argmax(source, axis=self.along, keepdims=True)
        out = np.take_along_axis(source, self.index, axis=self.along)
        if self.axis is None:
            return out.reshape((1,) * a.ndim if self.keepdims else ())
        return out if self.keepdims else np.squeeze(out, axis=self.along)

    def cost(self, a: TensorSpec) -> GateCost:
        # As forward: over every element is along the only axis of the flattened input.
        source = a if self.axis is not None else TensorSpec((a.size,), a.dtype)
        along = 0 if self.axis is None else normalize_axis_index(self.axis, a.ndim)
        if source.shape[along] == 0:
            raise ValueError("attempt to get argmax of an empty sequence")
        index = TensorSpec(reduced_shape(source.shape, [along], keepdims=True), np.intp)
        if self.axis is None:
            out = (1,) * a.ndim if self.keepdims else ()
        else:
            out = reduced_shape(a.shape, [along], self.keepdims)
        # np.argmax copies its input to bring the axis it works along to the end.
        moved = [source] if along != source.ndim - 1 else []
        picking = loop_buffers(index, source.ndim - 1)
        return allocating([TensorSpec(out, a.dtype)], index, *moved, *picking)

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        grad = payload.variable.grad
        full = np.zeros(self.source_shape, dtype=grad.dtype)
        np.put_along_axis(full, self.index, grad.reshape(self.index.shape), axis=self.along)
        return [full.reshape(self.shape)]


def sum(a: Variable, axis: Axes = None, keepdims: bool = False) -> Variable:
    """Sum over every axis, or along ``axis`` (an int or a list of ints)."""
    return apply(SumGate(axis=axis, keepdims=keepdims), (a,))


def mean(a: Variable, axis: Axes = None, keepdims: bool = False) -> Variable:
    """Mean over every axis, or along ``axis`` (an int or a list of ints)."""
    return apply(MeanGate(axis=axis, keepdims=keepdims), (a,))


def max(a: Variable, axis: int | None = None, keepdims: bool = False) -> Variable:
    """Maximum along ``axis``, or over every element when ``axis`` is None."""
    return apply(MaxGate(axis=axis, keepdims=keepdims), (a,))
