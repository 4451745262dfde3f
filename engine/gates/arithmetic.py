"""Arithmetic gates: elementwise operations that follow NumPy broadcasting, and matmul."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.broadcast import shape_pair, unbroadcast
from engine.gate import ElementwiseGate, Gate, SmallDiffs, apply
from engine.params import param, params_schema
from engine.shapes import (
    GateCost,
    TensorSpec,
    allocating,
    broadcast_buffers,
    broadcast_shapes,
    cast_copies,
    result_dtype,
)

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable


class _BroadcastGate(Gate):
    """A two-input elementwise gate: its output has the shape NumPy broadcasting gives both."""

    arity = 2

    def cost(self, a: TensorSpec, b: TensorSpec) -> GateCost:
        out = TensorSpec(broadcast_shapes(a.shape, b.shape), result_dtype(a, b))
        return allocating([out], *broadcast_buffers(out, a, b))


class AddGate(_BroadcastGate):
    """Elementwise sum a + b, with broadcasting."""

    name = "add"
    torch = "({0} + {1})"
    saves_values = False

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.shapes = shape_pair(a.shape, b.shape)
        return a + b

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        need_a, need_b = self.needs_grad
        return [
            unbroadcast(grad, self.shapes[0]) if need_a else None,
            unbroadcast(grad, self.shapes[1]) if need_b else None,
        ]


class SubGate(_BroadcastGate):
    """Elementwise difference a - b, with broadcasting."""

    name = "sub"
    torch = "({0} - {1})"
    saves_values = False

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.shapes = shape_pair(a.shape, b.shape)
        return a - b

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        need_a, need_b = self.needs_grad
        return [
            unbroadcast(grad, self.shapes[0]) if need_a else None,
            unbroadcast(-grad, self.shapes[1]) if need_b else None,
        ]


class MulGate(_BroadcastGate):
    """Elementwise (Hadamard) product a * b, with broadcasting."""

    name = "mul"
    torch = "({0} * {1})"

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        return a * b

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        need_a, need_b = self.needs_grad
        return [
            unbroadcast(grad * self.b, self.a.shape) if need_a else None,
            unbroadcast(grad * self.a, self.b.shape) if need_b else None,
        ]


class DivGate(_BroadcastGate):
    """Elementwise quotient a / b, with broadcasting."""

    name = "div"
    torch = "({0} / {1})"

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        return a / b

    def backward(self, payload: Payload) -> SmallDiffs:
        grad_over_b = payload.variable.grad / self.b
        need_a, need_b = self.needs_grad
        return [
            unbroadcast(grad_over_b, self.a.shape) if need_a else None,
            unbroadcast(-grad_over_b * self.a / self.b, self.b.shape) if need_b else None,
        ]


class PowGate(_BroadcastGate):
    """Elementwise power a ** b, with broadcasting; the gradient for b needs a > 0."""

    name = "pow"
    torch = "torch.pow({0}, {1})"

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.a, self.b = a, b
        self.out = a**b
        return self.out

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        need_a, need_b = self.needs_grad
        # b * a ** (b - 1) rather than b * out / a, which fails at a = 0.
        return [
            unbroadcast(grad * self.b * self.a ** (self.b - 1), self.a.shape) if need_a else None,
            unbroadcast(grad * self.out * np.log(self.a), self.b.shape) if need_b else None,
        ]


class NegGate(ElementwiseGate):
    """Elementwise negation -a."""

    name = "neg"
    torch = "(-{0})"
    saves_values = False

    def forward(self, a: np.ndarray) -> np.ndarray:
        return -a

    def backward(self, payload: Payload) -> SmallDiffs:
        return [-payload.variable.grad if self.needs_grad[0] else None]


class ExpGate(ElementwiseGate):
    """Elementwise exponential e ** a."""

    name = "exp"
    torch = "torch.exp({0})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.out = np.exp(a)
        return self.out

    def derivative(self) -> np.ndarray:
        return self.out


class LogGate(ElementwiseGate):
    """Elementwise natural logarithm of a (a > 0)."""

    name = "log"
    torch = "torch.log({0})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a = a
        return np.log(a)

    def backward(self, payload: Payload) -> SmallDiffs:
        return [payload.variable.grad / self.a if self.needs_grad[0] else None]


class SqrtGate(ElementwiseGate):
    """Elementwise square root of a (a >= 0)."""

    name = "sqrt"
    torch = "torch.sqrt({0})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.out = np.sqrt(a)
        return self.out

    def backward(self, payload: Payload) -> SmallDiffs:
        return [payload.variable.grad / (2 * self.out) if self.needs_grad[0] else None]


class AbsGate(ElementwiseGate):
    """Elementwise absolute value |a|; its gradient at 0 is 0."""

    name = "abs"
    torch = "torch.abs({0})"

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a = a
        return np.abs(a)

    def derivative(self) -> np.ndarray:
        return np.sign(self.a)


class ClampGate(ElementwiseGate):
    """Elementwise clamp of a into [min, max]; the gradient flows where min <= a <= max."""

    name = "clamp"
    torch = "torch.clamp({0}, min={min!r}, max={max!r})"
    params = params_schema(
        min=param(["number", "null"], "lower bound; null for none", default=None),
        max=param(["number", "null"], "upper bound; null for none", default=None),
    )

    def __init__(self, *, min: float | None = None, max: float | None = None) -> None:
        if min is not None and max is not None and min > max:
            raise ValueError(f"clamp: min ({min}) must not exceed max ({max})")
        self.low = -np.inf if min is None else min
        self.high = np.inf if max is None else max

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a = a
        return np.clip(a, self.low, self.high)

    def derivative(self) -> np.ndarray:
        return (self.a >= self.low) & (self.a <= self.high)


class MatMulGate(Gate):
    """Matrix product a @ b, following np.matmul: 2-D, batched (broadcast) or with a 1-D side."""

    name = "matmul"
    torch = "torch.matmul({0}, {1})"
    arity = 2

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            out = a @ b
        except ValueError:
            # NumPy refuses exactly what _check_matmul does: checking after its refusal
            # gives the clearer message without checking every product.
            _check_matmul(a.shape, b.shape)
            raise
        self.a, self.b = a, b
        return out

    def cost(self, a: TensorSpec, b: TensorSpec) -> GateCost:
        _check_matmul(a.shape, b.shape)
        batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
        # A 1-D side has no rows (a) or columns (b): that axis is not in the result.
        rows, cols = a.shape[-2:-1], b.shape[-1:] if b.ndim > 1 else ()
        dtype = result_dtype(a, b)
        return allocating([TensorSpec((*batch, *rows, *cols), dtype)], *cast_copies(dtype, a, b))

    def backward(self, payload: Payload) -> SmallDiffs:
        if self.a.ndim == 2 and self.b.ndim == 2:  # the common case, without the reshaping
            grad = payload.variable.grad
            need_a, need_b = self.needs_grad
            return [grad @ self.b.T if need_a else None, self.a.T @ grad if need_b else None]
        # Work on the 2-D-or-more forms NumPy uses for 1-D operands, then shape back.
        a = self.a[None, :] if self.a.ndim == 1 else self.a
        b = self.b[:, None] if self.b.ndim == 1 else self.b
        grad = payload.variable.grad
        if self.b.ndim == 1:
            grad = np.expand_dims(grad, -1)
        if self.a.ndim == 1:
            grad = np.expand_dims(grad, -2)
        need_a, need_b = self.needs_grad
        grad_a = unbroadcast(grad @ np.swapaxes(b, -1, -2), a.shape) if need_a else None
        grad_b = unbroadcast(np.swapaxes(a, -1, -2) @ grad, b.shape) if need_b else None
        # Reshape only the 1-D sides: a reshaped view would have to be copied by the tape.
        if grad_a is not None and self.a.ndim == 1:
            grad_a = grad_a.reshape(self.a.shape)
        if grad_b is not None and self.b.ndim == 1:
            grad_b = grad_b.reshape(self.b.shape)
        return [grad_a, grad_b]


def _check_matmul(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    if not a or not b:
        raise ValueError("matmul needs inputs of at least one dimension")
    inner = b[-2 if len(b) > 1 else -1]
    if a[-1] != inner:
        raise ValueError(
            f"the last axis of a must match the second-to-last axis of b: {a[-1]} ≠ {inner}"
        )


def add(a: Variable | float, b: Variable | float) -> Variable:
    """a + b elementwise, with broadcasting."""
    return apply(AddGate(), (a, b))


def sub(a: Variable | float, b: Variable | float) -> Variable:
    """a - b elementwise, with broadcasting."""
    return apply(SubGate(), (a, b))


def mul(a: Variable | float, b: Variable | float) -> Variable:
    """a * b elementwise (Hadamard), with broadcasting."""
    return apply(MulGate(), (a, b))


def div(a: Variable | float, b: Variable | float) -> Variable:
    """a / b elementwise, with broadcasting."""
    return apply(DivGate(), (a, b))


def pow(a: Variable | float, b: Variable | float) -> Variable:
    """a ** b elementwise, with broadcasting."""
    return apply(PowGate(), (a, b))


def neg(a: Variable) -> Variable:
    """-a elementwise."""
    return apply(NegGate(), (a,))


def exp(a: Variable) -> Variable:
    """e ** a elementwise."""
    return apply(ExpGate(), (a,))


def log(a: Variable) -> Variable:
    """Natural logarithm of a, elementwise."""
    return apply(LogGate(), (a,))


def sqrt(a: Variable) -> Variable:
    """Square root of a, elementwise."""
    return apply(SqrtGate(), (a,))


def abs(a: Variable) -> Variable:
    """|a| elementwise."""
    return apply(AbsGate(), (a,))


def clamp(a: Variable, min: float | None = None, max: float | None = None) -> Variable:
    """a clamped into [min, max] elementwise; None leaves that side open."""
    return apply(ClampGate(min=min, max=max), (a,))


def matmul(a: Variable | float, b: Variable | float) -> Variable:
    """Matrix product a @ b: 2-D, batched with broadcasting, or with a 1-D operand."""
    return apply(MatMulGate(), (a, b))
