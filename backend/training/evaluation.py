"""The evaluation at an epoch's end: loss and accuracy (or mean squared error) on both
splits, and each hidden layer's activations on the training points, from one forward pass
of NumPy over all the points.

A run evaluates every few steps (every 15 in the playground's default setup). Through the
model's gates, a pass over each split into fresh arrays cost as much as five training
steps: most of it allocating and filling arrays of thousands of rows. Here the features of
all points are stacked once, training points first, and each layer writes into a buffer
kept from one epoch to the next. The activation is the engine gate's own forward (relu
and tanh, single ufuncs, run in place), and the losses are the model's, so the figures are
those the gates give, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from backend.training.datasets import Dataset
from backend.training.model import Mlp

KEPT_BUFFER_BYTES = 4 * 2**20
"""Layer buffers up to this size in all stay with the run between epochs; a larger
network on many points fills fresh arrays each epoch rather than hold them for good."""

IN_PLACE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda z: np.maximum(z, 0, out=z),
    "tanh": lambda z: np.tanh(z, out=z),
}
"""Activations whose gate forward is one ufunc, run here into the layer's own buffer: a
fresh array of every hidden layer each epoch cost more than the activation itself."""

Metrics = dict[str, float | None]
"""Some of ``schemas.Metrics``' fields by name: those that apply to the model and data."""


class Evaluator:
    """The features of a dataset's points, stacked once, and the buffers its passes fill.

    It reads the model's weights at each evaluation (a restored run's weights may be new
    Variables), and is a cache: a pickled run leaves it out and makes it again.
    """

    def __init__(self, model: Mlp, data: Dataset) -> None:
        self.train_count, self.test_count = len(data.x_train), len(data.x_test)
        self.features = model.features(np.concatenate([data.x_train, data.x_test]))
        self.y_train, self.y_test = data.y_train, data.y_test
        self.class_labels = np.concatenate([data.y_train, data.y_test]).astype(int)
        self.buffers: list[np.ndarray] = []

    def evaluate(self, model: Mlp) -> tuple[Metrics, list[np.ndarray]]:
        """The metrics on both splits, and each hidden layer's activations on the
        training points (views the next evaluation may overwrite)."""
        outputs = self.layer_values(model)
        n, output = self.train_count, outputs[-1]
        train, test = output[:n], output[n:]
        metrics: Metrics = {"train_loss": model.loss_value(train, self.y_train)}
        if self.test_count:  # a handful of custom points may leave none for testing
            metrics["test_loss"] = model.loss_value(test, self.y_test)
        if model.classes is None:
            metrics["train_mse"] = model.mse_of(train, self.y_train)
            metrics["test_mse"] = model.mse_of(test, self.y_test) if self.test_count else None
        else:
            right = model.predicted_classes(output) == self.class_labels
            metrics["train_accuracy"] = float(right[:n].mean())
            if self.test_count:
                metrics["test_accuracy"] = float(right[n:].mean())
        return metrics, [h[:n] for h in outputs[:-1]]

    def layer_values(self, model: Mlp) -> list[np.ndarray]:
        """Each layer's output on every point, training points first: the values
        ``model.layer_outputs`` gives, computed by NumPy alone, recording nothing."""
        buffers = self._buffers_for(model)
        activate = self._activation(model)
        h, outputs = self.features, []
        for layer, z in enumerate(buffers, 1):
            np.matmul(h, model.parameters[f"W{layer}"].value, out=z)
            np.add(z, model.parameters[f"b{layer}"].value, out=z)
            h = activate(z) if layer < len(buffers) else z
            outputs.append(h)
        if sum(z.nbytes for z in buffers) > KEPT_BUFFER_BYTES:
            self.buffers = []
        return outputs

    @staticmethod
    def _activation(model: Mlp) -> Callable[[np.ndarray], np.ndarray]:
        gate = model.activation_gate
        return IN_PLACE.get(model.config.model.activation) or (lambda z: gate().forward(z))

    def _buffers_for(self, model: Mlp) -> list[np.ndarray]:
        widths = [model.parameters[f"b{i}"].value.shape[1] for i in range(1, model.depth + 1)]
        if [z.shape[1] for z in self.buffers] != widths:
            self.buffers = [np.empty((len(self.features), width)) for width in widths]
        return self.buffers
