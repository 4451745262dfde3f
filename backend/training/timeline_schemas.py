"""The contract of a run's timeline, its runs and forks, and its layers' histograms."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from backend.schemas import Answer
from backend.training.schemas import HistoryEntry, Metrics, TrainingConfig, TrainingSettings


class KeptStepSummary(Answer):
    """A kept step of a run: where it stood and its metrics (the latest epoch's then)."""

    step: int = Field(ge=0, examples=[120])
    epoch: int = Field(ge=0)
    metrics: Metrics


class TimelineAnswer(Answer):
    """The kept steps of a run, oldest first: every step of the start, then a spacing that
    keeps the run's history within its byte budget; step 0 and the newest always."""

    run: int = Field(description="The run's id (see …/training/runs).")
    budget_bytes: int = Field(description="The byte budget of one run's timeline.")
    kept_bytes: int = Field(description="What the kept steps' arrays take now.")
    spacing: int = Field(description="Steps between kept steps past the dense start.")
    steps: list[KeptStepSummary]


class StepState(Answer):
    """A run at a kept step: every parameter, the gradients of the step's batch (none at
    step 0) and the metrics, each array as nested lists."""

    run: int
    step: int
    epoch: int
    metrics: Metrics
    parameters: dict[str, list[list[float]]]
    gradients: dict[str, list[list[float]]]


class RunSummary(Answer):
    """One run: the run and step it was forked from (null for the first), its settings and
    its metric history; only the current run trains, the others are kept read-only."""

    id: int
    parent: int | None
    fork_step: int | None
    current: bool
    kept_steps: int
    config: TrainingConfig
    history: list[HistoryEntry]


class RunList(Answer):
    """Every kept run, oldest first; the current one is last."""

    runs: list[RunSummary]


class ForkRequest(TrainingSettings):
    """Continue from a kept step of a run as a new run, with any setting changed (as in a
    PATCH …/training); the run forked from is kept, read-only."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"step": 0}, {"step": 200, "optimizer": {"lr": 0.1}}]},
    )

    step: int = Field(ge=0, description="A kept step (see …/training/timeline).")
    run: int | None = Field(None, ge=1, description="The run to fork; null: the current one.")

    def changes(self) -> TrainingSettings:
        """The settings it changes, as a PATCH would."""
        given = self.model_dump_json(exclude_unset=True, exclude={"step", "run"})
        return TrainingSettings.model_validate_json(given)


class Distribution(Answer):
    """Counts of values in fixed bins, one row per kept step (the same bins for all)."""

    edges: list[float] = Field(description="Bin edges, one more than bins.")
    steps: list[int]
    counts: list[list[int]] = Field(description="For each step, each bin's count.")


class LayerHistograms(Answer):
    """One layer's weights and bias, and their gradients, binned at each kept step; each
    row sums to the layer's parameter count (gradients: from step 1 on)."""

    layer: int = Field(ge=1, description="1 for the first layer.")
    parameters: int = Field(description="Elements of the layer's weight and bias.")
    weights: Distribution
    gradients: Distribution


class HistogramsAnswer(Answer):
    """Each layer's distributions over a run's kept steps."""

    run: int
    layers: list[LayerHistograms]
