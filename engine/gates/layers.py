"""Layer gates: linear, embedding, layer_norm, gru_cell and dropout.

Weights follow PyTorch's layout: a linear weight is (out_features, in_features).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.gate import Gate, SmallDiffs, apply
from engine.gates.activations import sigmoid_of
from engine.gates.indexing import class_index_buffers, class_indices
from engine.params import param, params_schema
from engine.shapes import (
    GateCost,
    TensorSpec,
    allocating,
    broadcast_buffers,
    cast_copies,
    result_dtype,
    viewing,
)

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable


class LinearGate(Gate):
    """Affine map x @ weight.T + bias: x (..., in), weight (out, in), bias (out,)."""

    name = "linear"
    torch = "torch.nn.functional.linear({inputs})"
    arity = 3

    def forward(self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
        _check_linear_shapes(x.shape, weight.shape, bias.shape)
        self.x, self.weight = x, weight
        out = x @ weight.T
        out += bias  # in place: the matmul result is ours, so no second temporary
        return out

    def cost(self, x: TensorSpec, weight: TensorSpec, bias: TensorSpec) -> GateCost:
        _check_linear_shapes(x.shape, weight.shape, bias.shape)
        dtype = result_dtype(x, weight)
        out = TensorSpec((*x.shape[:-1], weight.shape[0]), dtype)
        return allocating([out], *cast_copies(dtype, x, weight), *broadcast_buffers(out, bias))

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        need_x, need_weight, need_bias = self.needs_grad
        rows = grad.reshape(-1, grad.shape[-1])
        return [
            grad @ self.weight if need_x else None,
            rows.T @ self.x.reshape(-1, self.x.shape[-1]) if need_weight else None,
            rows.sum(axis=0) if need_bias else None,
        ]


def _check_linear_shapes(
    x: tuple[int, ...], weight: tuple[int, ...], bias: tuple[int, ...]
) -> None:
    if not x or len(weight) != 2 or x[-1] != weight[1]:
        raise ValueError("x must be (..., in) and weight (out, in)")
    if bias != weight[:1]:
        raise ValueError("bias must be (out,), one entry per row of weight")


class EmbeddingGate(Gate):
    """Rows of weight (vocabulary, dim) picked by whole-number indices of any shape."""

    name = "embedding"
    torch = None
    arity = 2

    def forward(self, indices: np.ndarray, weight: np.ndarray) -> np.ndarray:
        if weight.ndim != 2:
            raise ValueError("weight must be (vocabulary, dim)")
        self.indices = class_indices(indices, weight.shape[0])
        self.weight_shape = weight.shape
        return weight[self.indices]

    def cost(self, indices: TensorSpec, weight: TensorSpec) -> GateCost:
        if weight.ndim != 2:
            raise ValueError("weight must be (vocabulary, dim)")
        buffers = class_index_buffers(indices, weight.shape[0])
        return allocating([TensorSpec((*indices.shape, weight.shape[1]), weight.dtype)], *buffers)

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[1]:
            return [None, None]
        grad = payload.variable.grad
        full = np.zeros(self.weight_shape, dtype=grad.dtype)
        # A row picked twice gets both gradients: add.at does not drop repeats.
        np.add.at(full, self.indices, grad)
        return [None, full]


class LayerNormGate(Gate):
    """Layer normalization, as PyTorch's ``layer_norm``: x (..., *S) normalized over its
    last axes S (the shape of weight and bias) to mean 0 and variance 1 (biased, plus
    ``eps``), then scaled by weight and shifted by bias, elementwise."""

    name = "layer_norm"
    torch = "torch.nn.functional.layer_norm({0}, tuple({1}.shape), {1}, {2}, eps={eps!r})"
    arity = 3
    params = params_schema(
        eps=param(
            "number",
            "added to the variance before its square root",
            default=1e-5,
            exclusiveMinimum=0,
        ),
    )

    def __init__(self, *, eps: float = 1e-5) -> None:
        self.eps = eps

    def forward(self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
        self.axes = _normalized_axes(x.shape, weight.shape, bias.shape)
        # In place where it can be: two arrays of x's size at the peak, not four.
        normalized = x - x.mean(axis=self.axes, keepdims=True)
        variance = np.square(normalized).mean(axis=self.axes, keepdims=True)
        self.inv_std = 1 / np.sqrt(variance + self.eps)
        normalized *= self.inv_std
        self.normalized, self.weight = normalized, weight
        out = normalized * weight
        out += bias
        return out

    def cost(self, x: TensorSpec, weight: TensorSpec, bias: TensorSpec) -> GateCost:
        axes = _normalized_axes(x.shape, weight.shape, bias.shape)
        out = TensorSpec(x.shape, result_dtype(x, weight))  # bias is added in place, as linear's
        normalized = TensorSpec(x.shape, x.dtype)
        stats = TensorSpec(tuple(1 if i in axes else n for i, n in enumerate(x.shape)), x.dtype)
        # The normalized x (kept), the mean and the inverse deviation, and the buffers of
        # the broadcasts by them, by weight and by bias.
        buffers = [*broadcast_buffers(normalized, stats), *broadcast_buffers(out, weight, bias)]
        return allocating([out], normalized, stats, stats, *buffers)

    def backward(self, payload: Payload) -> SmallDiffs:
        grad, axes, normalized = payload.variable.grad, self.axes, self.normalized
        need_x, need_weight, need_bias = self.needs_grad
        leading = tuple(range(grad.ndim - len(axes)))
        grad_x = None
        if need_x:
            scaled = grad * self.weight
            grad_x = self.inv_std * (
                scaled
                - scaled.mean(axis=axes, keepdims=True)
                - normalized * (scaled * normalized).mean(axis=axes, keepdims=True)
            )
        return [
            grad_x,
            (grad * normalized).sum(axis=leading) if need_weight else None,
            grad.sum(axis=leading) if need_bias else None,
        ]


def _normalized_axes(
    x: tuple[int, ...], weight: tuple[int, ...], bias: tuple[int, ...]
) -> tuple[int, ...]:
    if not weight or weight != bias or x[len(x) - len(weight) :] != weight:
        raise ValueError("weight and bias must both have the shape of x's last axes")
    return tuple(range(len(x) - len(weight), len(x)))


class GruCellGate(Gate):
    """One GRU step, as PyTorch's GRUCell.

    x (B, in), h (B, H), w_ih (3H, in), w_hh (3H, H), b_ih and b_hh (3H,).

    Gates in order reset r, update z, new n; the next hidden state is (1 - z) n + z h.
    """

    name = "gru_cell"
    torch = None
    arity = 6

    def forward(
        self,
        x: np.ndarray,
        h: np.ndarray,
        w_ih: np.ndarray,
        w_hh: np.ndarray,
        b_ih: np.ndarray,
        b_hh: np.ndarray,
    ) -> np.ndarray:
        _check_gru_shapes(x.shape, h.shape, w_ih.shape, w_hh.shape, b_ih.shape, b_hh.shape)
        self.x, self.h, self.w_ih, self.w_hh = x, h, w_ih, w_hh
        i_r, i_z, i_n = np.split(x @ w_ih.T + b_ih, 3, axis=1)
        h_r, h_z, self.h_n = np.split(h @ w_hh.T + b_hh, 3, axis=1)
        self.r = sigmoid_of(i_r + h_r)
        self.z = sigmoid_of(i_z + h_z)
        self.n = np.tanh(i_n + self.r * self.h_n)
        return self.n + self.z * (h - self.n)

    def cost(
        self,
        x: TensorSpec,
        h: TensorSpec,
        w_ih: TensorSpec,
        w_hh: TensorSpec,
        b_ih: TensorSpec,
        b_hh: TensorSpec,
    ) -> GateCost:
        specs = (x, h, w_ih, w_hh, b_ih, b_hh)
        _check_gru_shapes(*(spec.shape for spec in specs))
        dtype = result_dtype(*specs)
        batch, hidden = h.shape
        gates = TensorSpec((batch, 3 * hidden), dtype)
        state = TensorSpec((batch, hidden), dtype)
        # Both pre-activations stay whole (r, z and n are views into them), then r, z, n
        # are kept for backward, with one temporary of their size besides the output.
        return allocating(
            [state],
            gates,
            gates,
            *[state] * 4,
            *broadcast_buffers(gates, b_ih, b_hh),
            *cast_copies(result_dtype(x, w_ih), x, w_ih),
            *cast_copies(result_dtype(h, w_hh), h, w_hh),
        )

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        r, z, n = self.r, self.z, self.n
        n_pre = grad * (1 - z) * (1 - n * n)
        r_pre = n_pre * self.h_n * r * (1 - r)
        z_pre = grad * (self.h - n) * z * (1 - z)
        d_gi = np.concatenate([r_pre, z_pre, n_pre], axis=1)
        d_gh = np.concatenate([r_pre, z_pre, n_pre * r], axis=1)
        need = self.needs_grad
        return [
            d_gi @ self.w_ih if need[0] else None,
            d_gh @ self.w_hh + grad * z if need[1] else None,
            d_gi.T @ self.x if need[2] else None,
            d_gh.T @ self.h if need[3] else None,
            d_gi.sum(axis=0) if need[4] else None,
            d_gh.sum(axis=0) if need[5] else None,
        ]


def _check_gru_shapes(
    x: tuple[int, ...],
    h: tuple[int, ...],
    w_ih: tuple[int, ...],
    w_hh: tuple[int, ...],
    b_ih: tuple[int, ...],
    b_hh: tuple[int, ...],
) -> None:
    if len(x) != 2 or len(h) != 2 or x[0] != h[0]:
        raise ValueError("x must be (batch, in) and h (batch, hidden) with the same batch")
    hidden3 = 3 * h[1]
    if w_ih != (hidden3, x[1]) or w_hh != (hidden3, h[1]):
        raise ValueError("w_ih must be (3 hidden, in) and w_hh (3 hidden, hidden)")
    if b_ih != (hidden3,) or b_hh != (hidden3,):
        raise ValueError("b_ih and b_hh must be (3 hidden,)")


class DropoutGate(Gate):
    """While ``training``, zero elements with probability ``p``, scaling the rest by 1 / (1 - p).

    ``seed`` makes the mask reproducible; when not training the input passes unchanged.
    """

    name = "dropout"
    torch = None
    arity = 1
    params = params_schema(
        p=param(
            "number",
            "probability of zeroing an element",
            default=0.5,
            minimum=0,
            exclusiveMaximum=1,
        ),
        training=param("boolean", "drop only while training", default=True),
        seed=param(
            ["integer", "null"],
            "seed of the random mask; null for a fresh one",
            default=None,
            minimum=0,
        ),
    )

    def __init__(self, *, p: float = 0.5, training: bool = True, seed: int | None = None) -> None:
        self.p, self.training, self.seed = p, training, seed

    def drops(self) -> bool:
        """Whether forward zeroes anything; when not, the input passes unchanged."""
        return self.training and self.p != 0

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.scale: np.ndarray | None = None
        if not self.drops():
            return a
        keep = np.random.default_rng(self.seed).random(a.shape) >= self.p
        self.scale = keep * np.asarray(1 / (1 - self.p), dtype=a.dtype)
        return a * self.scale

    def cost(self, a: TensorSpec) -> GateCost:
        if not self.drops():
            return viewing([a])
        mask = TensorSpec(a.shape, np.bool_)
        # The uniform draws (always float64), the mask, then the scale kept for backward,
        # made from the mask times a 0-d array.
        scaling = broadcast_buffers(a, mask, TensorSpec((), a.dtype))
        return allocating([a], TensorSpec(a.shape, np.float64), mask, a, *scaling)

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None]
        grad = payload.variable.grad
        return [grad if self.scale is None else grad * self.scale]


def zeros_bias(weight: Variable) -> Variable:
    """A constant zero bias for ``weight``'s first axis: what "no bias" means to a layer gate."""
    return weight.context.variable(np.zeros(weight.shape[0]), dtype=weight.dtype)


def linear(x: Variable, weight: Variable, bias: Variable | None = None) -> Variable:
    """x @ weight.T + bias, with weight (out, in); no bias adds zeros."""
    bias = zeros_bias(weight) if bias is None else bias
    return apply(LinearGate(), (x, weight, bias))


def embedding(indices: Variable, weight: Variable) -> Variable:
    """The rows of ``weight`` at whole-number ``indices``: shape indices.shape + (dim,)."""
    return apply(EmbeddingGate(), (indices, weight))


def layer_norm(x: Variable, weight: Variable, bias: Variable, eps: float = 1e-5) -> Variable:
    """``x`` normalized over its last axes (weight's shape), scaled by weight, plus bias."""
    return apply(LayerNormGate(eps=eps), (x, weight, bias))


def gru_cell(
    x: Variable, h: Variable, w_ih: Variable, w_hh: Variable, b_ih: Variable, b_hh: Variable
) -> Variable:
    """The next hidden state of a GRU cell (PyTorch's GRUCell equations and layout)."""
    return apply(GruCellGate(), (x, h, w_ih, w_hh, b_ih, b_hh))


def dropout(
    a: Variable, p: float = 0.5, training: bool = True, seed: int | None = None
) -> Variable:
    """Zero elements with probability ``p`` while ``training`` (scaled to keep the mean)."""
    return apply(DropoutGate(p=p, training=training, seed=seed), (a,))
