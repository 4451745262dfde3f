"""Loss gates: mean squared error and the cross-entropies, each a scalar (0-d) Variable.

The cross-entropies divide by the batch size as Arraymancer's do: the first axis for
sigmoid_cross_entropy, every axis but the last (the classes) for the softmax ones.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from engine.gate import Gate, SmallDiffs, apply
from engine.gates.activations import along_axis_buffers, log_softmax_of, sigmoid_of
from engine.gates.indexing import class_index_buffers, class_indices
from engine.shapes import (
    GateCost,
    TensorSpec,
    allocating,
    broadcast_buffers,
    loop_buffers,
    result_dtype,
)

if TYPE_CHECKING:
    from engine.tape import Payload
    from engine.variable import Variable


class MseLossGate(Gate):
    """Mean squared error mean((prediction - target) ** 2) of two same-shaped inputs."""

    name = "mse_loss"
    torch = "torch.nn.functional.mse_loss({0}, {1})"
    arity = 2

    def forward(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        _check_same_shape(prediction.shape, target.shape)
        self.error = prediction - target
        # ndarray.mean's own steps, without its Python wrapper (see activations.log_softmax_of).
        return np.add.reduce(self.error * self.error, axis=None) / self.error.size

    def cost(self, prediction: TensorSpec, target: TensorSpec) -> GateCost:
        _check_same_shape(prediction.shape, target.shape)
        error = TensorSpec(prediction.shape, result_dtype(prediction, target))
        # The error kept for backward and its square.
        casts = broadcast_buffers(error, prediction, target)
        return allocating([TensorSpec((), error.dtype)], error, error, *casts)

    def backward(self, payload: Payload) -> SmallDiffs:
        scaled = payload.variable.grad * (2 / self.error.size) * self.error
        need_prediction, need_target = self.needs_grad
        return [scaled if need_prediction else None, -scaled if need_target else None]


class SigmoidCrossEntropyGate(Gate):
    """Binary cross-entropy of sigmoid(logits) against same-shaped targets in [0, 1]."""

    name = "sigmoid_cross_entropy"
    # The summed cross-entropies over the batch, the first axis, as forward divides them.
    torch = (
        "torch.nn.functional.binary_cross_entropy_with_logits({0}, {1}, reduction='sum')"
        " / {0}.shape[0]"
    )
    arity = 2

    def forward(self, logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
        _check_binary_logits(logits.shape, targets.shape)
        self.logits, self.targets = logits, targets
        self.batch = logits.shape[0]
        # max(x, 0) - x t + log(1 + e^-|x|) is -t log σ(x) - (1 - t) log(1 - σ(x)) without overflow.
        per_element = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
        return per_element.sum() / self.batch

    def cost(self, logits: TensorSpec, targets: TensorSpec) -> GateCost:
        _check_binary_logits(logits.shape, targets.shape)
        terms = TensorSpec(logits.shape, result_dtype(logits, targets))
        # Three elementwise terms are alive at once while the per-element loss is summed up.
        casts = broadcast_buffers(terms, logits, targets)
        return allocating([TensorSpec((), terms.dtype)], terms, terms, terms, *casts)

    def backward(self, payload: Payload) -> SmallDiffs:
        scale = payload.variable.grad / self.batch
        need_logits, need_targets = self.needs_grad
        return [
            scale * (sigmoid_of(self.logits) - self.targets) if need_logits else None,
            -scale * self.logits if need_targets else None,
        ]


class SoftmaxCrossEntropyGate(Gate):
    """Cross-entropy of softmax(logits) against same-shaped target probabilities (e.g. one-hot)."""

    name = "softmax_cross_entropy"
    # Summed over the batch, every axis but the classes, and divided by it as forward does.
    torch = "-({1} * torch.log_softmax({0}, -1)).sum() / batch({0})"
    arity = 2

    def forward(self, logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
        _check_same_shape(logits.shape, targets.shape)
        self.targets = targets
        self.batch = _batch_size(logits.shape)
        self.log_probs = log_softmax_of(logits, -1)
        return -np.add.reduce(targets * self.log_probs, axis=None) / self.batch

    def cost(self, logits: TensorSpec, targets: TensorSpec) -> GateCost:
        _check_same_shape(logits.shape, targets.shape)
        _batch_size(logits.shape)
        dtype = result_dtype(logits, targets)
        # The log-probabilities kept for backward as log_softmax_of makes them, then
        # targets * log_probs.
        products = TensorSpec(logits.shape, dtype)
        return allocating(
            [TensorSpec((), dtype)],
            logits,
            products,
            *along_axis_buffers(logits, -1),
            *broadcast_buffers(products, logits, targets),
        )

    def backward(self, payload: Payload) -> SmallDiffs:
        scale = payload.variable.grad / self.batch
        need_logits, need_targets = self.needs_grad
        grad_logits = None
        if need_logits:
            # For targets that do not sum to one the softmax term is scaled by their sum.
            mass = np.add.reduce(self.targets, axis=-1, keepdims=True)
            grad_logits = scale * (np.exp(self.log_probs) * mass - self.targets)
        return [grad_logits, -scale * self.log_probs if need_targets else None]


class SparseSoftmaxCrossEntropyGate(Gate):
    """Cross-entropy of softmax(logits) against integer class indices.

    The targets have the logits' shape without the last (class) axis.
    """

    name = "sparse_softmax_cross_entropy"
    # Summed over the batch, every axis but the classes, and divided by it as forward does.
    torch = "-torch.log_softmax({0}, -1).gather(-1, {1}.long().unsqueeze(-1)).sum() / batch({0})"
    arity = 2

    def forward(self, logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
        _check_class_targets(logits.shape, targets.shape)
        self.classes = class_indices(targets, logits.shape[-1])
        self.batch = _batch_size(logits.shape)
        self.log_probs = log_softmax_of(logits, -1)
        picked = np.take_along_axis(self.log_probs, self.classes[..., None], axis=-1)
        return -picked.sum() / self.batch

    def cost(self, logits: TensorSpec, targets: TensorSpec) -> GateCost:
        _check_class_targets(logits.shape, targets.shape)
        classes = class_index_buffers(targets, logits.shape[-1])
        _batch_size(logits.shape)
        picked = TensorSpec((*targets.shape, 1), logits.dtype)
        # The class indices, the log-probabilities as log_softmax_of makes them, the picks
        # and what np.take_along_axis needs to make them.
        return allocating(
            [TensorSpec((), logits.dtype)],
            *classes,
            logits,
            *along_axis_buffers(logits, -1),
            picked,
            *loop_buffers(TensorSpec(picked.shape, np.intp), logits.ndim - 1),
        )

    def backward(self, payload: Payload) -> SmallDiffs:
        if not self.needs_grad[0]:
            return [None, None]
        grad = np.exp(self.log_probs)
        picked = self.classes[..., None]
        np.put_along_axis(grad, picked, np.take_along_axis(grad, picked, -1) - 1, axis=-1)
        grad *= payload.variable.grad / self.batch
        # Class indices are not differentiable: they get no gradient.
        return [grad, None]


def _check_same_shape(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    if a != b:
        raise ValueError("both inputs must have the same shape")


def _check_binary_logits(logits: tuple[int, ...], targets: tuple[int, ...]) -> None:
    _check_same_shape(logits, targets)
    if not logits or 0 in logits:
        raise ValueError("logits need a batch axis and at least one element")


def _check_class_targets(logits: tuple[int, ...], targets: tuple[int, ...]) -> None:
    if not logits or targets != logits[:-1]:
        raise ValueError("targets must have the logits' shape without the class axis")


def _batch_size(scores: tuple[int, ...]) -> int:
    if not scores or 0 in scores:
        raise ValueError("class scores need at least one axis and one element")
    return math.prod(scores[:-1])


def mse_loss(prediction: Variable, target: Variable | float) -> Variable:
    """mean((prediction - target) ** 2), a scalar."""
    return apply(MseLossGate(), (prediction, target))


def sigmoid_cross_entropy(logits: Variable, targets: Variable) -> Variable:
    """Binary cross-entropy of sigmoid(logits) against targets, divided by the batch size."""
    return apply(SigmoidCrossEntropyGate(), (logits, targets))


def softmax_cross_entropy(logits: Variable, targets: Variable) -> Variable:
    """Cross-entropy of softmax(logits) against target probabilities, divided by the batch size."""
    return apply(SoftmaxCrossEntropyGate(), (logits, targets))


def sparse_softmax_cross_entropy(logits: Variable, targets: Variable) -> Variable:
    """Cross-entropy of softmax(logits) against integer class indices, divided by the batch size."""
    return apply(SparseSoftmaxCrossEntropyGate(), (logits, targets))
