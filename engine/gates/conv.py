"""Convolution and pooling gates on (batch, channels, height, width) inputs: conv2d, maxpool2d.

Both cut the padded input into windows with a strided view (im2col); conv2d is then one
matrix product, and each backward scatters the window gradients back with one strided
add per kernel position, so no Python loop runs over the pixels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine.gate import Gate, SmallDiffs, apply
from engine.gates.layers import zeros_bias
from engine.params import param, params_schema
from engine.shapes import (
    GateCost,
    TensorSpec,
    allocating,
    broadcast_buffers,
    cast_copies,
    loop_buffers,
    result_dtype,
)

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable

Pair = int | list[int]


def _pair_param(description: str, minimum: int, **extra: object) -> dict[str, object]:
    items = {"type": "integer", "minimum": minimum}
    return param(
        ["integer", "array"],
        description,
        items=items,
        minimum=minimum,
        minItems=2,
        maxItems=2,
        **extra,
    )


def _pair(value: Pair, what: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2:
        raise ValueError(f"{what} must be an int or a list of two ints, got {value!r}")
    return pair


class _WindowGate(Gate):
    """Shared by conv2d and maxpool2d: padding, the window view and scattering back.

    Bounds on the params, checked against the input before any work: the padding is at
    most the input's own size on each axis (so the padded input is at most three times
    as long, and no number in a request can grow the work past what the inputs imply),
    and the kernel fits in the padded input.
    """

    padding: tuple[int, int]
    stride: tuple[int, int]

    def windows(self, x: np.ndarray, kernel: tuple[int, int], fill: float) -> np.ndarray:
        """The (N, C, OH, OW, KH, KW) windows of ``x`` padded with ``fill``; a view, not a copy."""
        self.window_specs(TensorSpec.of(x), kernel)
        (ph, pw), (sh, sw) = self.padding, self.stride
        self.in_shape = x.shape
        padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
        return sliding_window_view(padded, kernel, axis=(2, 3))[:, :, ::sh, ::sw]

    def window_specs(self, x: TensorSpec, kernel: tuple[int, int]) -> tuple[TensorSpec, TensorSpec]:
        """The padded input and its (N, C, OH, OW, KH, KW) windows, checked as forward needs.

        Forward makes the padded input, and a copy of the windows (im2col) from it.
        """
        if x.ndim != 4:
            raise ValueError("the input must be (batch, channels, height, width)")
        n, c, *size = x.shape
        if any(p > length for p, length in zip(self.padding, size, strict=True)):
            raise ValueError(f"the padding {self.padding} is larger than the input {tuple(size)}")
        padded = [length + 2 * p for length, p in zip(size, self.padding, strict=True)]
        if any(k > length for k, length in zip(kernel, padded, strict=True)):
            raise ValueError(f"the kernel {kernel} is larger than the padded input")
        steps = [
            (length - k) // s + 1 for length, k, s in zip(padded, kernel, self.stride, strict=True)
        ]
        return TensorSpec((n, c, *padded), x.dtype), TensorSpec((n, c, *steps, *kernel), x.dtype)

    def scatter(self, window_grads: np.ndarray) -> np.ndarray:
        """Add (N, C, OH, OW, KH, KW) window gradients back into the input's layout."""
        n, c, oh, ow, kh, kw = window_grads.shape
        (ph, pw), (sh, sw) = self.padding, self.stride
        h, w = self.in_shape[2:]
        full = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=window_grads.dtype)
        for i in range(kh):
            for j in range(kw):
                full[:, :, i : i + sh * oh : sh, j : j + sw * ow : sw] += window_grads[..., i, j]
        return full[:, :, ph : ph + h, pw : pw + w]


class Conv2dGate(_WindowGate):
    """2-D cross-correlation: x (N, C, H, W), weight (F, C, KH, KW), bias (F,) -> (N, F, OH, OW)."""

    name = "conv2d"
    torch = (
        "torch.nn.functional.conv2d({inputs}, stride=pair({stride!r}), padding=pair({padding!r}))"
    )
    arity = 3
    params = params_schema(
        stride=_pair_param("step between windows: an int or [rows, cols]", 1, default=1),
        padding=_pair_param("zeros added on each side: an int or [rows, cols]", 0, default=0),
    )

    def __init__(self, *, stride: Pair = 1, padding: Pair = 0) -> None:
        self.stride = _pair(stride, "conv2d stride")
        self.padding = _pair(padding, "conv2d padding")

    def forward(self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
        _check_conv_shapes(x.shape, weight.shape, bias.shape)
        windows = self.windows(x, weight.shape[2:], 0.0)
        n, c, oh, ow, kh, kw = windows.shape
        f = weight.shape[0]
        # im2col: one row per output pixel, one column per (channel, kernel row, kernel col).
        # Sizes are spelled out rather than -1, which NumPy cannot resolve for empty arrays.
        self.cols = windows.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
        self.weight = weight
        out = self.cols @ weight.reshape(f, c * kh * kw).T
        out += bias
        return np.ascontiguousarray(out.reshape(n, oh, ow, f).transpose(0, 3, 1, 2))

    def cost(self, x: TensorSpec, weight: TensorSpec, bias: TensorSpec) -> GateCost:
        _check_conv_shapes(x.shape, weight.shape, bias.shape)
        padded, cols = self.window_specs(x, weight.shape[2:])
        dtype = result_dtype(x, weight)
        out = TensorSpec((x.shape[0], weight.shape[0], *cols.shape[2:4]), dtype)
        # The padded input, the im2col columns kept for backward, and the product before it
        # is laid out as (N, F, OH, OW).
        return allocating(
            [out],
            padded,
            cols,
            out,
            *cast_copies(dtype, cols, weight),
            *broadcast_buffers(out, bias),
        )

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        n, f, oh, ow = grad.shape
        rows = grad.transpose(0, 2, 3, 1).reshape(-1, f)
        need_x, need_weight, need_bias = self.needs_grad
        grad_x = None
        if need_x:
            cols = rows @ self.weight.reshape(f, -1)
            c, kh, kw = self.weight.shape[1:]
            grad_x = self.scatter(cols.reshape(n, oh, ow, c, kh, kw).transpose(0, 3, 1, 2, 4, 5))
        return [
            grad_x,
            (rows.T @ self.cols).reshape(self.weight.shape) if need_weight else None,
            rows.sum(axis=0) if need_bias else None,
        ]


class MaxPool2dGate(_WindowGate):
    """Maximum over each kernel_size window of x (N, C, H, W); the gradient goes to each argmax."""

    name = "maxpool2d"
    torch = (
        "torch.nn.functional.max_pool2d({0}, pair({kernel_size!r}), "
        "stride=pair({stride!r} or {kernel_size!r}), padding=pair({padding!r}))"
    )
    arity = 1
    params = params_schema(
        ["kernel_size"],
        kernel_size=_pair_param("window size: an int or [rows, cols]", 1),
        stride=param(
            ["integer", "array", "null"],
            "step between windows; null for kernel_size",
            items={"type": "integer", "minimum": 1},
            minimum=1,
            default=None,
        ),
        padding=_pair_param("-inf added on each side: an int or [rows, cols]", 0, default=0),
    )

    def __init__(self, *, kernel_size: Pair, stride: Pair | None = None, padding: Pair = 0) -> None:
        self.kernel = _pair(kernel_size, "maxpool2d kernel_size")
        self.stride = self.kernel if stride is None else _pair(stride, "maxpool2d stride")
        self.padding = _pair(padding, "maxpool2d padding")
        if any(2 * p > k for p, k in zip(self.padding, self.kernel, strict=True)):
            raise ValueError("maxpool2d: padding must be at most half the kernel_size")

    def forward(self, x: np.ndarray) -> np.ndarray:
        windows = self.windows(x, self.kernel, -np.inf)
        flat = windows.reshape((*windows.shape[:4], windows.shape[4] * windows.shape[5]))
        self.argmax = np.argmax(flat, axis=-1)
        return np.take_along_axis(flat, self.argmax[..., None], axis=-1)[..., 0]

    def cost(self, x: TensorSpec) -> GateCost:
        padded, windows = self.window_specs(x, self.kernel)
        out = TensorSpec(windows.shape[:4], x.dtype)
        argmax = TensorSpec(out.shape, np.intp)
        # The padded input, its windows flattened (a copy), the argmax kept for backward and
        # what np.take_along_axis needs to pick with it.
        return allocating([out], padded, windows, argmax, *loop_buffers(argmax, 4))

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        grad = payload.variable.grad
        kh, kw = self.kernel
        picked = self.argmax[..., None] == np.arange(kh * kw)
        window_grads = (grad[..., None] * picked).reshape((*grad.shape, kh, kw))
        return [self.scatter(window_grads)]


def _check_conv_shapes(x: tuple[int, ...], weight: tuple[int, ...], bias: tuple[int, ...]) -> None:
    if len(weight) != 4 or len(x) != 4 or weight[1] != x[1]:
        raise ValueError("weight must be (filters, channels, kh, kw) with x's channel count")
    if bias != weight[:1]:
        raise ValueError("bias must be (filters,)")


def conv2d(
    x: Variable, weight: Variable, bias: Variable | None = None, stride: Pair = 1, padding: Pair = 0
) -> Variable:
    """2-D convolution (cross-correlation) of x (N, C, H, W) with weight (F, C, KH, KW)."""
    bias = zeros_bias(weight) if bias is None else bias
    return apply(Conv2dGate(stride=stride, padding=padding), (x, weight, bias))


def maxpool2d(
    x: Variable, kernel_size: Pair, stride: Pair | None = None, padding: Pair = 0
) -> Variable:
    """Maximum over kernel_size windows of x (N, C, H, W); stride defaults to kernel_size."""
    return apply(MaxPool2dGate(kernel_size=kernel_size, stride=stride, padding=padding), (x,))
