"""What the training view draws: the status, the points, and the model's prediction on a
grid, with a run or before one is configured (the default config's data, and no model yet)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backend.training.datasets import NO_POINTS, Dataset, classes_of, dataset_of
from backend.training.job import TrainingRun, steps_per_epoch
from backend.training.schemas import (
    DatasetConfig,
    DecisionBoundary,
    Metrics,
    TrainingConfig,
    TrainingPoints,
    TrainingStatus,
)
from backend.workspace.workspace import Workspace

MARGIN = 0.25
"""Room around the data on the boundary's grid."""

EMPTY_EXTENT = 1.5
"""The user's own points are drawn on at least [-1.5, 1.5]², so there is room to add some."""


def status_of(ws: Workspace) -> TrainingStatus:
    """The run's status, or the ``unconfigured`` one with the default config."""
    if ws.training is not None:
        return ws.training.status()
    config = TrainingConfig()
    return TrainingStatus(
        state="unconfigured",
        epoch=0,
        step=0,
        steps_per_epoch=steps_per_epoch(len(default_data().x_train), config.batch_size),
        metrics=Metrics(),
        history=[],
        config=config,
        parameters=[],
    )


def run_of(ws: Workspace) -> TrainingRun | None:
    """The workspace's run, None before one is configured."""
    return None if ws.training is None else ws.training.run


def default_data() -> Dataset:
    """The points of the default config, drawn before a run is configured."""
    return dataset_of(TrainingConfig().dataset)


def points_of(data: Dataset, classes: int | None) -> TrainingPoints:
    """A dataset's points with their labels (classification, ``classes`` of them) or targets
    (regression: ``classes`` None)."""
    regression = classes is None
    return TrainingPoints(
        train=data.x_train.tolist(),
        train_labels=[] if regression else data.y_train.astype(int).tolist(),
        test=data.x_test.tolist(),
        test_labels=[] if regression else data.y_test.astype(int).tolist(),
        classes=classes,
        train_targets=data.y_train.tolist() if regression else None,
        test_targets=data.y_test.tolist() if regression else None,
    )


def run_points(run: TrainingRun | None) -> TrainingPoints:
    """The run's points, or the default config's before a run is configured."""
    if run is None:
        return previewed_points(TrainingConfig().dataset, None)
    return points_of(run.data, run.model.classes)


def previewed_points(config: DatasetConfig, run: TrainingRun | None) -> TrainingPoints:
    """The points a dataset ``config`` would give (custom: the user's points held by the
    run, if any), to draw before applying it."""
    user_points = NO_POINTS if run is None else run.user_points
    return points_of(dataset_of(config, user_points), classes_of(config.kind, config.classes))


def extent_of(data: Dataset, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest corner of the grid: the data and a margin, and for the user's
    own points at least the square they are usually placed in."""
    points = np.concatenate([data.x_train, data.x_test])
    if len(points):
        low, high = points.min(axis=0) - MARGIN, points.max(axis=0) + MARGIN
    else:
        low, high = np.full(2, np.inf), np.full(2, -np.inf)
    if kind == "custom":
        low, high = np.minimum(low, -EMPTY_EXTENT), np.maximum(high, EMPTY_EXTENT)
    return low, high


@dataclass(frozen=True)
class Plane:
    """A grid over the data's extent: ``points`` row by row, rows going up in y."""

    low: np.ndarray
    high: np.ndarray
    resolution: int
    points: np.ndarray


def plane_over(data: Dataset, kind: str, resolution: int) -> Plane:
    """The ``resolution`` × ``resolution`` grid over ``data``."""
    low, high = extent_of(data, kind)
    xs, ys = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    return Plane(low, high, resolution, grid)


def plane_of(run: TrainingRun, resolution: int) -> Plane:
    """The ``resolution`` × ``resolution`` grid the boundary and the network's tiles share."""
    return plane_over(run.data, run.config.dataset.kind, resolution)


def boundary_of(run: TrainingRun | None, resolution: int) -> DecisionBoundary:
    """The model's prediction on a ``resolution``² grid over the data: class probabilities
    and the predicted class, or the predicted value for regression. Without a run there is
    no model: a class-1 probability of 0.5 everywhere over the default config's data."""
    shape = (resolution, resolution)
    if run is None:
        plane = plane_over(default_data(), TrainingConfig().dataset.kind, resolution)
    else:
        plane = plane_of(run, resolution)
    grid, low, high = plane.points, plane.low, plane.high
    extent = {
        "x_min": float(low[0]),
        "x_max": float(high[0]),
        "y_min": float(low[1]),
        "y_max": float(high[1]),
        "resolution": resolution,
    }
    if run is None:
        return DecisionBoundary(**extent, probabilities=_rounded(np.full(shape, 0.5)))
    if run.model.classes is None:
        values = run.model.predict(grid)[:, 0].reshape(shape)
        return DecisionBoundary(**extent, probabilities=None, values=_rounded(values))
    probabilities = run.model.class_probabilities(grid)
    two = probabilities.shape[1] == 2
    return DecisionBoundary(
        **extent,
        probabilities=_rounded(probabilities[:, 1].reshape(shape)) if two else None,
        classes=run.model.classes,
        predicted=probabilities.argmax(axis=1).reshape(shape).tolist(),
        confidence=_rounded(probabilities.max(axis=1).reshape(shape)),
    )


def _rounded(grid: np.ndarray) -> list[list[float]]:
    return grid.round(4).tolist()
