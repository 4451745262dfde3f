"""What each event of the live stream carries: one model per event type.

Every event is built from its model, so the stream cannot send what the OpenAPI document
does not describe (``openapi_events.py`` adds these models to it). On the wire an event
is its model's fields plus ``seq``, the number the event hub gives it when published.
"""

from typing import Annotated, Any, Literal

from pydantic import Field

from backend.schemas import (
    AnomalyOut,
    Answer,
    HealthOut,
    NodeOut,
    TensorPreview,
    VariableSummary,
)
from backend.training.network_schemas import WeightChange
from backend.training.schemas import LayerHealth, Metrics


class EventPayload(Answer):
    """The fields of one event; ``type`` names it, and is also the SSE event name (its
    default spares announcing a repetition; as an Answer, the document marks it required)."""

    type: str

    def data(self) -> dict[str, Any]:
        """The fields as JSON values, without the type (the hub sends it beside ``seq``)."""
        return self.model_dump(mode="json", exclude={"type"})


class VariableCreated(EventPayload):
    """A variable was made by hand."""

    type: Literal["variable_created"] = "variable_created"
    variable: VariableSummary


class NodeRecorded(EventPayload):
    """A gate was applied: its node and the variables it produced."""

    type: Literal["node_recorded"] = "node_recorded"
    node: NodeOut
    outputs: list[VariableSummary]


class BackpropStepped(EventPayload):
    """One node popped from the tape, as `BackpropStepOut` with previews for tensors."""

    type: Literal["backprop_step"] = "backprop_step"
    node: int
    gate: str
    grads: dict[str, TensorPreview]
    upstream: dict[str, TensorPreview]
    accumulated: dict[str, TensorPreview]


class BackpropDone(EventPayload):
    """Backprop from ``variable`` finished: every gradient afterwards."""

    type: Literal["backprop_done"] = "backprop_done"
    variable: str
    gradients: dict[str, TensorPreview]
    health: dict[str, HealthOut] = Field(default_factory=dict)
    anomaly: AnomalyOut | None = None


class GradsZeroed(EventPayload):
    """Gradients were reset: of the named variables, or of all when None."""

    type: Literal["zero_grad"] = "zero_grad"
    variables: list[str] | None


class NoGradSet(EventPayload):
    """No-grad mode was switched on or off."""

    type: Literal["no_grad"] = "no_grad"
    enabled: bool


class Renamed(EventPayload):
    """A variable moved to a versioned label (``h`` to ``h@1``), freeing its name."""

    type: Literal["renamed"] = "renamed"
    old: str
    new: str


class OptimizerStepped(EventPayload):
    """An optimizer updated these parameters."""

    type: Literal["optimizer_step"] = "optimizer_step"
    optimizer: str
    params: list[VariableSummary]


class TrainingProgress(EventPayload):
    """Where a training run is: throttled while running, one per state change or checkpoint."""

    type: Literal["training"] = "training"
    state: Literal["idle", "running", "paused", "done"]
    epoch: int
    step: int
    metrics: Metrics
    layers: list[LayerHealth] = Field(
        default_factory=list,
        description="Each hidden layer's health at the latest epoch's end; empty before.",
    )
    pause_reason: str | None = Field(
        None, description="Why the server paused the run itself (a checkpoint not stored)."
    )


class WeightEdited(EventPayload, WeightChange):
    """One element of a training run's weight or bias was set by hand (`PUT …/weights`)."""

    type: Literal["weight_edited"] = "weight_edited"
    variable: VariableSummary = Field(description="The weight's variable after the edit.")


class TrainingDataSet(EventPayload):
    """The user's own points were replaced (and the run reset): load them again."""

    type: Literal["training_data"] = "training_data"
    points: int = Field(ge=0, description="How many points there are now.")


class Deleted(EventPayload):
    """The workspace was deleted; the stream ends."""

    type: Literal["deleted"] = "deleted"


class Resync(EventPayload):
    """Events were missed that cannot be replayed: reload the whole state."""

    type: Literal["resync"] = "resync"


ServerEvent = Annotated[
    VariableCreated
    | NodeRecorded
    | BackpropStepped
    | BackpropDone
    | GradsZeroed
    | NoGradSet
    | Renamed
    | OptimizerStepped
    | TrainingProgress
    | WeightEdited
    | TrainingDataSet
    | Deleted
    | Resync,
    Field(discriminator="type"),
]
"""Any event of the stream, told apart by ``type``."""
