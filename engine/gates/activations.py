"""Activation gates: relu, leaky_relu, sigmoid, tanh, softmax, log_softmax, gelu."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from engine.gate import ElementwiseGate, Gate, SmallDiffs, apply
from engine.params import axis_param, param, params_schema
from engine.shapes import (
    GateCost,
    TensorSpec,
    allocating,
    loop_buffers,
    reduced_shape,
    reduction_axis,
)

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable

AXIS_PARAM = axis_param("integer", "the axis the probabilities are taken along", default=-1)


class ReluGate(ElementwiseGate):
    """Rectified linear unit max(a, 0); its gradient at 0 is 0."""

    name = "relu"
    torch = "torch.relu({0})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.out = np.maximum(a, 0)
        return self.out

    def derivative(self) -> np.ndarray:
        return self.out > 0


class LeakyReluGate(ElementwiseGate):
    """Leaky ReLU: a where a > 0, slope * a elsewhere."""

    name = "leaky_relu"
    torch = "torch.nn.functional.leaky_relu({0}, {slope!r})"
    saves_values = False  # a mask of its own
    params = params_schema(
        slope=param("number", "the slope for negative inputs", default=0.01),
    )

    def __init__(self, *, slope: float = 0.01) -> None:
        self.slope = slope

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.positive = a > 0
        return np.where(self.positive, a, self.slope * a)

    def cost(self, a: TensorSpec) -> GateCost:
        # The mask kept for backward and slope * a.
        return allocating([a], TensorSpec(a.shape, np.bool_), a)

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        grad = payload.variable.grad
        return [np.where(self.positive, grad, self.slope * grad)]


class SigmoidGate(ElementwiseGate):
    """Logistic sigmoid 1 / (1 + e ** -a)."""

    name = "sigmoid"
    torch = "torch.sigmoid({0})"
    temporaries = 1  # sigmoid_of holds two arrays at once

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.out = sigmoid_of(a)
        return self.out

    def derivative(self) -> np.ndarray:
        return self.out * (1 - self.out)


class TanhGate(ElementwiseGate):
    """Hyperbolic tangent."""

    name = "tanh"
    torch = "torch.tanh({0})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.out = np.tanh(a)
        return self.out

    def derivative(self) -> np.ndarray:
        return 1 - self.out * self.out


class GeluGate(ElementwiseGate):
    """Gaussian error linear unit a Φ(a), as PyTorch's ``gelu``: with ``approximate="tanh"``
    (the default here) a/2 (1 + tanh(√(2/π)(a + 0.044715 a³))); with ``"none"`` the exact
    a/2 (1 + erf(a/√2)), PyTorch's own default."""

    name = "gelu"
    torch = "torch.nn.functional.gelu({0}, approximate={approximate!r})"
    params = params_schema(
        approximate=param(
            "string",
            "'tanh' for the tanh formula, 'none' for erf",
            enum=["tanh", "none"],
            default="tanh",
        ),
    )

    temporaries = 3  # tanh(...) or Φ kept for backward, 0.5 a and 1 + tanh(...)

    _K = math.sqrt(2 / math.pi)
    _C = 0.044715

    def __init__(self, *, approximate: str = "tanh") -> None:
        self.approximate = approximate

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a = a
        if self.approximate == "none":
            self.cdf = 0.5 * (1 + _erf(a / math.sqrt(2)))
            return a * self.cdf
        self.t = np.tanh(self._K * (a + self._C * a**3))
        return 0.5 * a * (1 + self.t)

    def derivative(self) -> np.ndarray:
        a = self.a
        if self.approximate == "none":
            return self.cdf + a * np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)
        t = self.t
        inner = self._K * (1 + 3 * self._C * a * a)
        return 0.5 * (1 + t) + 0.5 * a * (1 - t * t) * inner


def _erf(a: np.ndarray) -> np.ndarray:
    # NumPy has no erf; math.erf is exact, and its per-element loop matters little beside
    # a model's matmuls.
    return np.asarray(np.frompyfunc(math.erf, 1, 1)(a), dtype=a.dtype)


class _AlongAxisGate(Gate):
    """Shared by softmax and log_softmax: one input, probabilities taken along ``axis``."""

    arity = 1
    params = params_schema(axis=AXIS_PARAM)

    def __init__(self, *, axis: int = -1) -> None:
        self.axis = axis

    def cost(self, a: TensorSpec) -> GateCost:
        return allocating([a], *along_axis_buffers(a, self.axis))


class SoftmaxGate(_AlongAxisGate):
    """Softmax along ``axis``: e ** a normalised to sum to 1."""

    name = "softmax"
    torch = "torch.softmax({0}, dim={axis!r})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.out = softmax_of(a, self.axis)
        return self.out

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        grad, y = payload.variable.grad, self.out
        return [y * (grad - (grad * y).sum(axis=self.axis, keepdims=True))]


class LogSoftmaxGate(_AlongAxisGate):
    """Log of the softmax along ``axis``, computed stably."""

    name = "log_softmax"
    torch = "torch.log_softmax({0}, dim={axis!r})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.out = log_softmax_of(a, self.axis)
        return self.out

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        grad = payload.variable.grad
        return [grad - np.exp(self.out) * grad.sum(axis=self.axis, keepdims=True)]


def along_axis_buffers(a: TensorSpec, axis: int) -> list[TensorSpec]:
    """What softmax_of and log_softmax_of hold at once besides their result.

    The shifted input or its exponential, the maximum and the sum along ``axis``, and the
    buffer for broadcasting them back; raises as they do for an axis that is not there or
    has no element.
    """
    along = reduction_axis(axis, a.ndim)
    if a.ndim and a.shape[along] == 0:
        raise ValueError("zero-size array to reduction operation maximum which has no identity")
    sums = TensorSpec(reduced_shape(a.shape, [along], keepdims=True), a.dtype)
    return [a, sums, sums, *loop_buffers(a, 1)]


def sigmoid_of(a: np.ndarray) -> np.ndarray:
    """The logistic sigmoid of an array, without overflow for large |a|."""
    return 0.5 + 0.5 * np.tanh(0.5 * a)


# The reductions below call the ufuncs' reduce directly: it is what ndarray.max and .sum
# run, without their Python wrapper, which costs more than the work on a playground's arrays.


def log_softmax_of(a: np.ndarray, axis: int) -> np.ndarray:
    """log(softmax(a)) along ``axis``, shifted by the maximum so exp cannot overflow."""
    shifted = a - np.maximum.reduce(a, axis=axis, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


def softmax_of(a: np.ndarray, axis: int) -> np.ndarray:
    """softmax(a) along ``axis``, shifted by the maximum so exp cannot overflow."""
    e = np.exp(a - np.maximum.reduce(a, axis=axis, keepdims=True))
    return e / np.add.reduce(e, axis=axis, keepdims=True)


def relu(a: Variable) -> Variable:
    """max(a, 0) elementwise."""
    return apply(ReluGate(), (a,))


def leaky_relu(a: Variable, slope: float = 0.01) -> Variable:
    """a where positive, slope * a elsewhere."""
    return apply(LeakyReluGate(slope=slope), (a,))


def sigmoid(a: Variable) -> Variable:
    """1 / (1 + e ** -a) elementwise."""
    return apply(SigmoidGate(), (a,))


def tanh(a: Variable) -> Variable:
    """Hyperbolic tangent elementwise."""
    return apply(TanhGate(), (a,))


def gelu(a: Variable, approximate: str = "tanh") -> Variable:
    """GELU elementwise: the tanh approximation, or exact with ``approximate="none"``."""
    return apply(GeluGate(approximate=approximate), (a,))


def softmax(a: Variable, axis: int = -1) -> Variable:
    """Softmax along ``axis``."""
    return apply(SoftmaxGate(axis=axis), (a,))


def log_softmax(a: Variable, axis: int = -1) -> Variable:
    """log(softmax(a)) along ``axis``, computed stably."""
    return apply(LogSoftmaxGate(axis=axis), (a,))
