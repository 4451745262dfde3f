"""A training run: minibatch steps on the model's private tape, epochs, metrics, state.

The run is deterministic: the order of each epoch's minibatches comes from the dataset
seed and the epoch number, so pausing and resuming (or restoring a checkpoint) continues
exactly the same run.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from backend.errors import Conflict, Invalid
from backend.training import checkpoints
from backend.training.datasets import NO_POINTS, dataset_of
from backend.training.layer_health import judge, measure_layer
from backend.training.model import Mlp, class_count
from backend.training.schemas import (
    HistoryEntry,
    LayerHealth,
    Metrics,
    OptimizerConfig,
    TrainingCheckpoint,
    TrainingConfig,
    TrainingSettings,
)
from engine.optim import SGD, Adam, Optimizer

_EPOCH_ORDER_CACHE = ("_order", "_order_key")


class TrainingRun:
    """The dataset, the model, its optimizer, and how far training has come.

    ``user_points`` holds the user's ``[x, y, label]`` rows; the run trains on them when the
    dataset is custom, and keeps them whatever the dataset, so a new setup finds them again.
    """

    user_points: np.ndarray = NO_POINTS  # runs pickled before there were user points

    def __init__(self, config: TrainingConfig, user_points: np.ndarray = NO_POINTS) -> None:
        self.config = config
        self.user_points = user_points
        check_user_points(config, user_points)
        self.data = dataset_of(config.dataset, user_points)
        self.model = Mlp(config, user_points)
        self.optimizer = self._new_optimizer()
        self.state = "idle"
        self.epoch = 0
        self.step = 0
        self.offset = 0  # training points the current epoch has used so far
        self.history: list[HistoryEntry] = []
        self.last_graph = self._graph_of_one_step()

    @property
    def steps_per_epoch(self) -> int:
        return steps_per_epoch(len(self.data.x_train), self.config.batch_size)

    def check_trainable(self) -> None:
        """Refuse to train without a single training point (custom data not set yet)."""
        if len(self.data.x_train) == 0:
            raise Conflict("no_data", "the custom dataset has no points yet: add some to train on")

    @property
    def finished(self) -> bool:
        """Whether the run reached its stop; a run with no stop never finishes."""
        return self.config.epochs is not None and self.epoch >= self.config.epochs

    def __getstate__(self) -> dict[str, Any]:
        # The epoch's order is a cache, drawn again from the seed: snapshots leave it out.
        return {k: v for k, v in self.__dict__.items() if k not in _EPOCH_ORDER_CACHE}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Runs pickled before batch sizes could change counted their place from the step.
        self.__dict__.update(state)
        if "offset" not in state:
            self.offset = self._offset_from_step()

    def _offset_from_step(self) -> int:
        # Where the epoch stands when the batch size has not changed within it.
        return (self.step % self.steps_per_epoch) * self.config.batch_size

    def adjust(self, settings: TrainingSettings) -> None:
        """Change what keeps the model's shape and data, in place: the weights, the step
        and the history stay. A new optimizer kind starts its state afresh."""
        changes = settings.model_dump()
        optimizer = {**self.config.optimizer.model_dump(), **changes.pop("optimizer", {})}
        kind_before = self.config.optimizer.kind
        self.config = self.config.model_copy(
            update={**changes, "optimizer": OptimizerConfig(**optimizer)}
        )
        self.model.config = self.config
        self.graph_due = True  # the penalties may have changed the step's graph
        if self.config.optimizer.kind != kind_before:
            self.optimizer = self._new_optimizer()
            return
        self.optimizer.lr = self.config.optimizer.lr
        if isinstance(self.optimizer, Adam):
            self.optimizer.betas = (self.config.optimizer.beta1, self.config.optimizer.beta2)
        elif self.config.optimizer.kind == "momentum":
            self.optimizer.momentum = self.config.optimizer.momentum

    def _new_optimizer(self) -> Optimizer:
        settings = self.config.optimizer
        params = list(self.model.parameters.values())
        if settings.kind == "adam":
            return Adam(params, settings.lr, (settings.beta1, settings.beta2))
        momentum = settings.momentum if settings.kind == "momentum" else 0.0
        return SGD(params, settings.lr, momentum)

    # Whether the next step describes its graph: the graph of a step changes only with the
    # settings (a penalty adds gates), so steps in between do not pay for describing it.
    graph_due = False

    def train_step(self) -> HistoryEntry | None:
        """One minibatch: forward on the tape, backprop (emptying it), optimizer update.

        Returns the history entry when the step completes an epoch.
        """
        points, labels = self._batch()
        self.offset += len(points)
        self.optimizer.zero_grad()
        loss = self.model.loss(self.model.forward(points), labels)
        if self.graph_due:
            self.last_graph = describe_tape(self.model.context)
            self.graph_due = False
        loss.backprop()
        self.optimizer.step()
        self.step += 1
        if self.offset < len(self.data.x_train):
            return None
        self.epoch += 1
        self.offset = 0
        entry = self.evaluate()
        self.history.append(entry)
        return entry

    def _layer_health(self, activations: list[np.ndarray]) -> list[LayerHealth]:
        # Dead units on the whole training set; gradients from the epoch's last step.
        relu = self.config.model.activation == "relu"
        params = self.model.parameters
        measured = [
            measure_layer(layer, values, params[f"W{layer}"], params[f"b{layer}"], relu)
            for layer, values in enumerate(activations, 1)
        ]
        return judge(measured, self.history[-1].layers if self.history else [])

    def _graph_of_one_step(self) -> list[dict[str, Any]]:
        # Record a forward pass and drop it, so the graph can be shown before training
        # (on a stand-in point while the user has none).
        points, labels = self._batch() if len(self.data.x_train) else (np.zeros((1, 2)), [0])
        labels = np.asarray(labels, dtype=float)
        self.model.loss(self.model.forward(points), labels)
        graph = describe_tape(self.model.context)
        self.model.context.nodes.clear()
        return graph

    def _batch(self) -> tuple[np.ndarray, np.ndarray]:
        chosen = self._epoch_order()[self.offset : self.offset + self.config.batch_size]
        return self.data.x_train[chosen], self.data.y_train[chosen]

    def _epoch_order(self) -> np.ndarray:
        # The epoch's order of the training points, drawn once per epoch (not per step).
        key = (self.config.dataset.seed, self.epoch, len(self.data.x_train))
        if self.__dict__.get(_EPOCH_ORDER_CACHE[1]) != key:
            rng = np.random.default_rng([self.config.dataset.seed, self.epoch])
            self._order, self._order_key = rng.permutation(len(self.data.x_train)), key
        return self._order

    def evaluate(self) -> HistoryEntry:
        """Metrics on both splits now, with the last step's gradient norms and each hidden
        layer's health."""
        data, model = self.data, self.model
        train_loss, train_accuracy, activations = model.evaluate_layers(data.x_train, data.y_train)
        test: dict[str, float | None] = {}
        if len(data.x_test):  # a handful of custom points may leave none for testing
            test["test_loss"], test["test_accuracy"] = model.evaluate(data.x_test, data.y_test)
        if model.classes is None:
            test["test_mse"] = model.mse(data.x_test, data.y_test) if len(data.x_test) else None
            test["train_mse"] = model.mse(data.x_train, data.y_train)
        return HistoryEntry(
            epoch=self.epoch,
            step=self.step,
            train_loss=train_loss,
            train_accuracy=train_accuracy,
            **test,
            grad_norms=self._weight_grad_norms(),
            layers=self._layer_health(activations),
        )

    def _weight_grad_norms(self) -> dict[str, float]:
        # The last step's gradients stay until the next step's zero_grad: measured when an
        # epoch ends, not at every step.
        return {
            name: float(np.linalg.norm(p.grad))
            for name, p in self.model.parameters.items()
            if name.startswith("W")
        }

    @property
    def layers(self) -> list[LayerHealth]:
        """Each hidden layer's health at the latest epoch's end; empty before the first."""
        return self.history[-1].layers if self.history else []

    def metrics(self) -> Metrics:
        """The latest epoch's metrics (all None before the first epoch ends)."""
        if not self.history:
            return Metrics()
        return Metrics(**self.history[-1].model_dump(include=set(Metrics.model_fields)))

    def checkpoint(self, recorded: int) -> TrainingCheckpoint:
        """Progress since ``recorded`` history entries were last journaled."""
        return TrainingCheckpoint(
            epoch=self.epoch,
            step=self.step,
            state=self.state,
            parameters={n: p.value.tolist() for n, p in self.model.parameters.items()},
            gradients={
                n: p.raw_grad.tolist()
                for n, p in self.model.parameters.items()
                if p.raw_grad is not None
            },
            optimizer_state={k: v.tolist() for k, v in self.optimizer.state_dict().items()},
            history_before=recorded,
            new_history=self.history[recorded:],
        )

    def restore(self, checkpoint: TrainingCheckpoint) -> None:
        """Put the run back where ``checkpoint`` says, changing the weights in place; a
        checkpoint that does not fit the run is refused (422) before anything changes."""
        weights = {name: param.value for name, param in self.model.parameters.items()}
        checked = checkpoints.check(
            checkpoint, weights, self.optimizer.state_dict(), len(self.history)
        )
        for name, param in self.model.parameters.items():
            param.value[...] = checked.parameters[name]
            param.grad = checked.gradients.get(name)
        self.optimizer.load_state_dict(checked.optimizer_state)
        self.epoch, self.step = checkpoint.epoch, checkpoint.step
        self.offset = self._offset_from_step()
        self.state = checkpoint.state
        del self.history[checkpoint.history_before :]
        self.history += checkpoint.new_history


def steps_per_epoch(train_points: int, batch_size: int) -> int:
    """Batches in one pass over ``train_points`` points (one at least, for an empty set)."""
    return max(1, math.ceil(train_points / batch_size))


def check_user_points(config: TrainingConfig, points: np.ndarray) -> None:
    """Refuse (422, naming the first) points whose label the configured model cannot tell
    when it trains on them: the one-output losses tell only classes 0 and 1."""
    if config.dataset.kind != "custom":
        return
    classes = class_count(config) or 0
    for index, (x, y, label) in enumerate(points):
        if label >= classes:
            raise Invalid(
                "bad_point",
                f"point {index} [{x:g}, {y:g}, {label:g}]: the {config.loss} loss tells only "
                f"classes 0 to {classes - 1}",
                {"point": index},
            )


def describe_tape(context: Any) -> list[dict[str, Any]]:
    """The nodes on a tape as plain data, for drawing one step's graph."""
    return [
        {
            "gate": node.name,
            "inputs": [p.name or "const" for p in node.parents],
            "outputs": [o.name or "" for o in node.payload.outputs],
        }
        for node in context.nodes
    ]
