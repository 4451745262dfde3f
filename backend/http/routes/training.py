"""Training: configure a run, adjust it, start, pause, step, reset; watch metrics and the
boundary."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query

from backend.http.deps import (
    HeavyReadableWorkspace,
    HeavyWritableWorkspace,
    ReadableWorkspace,
    WritableWorkspace,
)
from backend.http.routes.responses import errors
from backend.training.drawing import boundary_of, previewed_points, run_of, run_points, status_of
from backend.training.network import draw_network
from backend.training.network_schemas import NetworkDrawing, WeightChange, WeightEdit
from backend.training.past import drawn_run, run_at
from backend.training.schemas import (
    DatasetConfig,
    DecisionBoundary,
    TrainingConfig,
    TrainingPoints,
    TrainingReset,
    TrainingSettings,
    TrainingStatus,
)
from backend.training.trainer import Trainer, trainer_of
from backend.training.user_data import TrainingData, TrainingDataAnswer, user_data
from backend.workspace.operations import perform
from backend.workspace.workspace import Workspace

router = APIRouter(prefix="/api/workspaces/{workspace_id}/training", tags=["training"])

StepQuery = Annotated[
    int | None,
    Query(ge=0, description="A kept step of the current run (see …/training/timeline); now."),
]


@router.put("", response_model=TrainingStatus, responses=errors(401, 403, 404, 413, 422))
def configure_training(workspace: WritableWorkspace, body: TrainingConfig) -> TrainingStatus:
    """Set up a training run: dataset, MLP, loss, optimizer, batch size, epochs, L2, L1.

    The weights become workspace variables (`net_W1`, `net_b1`, …); an earlier run's stay
    as versions (`net_W1@1`). A bad config is a 422 naming the field; weights that would
    take the workspace past its variable limit are a 413. Replaces any earlier run.
    """
    return perform(workspace, "training_configure", body)


@router.patch("", response_model=TrainingStatus, responses=errors(401, 403, 404, 422))
def adjust_training(workspace: WritableWorkspace, body: TrainingSettings) -> TrainingStatus:
    """Change the learning rate, optimizer, L2, L1, batch size, epochs or speed of the run,
    even while it trains: the weights, the step and the history stay.

    Only the fields given change. Naming `dataset`, `model` or `loss` is a 422 naming the
    field: those change the model or its data, which takes a PUT (and resets the run).
    A 404 before any run is configured.
    """
    return perform(workspace, "training_adjust", body)


@router.get("", response_model=TrainingStatus, responses=errors(401, 404))
def training_status(workspace: ReadableWorkspace) -> TrainingStatus:
    """State (unconfigured, idle, running, paused, done), epoch, step, the latest metrics and
    their history. Before any run is configured: `unconfigured`, with the default config."""
    with workspace.lock:
        return status_of(workspace)


@router.post("/start", response_model=TrainingStatus, responses=errors(401, 403, 404, 409))
def start_training(workspace: WritableWorkspace) -> TrainingStatus:
    """Train in the background until the configured epochs are done or it is paused.

    A run that is done goes on from where it is, with no stop (PATCH `epochs` first to
    set a new one)."""
    return _control(workspace, Trainer.start)


@router.post("/pause", response_model=TrainingStatus, responses=errors(401, 403, 404, 409))
def pause_training(workspace: WritableWorkspace) -> TrainingStatus:
    """Stop after the current step; the progress is journaled."""
    return _control(workspace, Trainer.pause)


@router.post(
    "/step",
    response_model=TrainingStatus,
    responses=errors(401, 403, 404, 409, 429),
)
def step_training(workspace: HeavyWritableWorkspace) -> TrainingStatus:
    """One minibatch step: forward on the tape, backprop, optimizer update."""
    return _control(workspace, Trainer.single_step)


@router.post("/reset", response_model=TrainingStatus, responses=errors(401, 403, 404))
def reset_training(workspace: WritableWorkspace) -> TrainingStatus:
    """Fresh weights, epoch 0, no history."""
    return perform(workspace, "training_reset", TrainingReset())


@router.get("/points", response_model=TrainingPoints, responses=errors(401, 404))
def training_points(workspace: ReadableWorkspace) -> TrainingPoints:
    """The dataset's points and labels (regression: targets), train and test (the default
    dataset's before any run is configured)."""
    with workspace.lock:
        return run_points(run_of(workspace))


@router.post("/points/preview", response_model=TrainingPoints, responses=errors(401, 404, 422))
def preview_points(workspace: ReadableWorkspace, body: DatasetConfig) -> TrainingPoints:
    """The points a dataset config would give, to draw before applying it (custom: the
    user's own points); changes nothing."""
    with workspace.lock:
        run = run_of(workspace)
    return previewed_points(body, run)


@router.get(
    "/boundary",
    response_model=DecisionBoundary,
    responses=errors(401, 404, 429),
)
def decision_boundary(
    workspace: HeavyReadableWorkspace,
    resolution: Annotated[int, Query(ge=4, le=200, description="Grid cells per side.")] = 40,
    step: StepQuery = None,
) -> DecisionBoundary:
    """The model's prediction on a grid covering the data, for the heatmap: the class-1
    probability (two classes), each cell's class and its probability, or the predicted value
    (regression); 0.5 everywhere over the default dataset before any run is configured.
    With `step`, the prediction of the parameters kept at that step; a step not kept is a
    404 (`step_not_kept`) naming the nearest kept steps."""
    with workspace.lock:
        return boundary_of(drawn_run(workspace, step), resolution)


@router.put("/data", response_model=TrainingDataAnswer, responses=errors(401, 403, 404, 422))
def set_training_data(workspace: WritableWorkspace, body: TrainingData) -> TrainingDataAnswer:
    """Replace the user's own points, `[x, y, label]` each, and **reset the run** (fresh
    weights, epoch 0). The run trains on them when its dataset is custom; they stay through
    a new setup. A coordinate that is not finite or a label that is not a whole number 0 to
    5 is a 422 naming the point (`points.3`), and nothing changes; so is a label the loss
    cannot tell (the one-output losses know classes 0 and 1 only)."""
    return perform(workspace, "training_data", body)


@router.get("/data", response_model=TrainingData, responses=errors(401, 404))
def training_data(workspace: ReadableWorkspace) -> TrainingData:
    """The user's own points as they were set, in their order."""
    with workspace.lock:
        return user_data(workspace)


@router.get("/network", response_model=NetworkDrawing, responses=errors(401, 404, 429))
def network(
    workspace: HeavyReadableWorkspace,
    resolution: Annotated[int, Query(ge=4, le=40, description="Grid cells per tile side.")] = 20,
    step: StepQuery = None,
) -> NetworkDrawing:
    """The network drawn: each input feature, hidden unit and output as a tile of its value
    over the boundary's grid, and every weight and bias. Records nothing on any tape. With
    `step`, as it stood at that kept step (a step not kept is a 404 naming the nearest)."""
    with workspace.lock:
        return draw_network(run_at(trainer_of(workspace), step), resolution)


@router.put(
    "/weights",
    response_model=WeightChange,
    responses=errors(401, 403, 404, 422),
)
def edit_weight(workspace: WritableWorkspace, body: WeightEdit) -> WeightChange:
    """Set one element of a weight or bias (`net_W1[0, 3] = 0.5`), journaled like any change.

    Paused, idle or done, it applies at once; while training runs it applies between two
    steps (the run carries on from the edited weight). Nodes that read the weight become
    stale. An unknown parameter is a 404, an index outside its shape or a non-finite value
    a 422, each naming the field; nothing changes then. Announced as `weight_edited`.
    """
    return perform(workspace, "training_weight_edit", body)


def _control(workspace: Workspace, action: Callable[[Trainer], None]) -> TrainingStatus:
    """Start, pause or step under the lock; a run that stopped is journaled, a running one
    announced (its loop journals as it goes)."""
    with workspace.lock:
        trainer = trainer_of(workspace)
        action(trainer)
        if trainer.run.state != "running":
            trainer.save()
        else:
            trainer.publish_progress()
        return trainer.status()
