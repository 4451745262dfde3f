"""Time travel over training: a run's timeline, a run at a kept step, runs and forks, and
each layer's weight and gradient histograms."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from backend.http.deps import ReadableWorkspace, WritableWorkspace
from backend.http.routes.responses import errors
from backend.training import travel
from backend.training.schemas import TrainingStatus
from backend.training.timeline_schemas import (
    ForkRequest,
    HistogramsAnswer,
    RunList,
    StepState,
    TimelineAnswer,
)
from backend.training.trainer import trainer_of

router = APIRouter(prefix="/api/workspaces/{workspace_id}/training", tags=["training"])

RunQuery = Annotated[
    int | None, Query(ge=1, description="A run's id (see …/training/runs); the current run.")
]


@router.get("/timeline", response_model=TimelineAnswer, responses=errors(401, 404, 422))
def training_timeline(workspace: ReadableWorkspace, run: RunQuery = None) -> TimelineAnswer:
    """The steps a run kept, each with its step, epoch and metrics: every step of its start,
    then a spacing that keeps its history within the server's byte budget; step 0 and the
    newest step always. A 404 before a run is configured, or naming the kept runs."""
    with workspace.lock:
        return travel.timeline(workspace, run)


@router.get("/at/{step}", response_model=StepState, responses=errors(401, 404, 422))
def training_at(
    workspace: ReadableWorkspace,
    step: Annotated[int, Path(ge=0, description="A kept step.")],
    run: RunQuery = None,
) -> StepState:
    """A run's parameters, gradients (of that step's batch) and metrics at a kept step; a
    step not kept is a 404 (`step_not_kept`) naming the nearest kept steps."""
    with workspace.lock:
        return travel.state_at(workspace, step, run)


@router.get("/runs", response_model=RunList, responses=errors(401, 404, 422))
def training_runs(
    workspace: ReadableWorkspace,
    history: Annotated[
        bool,
        Query(description="Include each run's metric history; false: every history empty."),
    ] = True,
) -> RunList:
    """Every kept run with the run and step it was forked from and its metric history (a page
    listing the runs while one trains asks without, as each history grows every step)."""
    with workspace.lock:
        listed = travel.runs(workspace)
    if history:
        return listed
    return RunList(runs=[run.model_copy(update={"history": []}) for run in listed.runs])


@router.post("/fork", response_model=TrainingStatus, responses=errors(401, 403, 404, 409, 422))
def fork_training(workspace: WritableWorkspace, body: ForkRequest) -> TrainingStatus:
    """Continue from a kept step of a run (its parameters, gradients and optimizer state)
    as a new run, paused, with any setting given changed; the run forked from is kept,
    read-only. Fork from step 0 of a run to start again from the same initial weights.

    A running run stops first. An unknown run or a step not kept is a 404, and nothing
    changes. The new run is stored at once."""
    with workspace.lock:
        trainer = trainer_of(workspace)
        travel.fork(trainer, body)
        trainer.save()
        return trainer.status()


@router.get("/histograms", response_model=HistogramsAnswer, responses=errors(401, 404, 422))
def training_histograms(
    workspace: ReadableWorkspace,
    run: RunQuery = None,
    bins: Annotated[int, Query(ge=2, le=100, description="Bins per distribution.")] = 30,
) -> HistogramsAnswer:
    """For each layer, the distribution of its weights and bias and of their gradients at
    each kept step of a run, in bins shared by all steps; each step's counts sum to the
    layer's parameter count."""
    with workspace.lock:
        return travel.histograms(workspace, run, bins)
