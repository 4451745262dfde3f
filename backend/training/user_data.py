"""The user's own points: set as a whole list, validated, journaled, and trained on when the
dataset is custom. Setting them resets the run (fresh weights, epoch 0)."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import AfterValidator, ConfigDict, Field

from backend.event_payloads import TrainingDataSet
from backend.schemas import Answer, Strict
from backend.training.datasets import MAX_CLASSES
from backend.training.job import check_user_points
from backend.training.schemas import MAX_POINTS, TrainingStatus
from backend.training.trainer import trainer_of
from backend.workspace.workspace import Workspace

COORDINATE_LIMIT = 1e6
"""Coordinates beyond this are refused: they would overflow the features (x², xy)."""

Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-COORDINATE_LIMIT, le=COORDINATE_LIMIT)]


def _label_is_a_class(point: list[float]) -> list[float]:
    label = point[2]
    if label % 1 or not 0 <= label < MAX_CLASSES:
        raise ValueError(f"the label must be a whole number 0 to {MAX_CLASSES - 1}, not {label:g}")
    return point


UserPoint = Annotated[
    list[Coordinate],
    Field(min_length=3, max_length=3, description="[x, y, label]", examples=[[0.5, -0.2, 1]]),
    AfterValidator(_label_is_a_class),
]


class TrainingData(Strict):
    """The user's points, as a whole list (it replaces the earlier one)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"points": [[0.5, -0.2, 0], [-1, 1, 2]]}]}
    )

    points: list[UserPoint] = Field(
        max_length=MAX_POINTS,
        description=f"[x, y, label] rows: finite coordinates, integer labels 0 to "
        f"{MAX_CLASSES - 1}; at most {MAX_POINTS}.",
    )


class TrainingDataAnswer(Answer):
    """The points now set, and the run they reset."""

    points: list[UserPoint]
    reset: bool = Field(
        True, description="Always true: setting the points starts the run over (epoch 0)."
    )
    status: TrainingStatus


def points_array(request: TrainingData) -> np.ndarray:
    """The request's points as an (n, 3) float array."""
    return np.array(request.points, dtype=float).reshape(-1, 3)


def set_user_data(ws: Workspace, request: TrainingData) -> TrainingDataAnswer:
    """Replace the user's points and reset the run. The points are kept whatever the
    dataset, and trained on when it is custom."""
    trainer = trainer_of(ws)
    points = points_array(request)
    check_user_points(trainer.run.config, points)
    trainer.run.user_points = points
    trainer.reset()
    ws.announce(TrainingDataSet(points=len(points)))
    ws.announce(trainer.progress())
    return TrainingDataAnswer(points=request.points, status=trainer.status())


def user_data(ws: Workspace) -> TrainingData:
    """The user's points as they were set (held whatever the dataset)."""
    rows = trainer_of(ws).run.user_points
    return TrainingData(points=rows.tolist())
