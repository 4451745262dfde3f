"""Layer gates: linear, embedding, gru_cell and dropout.

Weights follow PyTorch's layout: a linear weight is (out_features, in_features).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.gate import Gate, SmallDiffs
from engine.gates.activations import sigmoid_of
from engine.gates.indexing import class_indices
from engine.params import param, params_schema

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable


class LinearGate(Gate):
    """Affine map x @ weight.T + bias: x (..., in), weight (out, in), bias (out,)."""

    name = "linear"
    arity = 3

    def forward(self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
        if x.ndim == 0 or weight.ndim != 2 or x.shape[-1] != weight.shape[1]:
            raise ValueError("x must be (..., in) and weight (out, in)")
        if bias.shape != weight.shape[:1]:
            raise ValueError("bias must be (out,), one entry per row of weight")
        self.x, self.weight = x, weight
        out = x @ weight.T
        out += bias  # in place: the matmul result is ours, so no second temporary
        return out

    def backward(self, payload: Payload) -> SmallDiffs:
        grad = payload.variable.grad
        need_x, need_weight, need_bias = self.needs_grad
        rows = grad.reshape(-1, grad.shape[-1])
        return [
            grad @ self.weight if need_x else None,
            rows.T @ self.x.reshape(-1, self.x.shape[-1]) if need_weight else None,
            rows.sum(axis=0) if need_bias else None,
        ]


class EmbeddingGate(Gate):
    """Rows of weight (vocabulary, dim) picked by whole-number indices of any shape."""

    name = "embedding"
    arity = 2

    def forward(self, indices: np.ndarray, weight: np.ndarray) -> np.ndarray:
        if weight.ndim != 2:
            raise ValueError("weight must be (vocabulary, dim)")
        self.indices = class_indices(indices, weight.shape[0])
        self.weight_shape = weight.shape
        return weight[self.indices]

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[1]:
            return [None, None]
        grad = payload.variable.grad
        full = np.zeros(self.weight_shape, dtype=grad.dtype)
        # A row picked twice gets both gradients: add.at does not drop repeats.
        np.add.at(full, self.indices, grad)
        return [None, full]


class GruCellGate(Gate):
    """One GRU step, as PyTorch's GRUCell.

    x (B, in), h (B, H), w_ih (3H, in), w_hh (3H, H), b_ih and b_hh (3H,).

    Gates in order reset r, update z, new n; the next hidden state is (1 - z) n + z h.
    """

    name = "gru_cell"
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
        _check_gru_shapes(x, h, w_ih, w_hh, b_ih, b_hh)
        self.x, self.h, self.w_ih, self.w_hh = x, h, w_ih, w_hh
        i_r, i_z, i_n = np.split(x @ w_ih.T + b_ih, 3, axis=1)
        h_r, h_z, self.h_n = np.split(h @ w_hh.T + b_hh, 3, axis=1)
        self.r = sigmoid_of(i_r + h_r)
        self.z = sigmoid_of(i_z + h_z)
        self.n = np.tanh(i_n + self.r * self.h_n)
        return self.n + self.z * (h - self.n)

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
    x: np.ndarray,
    h: np.ndarray,
    w_ih: np.ndarray,
    w_hh: np.ndarray,
    b_ih: np.ndarray,
    b_hh: np.ndarray,
) -> None:
    if x.ndim != 2 or h.ndim != 2 or x.shape[0] != h.shape[0]:
        raise ValueError("x must be (batch, in) and h (batch, hidden) with the same batch")
    hidden3 = 3 * h.shape[1]
    if w_ih.shape != (hidden3, x.shape[1]) or w_hh.shape != (hidden3, h.shape[1]):
        raise ValueError("w_ih must be (3 hidden, in) and w_hh (3 hidden, hidden)")
    if b_ih.shape != (hidden3,) or b_hh.shape != (hidden3,):
        raise ValueError("b_ih and b_hh must be (3 hidden,)")


class DropoutGate(Gate):
    """While ``training``, zero elements with probability ``p``, scaling the rest by 1 / (1 - p).

    ``seed`` makes the mask reproducible; when not training the input passes unchanged.
    """

    name = "dropout"
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

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.scale: np.ndarray | None = None
        if not self.training or self.p == 0:
            return a
        keep = np.random.default_rng(self.seed).random(a.shape) >= self.p
        self.scale = keep * np.asarray(1 / (1 - self.p), dtype=a.dtype)
        return a * self.scale

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
    return LinearGate()(x, weight, bias)


def embedding(indices: Variable, weight: Variable) -> Variable:
    """The rows of ``weight`` at whole-number ``indices``: shape indices.shape + (dim,)."""
    return EmbeddingGate()(indices, weight)


def gru_cell(
    x: Variable, h: Variable, w_ih: Variable, w_hh: Variable, b_ih: Variable, b_hh: Variable
) -> Variable:
    """The next hidden state of a GRU cell (PyTorch's GRUCell equations and layout)."""
    return GruCellGate()(x, h, w_ih, w_hh, b_ih, b_hh)


def dropout(
    a: Variable, p: float = 0.5, training: bool = True, seed: int | None = None
) -> Variable:
    """Zero elements with probability ``p`` while ``training`` (scaled to keep the mean)."""
    return DropoutGate(p=p, training=training, seed=seed)(a)
