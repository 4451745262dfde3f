"""An MLP for 2-D points, built from engine gates on a private tape."""

from __future__ import annotations

import itertools

import numpy as np

import engine
from backend.training.datasets import NO_POINTS, classes_of
from backend.training.schemas import TrainingConfig

FEATURES = {
    "x": lambda p: p[:, 0],
    "y": lambda p: p[:, 1],
    "x2": lambda p: p[:, 0] ** 2,
    "y2": lambda p: p[:, 1] ** 2,
    "xy": lambda p: p[:, 0] * p[:, 1],
    "sin_x": lambda p: np.sin(p[:, 0]),
    "sin_y": lambda p: np.sin(p[:, 1]),
}


def class_count(config: TrainingConfig) -> int | None:
    """How many classes the model may tell apart: the dataset's for softmax cross-entropy
    (custom points: up to six), two for the one-output losses; None for regression."""
    classes = classes_of(config.dataset.kind, config.dataset.classes)
    if classes is None or config.loss == "softmax_cross_entropy":
        return classes
    return 2


def output_count(config: TrainingConfig, user_points: np.ndarray = NO_POINTS) -> int:
    """The model's outputs: one logit per class for softmax cross-entropy, one otherwise.
    Custom points get a logit per class up to the highest present (two at least), so no
    region is drawn for a class the user never placed."""
    if config.loss != "softmax_cross_entropy":
        return 1
    if config.dataset.kind == "custom":
        return max(2, int(user_points[:, 2].max()) + 1 if len(user_points) else 2)
    return class_count(config) or 1


def layer_sizes(config: TrainingConfig, user_points: np.ndarray = NO_POINTS) -> list[int]:
    """The widths of the MLP ``config`` describes: its input features, each hidden layer,
    and its outputs (see output_count)."""
    outputs = output_count(config, user_points)
    return [len(config.model.features), *config.model.hidden, outputs]


def parameter_count(config: TrainingConfig) -> int:
    """How many weight arrays the MLP has: a matrix and a bias per layer."""
    return 2 * (len(layer_sizes(config)) - 1)


class Mlp:
    """Weights ``W1, b1, W2, b2, …`` as Variables of the model's own Context.

    Layer i computes ``activation(h @ Wi + bi)``; the last layer gives one logit per class
    for softmax cross-entropy, one output otherwise.
    """

    def __init__(self, config: TrainingConfig, user_points: np.ndarray = NO_POINTS) -> None:
        self.config = config
        self.context = engine.Context()
        sizes = layer_sizes(config, user_points)
        rng = np.random.default_rng(config.model.seed)
        self.parameters: dict[str, engine.Variable] = {}
        for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes), 1):
            scale = (
                np.sqrt(2.0 / fan_in)
                if config.model.activation == "relu"
                else np.sqrt(1.0 / fan_in)
            )
            self._add(f"W{layer}", rng.normal(0.0, scale, (fan_in, fan_out)))
            self._add(f"b{layer}", np.zeros((1, fan_out)))

    @property
    def classes(self) -> int | None:
        """How many classes the model tells apart (None for regression), read from its
        output layer: a run restored from a store keeps the outputs it was trained with."""
        if class_count(self.config) is None:
            return None
        if self.config.loss != "softmax_cross_entropy":
            return 2
        return int(self.parameters[f"W{self.depth}"].value.shape[1])

    @property
    def weights(self) -> list[engine.Variable]:
        return [v for name, v in self.parameters.items() if name.startswith("W")]

    def _add(self, name: str, value: np.ndarray) -> None:
        self.parameters[name] = self.context.variable(value, requires_grad=True, name=name)

    def features(self, points: np.ndarray) -> np.ndarray:
        """The chosen input features of each point, as columns."""
        return np.stack([FEATURES[f](points) for f in self.config.model.features], axis=1)

    @property
    def depth(self) -> int:
        """How many layers: the hidden ones and the output."""
        return len(self.parameters) // 2

    def forward(self, points: np.ndarray) -> engine.Variable:
        """Logits (or outputs) for ``points``, recorded on the model's tape."""
        return self.layers_on(self.features(points))[-1]

    @property
    def activation_gate(self) -> type[engine.Gate]:
        """The engine's gate of the hidden layers' activation (its registry name is the
        config's): applied on the tape in training, its forward alone in evaluation."""
        return engine.REGISTRY[self.config.model.activation]

    def layer_outputs(self, points: np.ndarray) -> list[engine.Variable]:
        """Each layer's output for ``points``, recorded on the model's tape: the hidden
        layers' activations ``h1, h2, …``, then the logits (or outputs)."""
        return self.layers_on(self.features(points))

    def layers_on(self, features: np.ndarray) -> list[engine.Variable]:
        """Each layer's output, as ``layer_outputs`` gives it, for points whose
        ``features`` are computed already."""
        activation = self.activation_gate
        h = self.context.variable(features, name="input")
        outputs = []
        for layer in range(1, self.depth + 1):
            product = h @ self.parameters[f"W{layer}"]
            product.name = f"xW{layer}"
            h = product + self.parameters[f"b{layer}"]
            h.name = f"z{layer}"
            if layer < self.depth:
                h = activation()(h)
                h.name = f"h{layer}"
            outputs.append(h)
        return outputs

    def loss(self, output: engine.Variable, labels: np.ndarray) -> engine.Variable:
        """The configured loss of ``output`` against class ``labels`` (or regression
        targets), plus the L2 and L1 penalties on the weights (not the biases)."""
        if self.config.loss == "softmax_cross_entropy":
            one_hot = np.eye(self.output_width)[labels.astype(int)]
            targets = self.context.variable(one_hot, name="labels")
            loss = engine.softmax_cross_entropy(output, targets)
        else:
            targets = self.context.variable(labels[:, None], name="labels")
            loss_gate = (
                engine.sigmoid_cross_entropy
                if self.config.loss == "sigmoid_cross_entropy"
                else engine.mse_loss
            )
            loss = loss_gate(output, targets)
        if self.config.l2:
            for weight in self.weights:
                loss = loss + self.config.l2 * (weight * weight).sum()
        if self.config.l1:
            for weight in self.weights:
                loss = loss + self.config.l1 * weight.abs().sum()
        loss.name = "loss"
        return loss

    @property
    def output_width(self) -> int:
        return self.parameters[f"b{self.depth}"].value.shape[1]

    def predict(self, points: np.ndarray) -> np.ndarray:
        """The raw outputs for ``points`` (n, outputs), computed without recording anything."""
        with engine.no_grad_mode(self.context):
            return self.forward(points).value

    def class_probabilities(self, points: np.ndarray) -> np.ndarray:
        """Each class's probability for each point (n, classes), recording nothing."""
        return self.probabilities_of(self.predict(points))

    def probabilities_of(self, output: np.ndarray) -> np.ndarray:
        """Each class's probability (n, classes) from the model's raw ``output`` (n, outputs)."""
        if self.config.loss == "softmax_cross_entropy":
            shifted = np.exp(output - output.max(axis=1, keepdims=True))
            return shifted / shifted.sum(axis=1, keepdims=True)
        if self.config.loss == "sigmoid_cross_entropy":
            one = 1.0 / (1.0 + np.exp(-output[:, 0]))
        else:
            one = np.clip(output[:, 0], 0.0, 1.0)
        return np.stack([1.0 - one, one], axis=1)

    def probabilities(self, points: np.ndarray) -> np.ndarray:
        """Probability of class 1 for each point, computed without recording anything."""
        return self.class_probabilities(points)[:, 1]

    def loss_value(self, output: np.ndarray, labels: np.ndarray) -> float:
        """The loss (penalties included) of the model's raw ``output`` on points of class
        ``labels`` (or regression targets), recording nothing."""
        with engine.no_grad_mode(self.context):
            return self.loss(self.context.variable(output), labels).item()

    def predicted_classes(self, output: np.ndarray) -> np.ndarray:
        """The most probable class of each point (the first of equals, as argmax) from the
        model's raw ``output``."""
        probabilities = self.probabilities_of(output)
        if probabilities.shape[1] == 2:  # argmax walks rows of two slowly: compare them
            return (probabilities[:, 1] > probabilities[:, 0]).astype(int)
        return probabilities.argmax(axis=1)

    def mse_of(self, output: np.ndarray, targets: np.ndarray) -> float:
        """Mean squared error of the model's raw ``output``, without the penalties."""
        return float(((output[:, 0] - targets) ** 2).mean())
