"""The training contract: configuration, status and checkpoints."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.schemas import Answer, Echoed, Strict
from backend.training.datasets import MAX_CLASSES, MULTICLASS_KINDS, REGRESSION_KINDS

Feature = Literal["x", "y", "x2", "y2", "xy", "sin_x", "sin_y"]


MAX_POINTS = 5000
"""Most points a dataset may have, generated or the user's own."""


class DatasetConfig(Echoed):
    """A 2-D dataset: generated for classification (moons … blobs) or regression (plane, a
    Gaussian bump), or the user's own points (custom, set with PUT /training/data)."""

    kind: Literal["moons", "circles", "spirals", "xor", "blobs", "plane", "gaussian", "custom"] = (
        Field(
            "moons",
            # Published so the page groups the kinds as the server does, not from a copy.
            json_schema_extra={
                "x-enum-groups": {
                    "multiclass": sorted(MULTICLASS_KINDS),
                    "regression": sorted(REGRESSION_KINDS),
                }
            },
            description="The dataset. `x-enum-groups` names the kinds whose target is a number "
            "(`regression`, trained with the mse loss) and the generated kinds that take "
            "`classes` (`multiclass`).",
        )
    )
    n: int = Field(
        400, ge=20, le=MAX_POINTS, description="Number of points (custom: the points set)."
    )
    noise: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Standard deviation of added noise: on the points for classification, "
        "on the target for regression, none for custom points.",
    )
    classes: int = Field(
        2,
        ge=2,
        le=MAX_CLASSES,
        description="Classes of blobs (clusters) and spirals (arms); the other classification "
        "datasets have two, custom points up to six.",
    )
    seed: int = Field(0, ge=0, le=2**31 - 1)
    test_fraction: float = Field(0.25, ge=0.05, le=0.9)


class ModelConfig(Echoed):
    """An MLP: input features, hidden layer sizes, activation."""

    hidden: list[Annotated[int, Field(ge=1, le=256)]] = Field(
        default_factory=lambda: [16, 16], max_length=6, description="Layer sizes, 1 to 256."
    )
    activation: Literal["relu", "tanh", "sigmoid", "gelu"] = "relu"
    features: list[Feature] = Field(default_factory=lambda: ["x", "y"], min_length=1)
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Seed of the initial weights.")

    @model_validator(mode="after")
    def _distinct_features(self) -> ModelConfig:
        if len(set(self.features)) != len(self.features):
            raise ValueError("features must not repeat")
        return self


class OptimizerConfig(Echoed):
    """The optimizer and its hyperparameters."""

    kind: Literal["sgd", "momentum", "adam"] = "adam"
    lr: float = Field(0.01, gt=0, le=10)
    momentum: float = Field(0.9, ge=0, lt=1)
    beta1: float = Field(0.9, ge=0, lt=1)
    beta2: float = Field(0.999, ge=0, lt=1)


class OptimizerSettings(Strict):
    """Changes to the optimizer: only the fields given change (a new kind starts its state
    afresh; new hyperparameters keep it). None of them may be null."""

    kind: Literal["sgd", "momentum", "adam"] = Field(None)  # type: ignore[assignment]
    lr: float = Field(None, gt=0, le=10)  # type: ignore[assignment]
    momentum: float = Field(None, ge=0, lt=1)  # type: ignore[assignment]
    beta1: float = Field(None, ge=0, lt=1)  # type: ignore[assignment]
    beta2: float = Field(None, ge=0, lt=1)  # type: ignore[assignment]


class TrainingConfig(Echoed):
    """Everything a training run needs."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "dataset": {
                        "kind": "moons",
                        "n": 400,
                        "noise": 0.1,
                        "seed": 0,
                        "test_fraction": 0.25,
                    },
                    "model": {"hidden": [16, 16], "activation": "relu", "features": ["x", "y"]},
                    "loss": "softmax_cross_entropy",
                    "optimizer": {"kind": "adam", "lr": 0.01},
                    "batch_size": 32,
                    "epochs": None,
                    "l2": 0.0,
                    "l1": 0.0,
                }
            ]
        },
    )

    dataset: DatasetConfig = Field(default_factory=DatasetConfig)
    model: ModelConfig = Field(default_factory=ModelConfig)
    loss: Literal["softmax_cross_entropy", "sigmoid_cross_entropy", "mse"] = "softmax_cross_entropy"
    optimizer: OptimizerConfig = Field(default_factory=OptimizerConfig)
    batch_size: int = Field(32, ge=1, le=5000)
    epochs: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="Stop after this many epochs; null: train until paused.",
    )
    l2: float = Field(0.0, ge=0, le=1, description="L2 penalty on the weights: l2 × ΣW².")
    l1: float = Field(0.0, ge=0, le=1, description="L1 penalty on the weights: l1 × Σ|W|.")
    max_steps_per_second: float | None = Field(
        None, ge=0.001, le=100_000, description="Slow training down to watch it; none: full speed."
    )

    @model_validator(mode="after")
    def _loss_fits_the_task(self) -> TrainingConfig:
        kind = self.dataset.kind
        if kind in REGRESSION_KINDS and self.loss != "mse":
            raise ValueError(f"{kind} is a regression dataset: train it with the mse loss")
        multiclass = kind in MULTICLASS_KINDS and self.dataset.classes > 2
        if multiclass and self.loss != "softmax_cross_entropy":
            raise ValueError(f"{self.dataset.classes} classes need the softmax_cross_entropy loss")
        return self


class TrainingSettings(Strict):
    """The settings that keep the model's shape and data, changed in a run in progress
    without resetting it (PATCH …/training): only the fields given change.

    Naming anything else of the config (``dataset``, ``model``, ``loss``) is a 422 naming
    that field: those change the model or its data, so they take a PUT, which resets the run.
    """

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"optimizer": {"lr": 0.03}, "l1": 0.001}]},
    )

    # Left out, a field keeps its value; only epochs and the speed may be null.
    optimizer: OptimizerSettings = Field(  # type: ignore[assignment]
        None, description="The optimizer's kind and hyperparameters; only those given change."
    )
    batch_size: int = Field(None, ge=1, le=5000)  # type: ignore[assignment]
    epochs: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="Stop after this many epochs; null: train until paused.",
    )
    l2: float = Field(None, ge=0, le=1, description="L2 penalty on the weights.")  # type: ignore[assignment]
    l1: float = Field(None, ge=0, le=1, description="L1 penalty on the weights.")  # type: ignore[assignment]
    max_steps_per_second: float | None = Field(
        None, ge=0.001, le=100_000, description="Slow training down to watch it; null: full speed."
    )

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """Only the fields given: the journal keeps what was asked for, so a replay changes
        the same fields (a null ``epochs`` given means "no stop", not "unchanged")."""
        return super().model_dump(**{"exclude_unset": True, **kwargs})


class Metrics(Answer):
    """Loss and accuracy (classification) or mean squared error (regression) on the train
    and test sets; null where they do not apply, or for an empty set."""

    train_loss: float | None = None
    test_loss: float | None = None
    train_accuracy: float | None = None
    test_accuracy: float | None = None
    train_mse: float | None = Field(None, description="Regression only; without the L2 penalty.")
    test_mse: float | None = Field(None, description="Regression only.")


STALL_EPOCHS = 3
"""A layer has stopped learning after this many epochs in a row without learning."""

STALL_RATIO = 1e-6
"""An epoch taught a layer nothing when all its units are dead at its end, or the gradient
of its last step is negligible: ‖∂loss/∂W‖ < STALL_RATIO × ‖W‖."""


class LayerHealth(Answer):
    """How one hidden layer stands at an epoch's end: its dead units on the training set,
    and its gradients' norms on the epoch's last step.

    Only ReLU units die (output exactly zero for every point, so they pass no gradient);
    tanh, sigmoid and GELU units saturate but never die, so their dead counts are null.
    """

    layer: int = Field(ge=1, description="The hidden layer, 1 for the first.", examples=[2])
    units: int = Field(ge=1, description="How many units the layer has.")
    dead_units: int | None = Field(
        description="ReLU units that are zero for every point of the training set; "
        "null for the other activations, which never output exact zeros."
    )
    dead_fraction: float | None = Field(
        description="dead_units / units; null when dead_units is.", examples=[0.25]
    )
    weight_grad_norm: float = Field(
        description="‖∂loss/∂W‖ of the layer's weight matrix on the epoch's last step."
    )
    bias_grad_norm: float = Field(description="‖∂loss/∂b‖ of the layer's bias on that step.")
    weight_norm: float = Field(description="‖W‖ of the layer's weight matrix.")
    epochs_without_learning: int = Field(
        0,
        ge=0,
        description="Epochs in a row, up to this one, at whose end all the layer's units were "
        f"dead or its weight gradient's norm was below {STALL_RATIO:g} × its weights' norm.",
    )
    stopped_learning: str | None = Field(
        None,
        description="Why the layer stopped learning, in one line, once epochs_without_learning "
        f"reaches {STALL_EPOCHS}. Null while it learns.",
        examples=["layer 2 stopped learning: 8 of 8 units are dead"],
    )


class HistoryEntry(Metrics):
    """The metrics after an epoch (or a single step), with each layer's gradient norm."""

    epoch: int
    step: int
    grad_norms: dict[str, float] = Field(default_factory=dict)
    layers: list[LayerHealth] = Field(
        default_factory=list, description="Each hidden layer's health at the epoch's end."
    )


class StepNode(BaseModel):
    """One node a training step records: its gate and the names of its inputs and outputs."""

    gate: str
    inputs: list[str] = Field(description='Variable names; "const" for a literal.')
    outputs: list[str]


class TrainingStatus(Answer):
    """Where the run is: state, epoch, step, the latest metrics and their history.

    Before any run is configured the state is ``unconfigured``, with the default config,
    no weights and no history.
    """

    state: Literal["unconfigured", "idle", "running", "paused", "done"]
    epoch: int
    step: int
    steps_per_epoch: int
    metrics: Metrics
    history: list[HistoryEntry]
    config: TrainingConfig
    parameters: list[str] = Field(description="The workspace variables holding the weights.")
    graph: list[StepNode] = Field(
        default_factory=list, description="The nodes one training step records on its tape."
    )
    layers: list[LayerHealth] = Field(
        default_factory=list,
        description="Each hidden layer's health at the latest epoch's end; empty before.",
    )
    pause_reason: str | None = Field(
        None,
        description="Why the server paused the run itself (its checkpoint could not be "
        "stored: a full disk); null when it was not.",
    )


Point = Annotated[list[float], Field(min_length=2, max_length=2, description="[x, y]")]


class TrainingPoints(Answer):
    """The dataset, for drawing: points and labels (or targets) of both splits."""

    train: list[Point]
    train_labels: list[int] = Field(description="Class labels; empty for regression.")
    test: list[Point]
    test_labels: list[int]
    classes: int | None = Field(
        None, description="How many classes the model tells apart; null for regression."
    )
    train_targets: list[float] | None = Field(None, description="Regression targets, else null.")
    test_targets: list[float] | None = None


Grid = list[list[float]]


class DecisionBoundary(Answer):
    """What the model predicts on a grid over the data's extent (rows go up in y).

    Before any run is configured there is no model: a class-1 probability of 0.5 in every
    cell (no prediction either way), over the default dataset's extent.
    """

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    resolution: int
    probabilities: Grid | None = Field(
        description="Class-1 probability, for two classes only; null otherwise."
    )
    classes: int | None = Field(None, description="Classes told apart; null for regression.")
    predicted: list[list[int]] | None = Field(
        None, description="Each cell's predicted class (classification); null for regression."
    )
    confidence: Grid | None = Field(
        None, description="The predicted class's probability in each cell (classification)."
    )
    values: Grid | None = Field(
        None, description="The prediction in each cell (regression); null for classification."
    )


class TrainingCheckpoint(Strict):
    """Journaled progress: the weights, the optimizer state and the new history entries."""

    epoch: int = Field(ge=0)
    step: int = Field(ge=0)
    state: Literal["idle", "running", "paused", "done"]
    parameters: dict[str, Any]
    gradients: dict[str, Any] = Field(default_factory=dict, description="From the last step.")
    optimizer_state: dict[str, Any]
    history_before: int = Field(ge=0, description="History entries journaled earlier.")
    new_history: list[HistoryEntry]


class TrainingReset(Strict):
    """Start the run over with fresh weights."""
