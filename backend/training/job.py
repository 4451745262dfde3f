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
from backend.training.evaluation import Evaluator
from backend.training.layer_health import grad_norm, judge, measure_layer
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

# What a run draws or builds again when it needs it: snapshots and pickles leave it out.
_CACHES = ("_epoch_data", "_epoch_key", "_evaluator", "_orders")

ORDERS_AHEAD = 8
"""Epochs whose orders are drawn together: one by one, each draw found the generator's code
cold after the evaluation in between, and cost twice as much."""


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
        return {k: v for k, v in self.__dict__.items() if k not in _CACHES}

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
        _, features, labels = self._in_epoch_order(self.offset)
        self.offset += len(labels)
        self.optimizer.zero_grad()
        loss = self.model.loss(self.model.layers_on(features)[-1], labels)
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

    def _layer_health(
        self, activations: list[np.ndarray], grad_norms: dict[str, float]
    ) -> list[LayerHealth]:
        # Dead units on the whole training set; gradients from the epoch's last step.
        relu = self.config.model.activation == "relu"
        params = self.model.parameters
        measured = [
            measure_layer(layer, values, params[f"W{layer}"].value, grad_norms, relu)
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
        """The next step's points and labels."""
        points, _, labels = self._in_epoch_order(self.offset)
        return points, labels

    def _in_epoch_order(self, start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # A batch from ``start``: views into the training points, their features and
        # labels, which are put in the epoch's order once per epoch.
        if self._epoch_key != self.epoch:
            self._shuffle()
        points, features, labels = self._epoch_data
        end = start + self.config.batch_size
        return points[start:end], features[start:end], labels[start:end]

    # The epoch whose order ``_epoch_data`` holds (None: none drawn yet). The dataset and
    # the features are the run's for good: only the epoch changes the order.
    _epoch_key: int | None = None

    def _shuffle(self) -> None:
        order = self._order_of(self.epoch)
        points = self.data.x_train.take(order, axis=0)
        self._epoch_data = points, self.model.features(points), self.data.y_train.take(order)
        self._epoch_key = self.epoch

    def _order_of(self, epoch: int) -> np.ndarray:
        # Each epoch's order depends on the seed and the epoch alone; drawn ORDERS_AHEAD
        # epochs at a time, the generator's code is warm for all but the first draw.
        orders = self.__dict__.setdefault("_orders", {})
        if epoch not in orders:
            orders.clear()
            for ahead in range(epoch, epoch + ORDERS_AHEAD):
                rng = np.random.default_rng([self.config.dataset.seed, ahead])
                orders[ahead] = rng.permutation(len(self.data.x_train))
        return orders.pop(epoch)

    def evaluate(self) -> HistoryEntry:
        """Metrics on both splits now, with the last step's gradient norms and each hidden
        layer's health."""
        if "_evaluator" not in self.__dict__:
            self._evaluator = Evaluator(self.model, self.data)
        metrics, activations = self._evaluator.evaluate(self.model)
        # The last step's gradients stay until the next step's zero_grad: measured when an
        # epoch ends, not at every step.
        grad_norms = {name: grad_norm(p) for name, p in self.model.parameters.items()}
        return HistoryEntry(
            epoch=self.epoch,
            step=self.step,
            **metrics,
            grad_norms={name: norm for name, norm in grad_norms.items() if name.startswith("W")},
            layers=self._layer_health(activations, grad_norms),
        )

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
