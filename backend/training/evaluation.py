"""The evaluation at an epoch's end: loss and accuracy (or mean squared error) on both
splits, and each hidden layer's activations on the training points, by NumPy alone.

A run evaluates every few steps (every 15 in the playground's default setup). Through the
model's gates, the passes over both splits into fresh arrays cost as much as five training
steps: most of it allocating and filling arrays of thousands of rows. Here each split's
features are computed once, and each layer writes into a buffer kept from one epoch to
the next. The products are NumPy's on the same arrays as the gates', the activation is
the engine gate's own forward (relu and tanh, single ufuncs, run in place) and the losses
are the model's: the figures are those the gates give, bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from backend.training.datasets import Dataset
from backend.training.model import Mlp

KEPT_BUFFER_BYTES = 2**20
"""A split's layer buffers up to this size in all stay with the run between epochs (the
playground's default network on 1,500 training points takes 400 KB); a larger network on
many points fills fresh arrays each epoch rather than hold them for good, where the
arithmetic outweighs the allocation anyway."""

IN_PLACE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": lambda z: np.maximum(z, 0, out=z),
    "tanh": lambda z: np.tanh(z, out=z),
}
"""Activations whose gate forward is one ufunc, run here into the layer's own buffer: a
fresh array of every hidden layer each epoch cost more than the activation itself."""

Metrics = dict[str, float | None]
"""Some of ``schemas.Metrics``' fields by name: those that apply to the model and data."""


class Split:
    """One split's features, computed once, its labels and the buffers its passes fill."""

    def __init__(self, name: str, model: Mlp, points: np.ndarray, labels: np.ndarray) -> None:
        self.name = name
        self.features = model.features(points)
        self.labels = labels
        self.classes = labels.astype(int)  # the labels as classes, when they are
        self.buffers: list[np.ndarray] = []

    def layer_values(self, model: Mlp) -> list[np.ndarray]:
        """Each layer's output on the split's points: the values ``model.layer_outputs``
        gives, computed by NumPy alone, recording nothing. The model's weights are read
        now (a restored run's may be new Variables)."""
        buffers = self._buffers_for(model)
        gate = model.activation_gate
        activate = IN_PLACE.get(model.config.model.activation) or (lambda z: gate().forward(z))
        h, outputs = self.features, []
        for layer, z in enumerate(buffers, 1):
            np.matmul(h, model.parameters[f"W{layer}"].value, out=z)
            np.add(z, model.parameters[f"b{layer}"].value, out=z)
            h = activate(z) if layer < len(buffers) else z
            outputs.append(h)
        if sum(z.nbytes for z in buffers) > KEPT_BUFFER_BYTES:
            self.buffers = []
        return outputs

    def scores(self, model: Mlp, output: np.ndarray) -> Metrics:
        """The split's loss (penalties included), and its accuracy or mean squared error."""
        scores: Metrics = {f"{self.name}_loss": model.loss_value(output, self.labels)}
        if model.classes is None:
            scores[f"{self.name}_mse"] = model.mse_of(output, self.labels)
        else:
            right = np.count_nonzero(model.predicted_classes(output) == self.classes)
            scores[f"{self.name}_accuracy"] = right / len(self.classes)
        return scores

    def _buffers_for(self, model: Mlp) -> list[np.ndarray]:
        widths = [model.parameters[f"b{i}"].value.shape[1] for i in range(1, model.depth + 1)]
        if [z.shape[1] for z in self.buffers] != widths:
            self.buffers = [np.empty((len(self.features), width)) for width in widths]
        return self.buffers


class Evaluator:
    """Both splits of a run's dataset, ready to evaluate the model on at an epoch's end.

    A cache of the run: a pickled run leaves it out and makes it again.
    """

    def __init__(self, model: Mlp, data: Dataset) -> None:
        self.train = Split("train", model, data.x_train, data.y_train)
        self.test = Split("test", model, data.x_test, data.y_test)

    def evaluate(self, model: Mlp) -> tuple[Metrics, list[np.ndarray]]:
        """The metrics on both splits (those of an empty split left out), and each hidden
        layer's activations on the training points (arrays the next evaluation may
        overwrite)."""
        outputs = self.train.layer_values(model)
        metrics = self.train.scores(model, outputs[-1])
        if len(self.test.labels):  # a handful of custom points may leave none for testing
            metrics |= self.test.scores(model, self.test.layer_values(model)[-1])
        return metrics, outputs[:-1]
