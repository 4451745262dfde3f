"""What the page draws of a run: its points and the model's prediction on a grid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backend.training.job import TrainingRun
from backend.training.schemas import DecisionBoundary, TrainingPoints

MARGIN = 0.25
"""Room around the data on the boundary's grid."""

EMPTY_EXTENT = 1.5
"""The user's own points are drawn on at least [-1.5, 1.5]², so there is room to add some."""


def points_of(run: TrainingRun) -> TrainingPoints:
    """The run's points with their labels (classification) or targets (regression)."""
    data, classes = run.data, run.model.classes
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


def extent_of(run: TrainingRun) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest corner of the grid: the data and a margin, and for the user's
    own points at least the square they are usually placed in."""
    points = np.concatenate([run.data.x_train, run.data.x_test])
    if len(points):
        low, high = points.min(axis=0) - MARGIN, points.max(axis=0) + MARGIN
    else:
        low, high = np.full(2, np.inf), np.full(2, -np.inf)
    if run.config.dataset.kind == "custom":
        low, high = np.minimum(low, -EMPTY_EXTENT), np.maximum(high, EMPTY_EXTENT)
    return low, high


@dataclass(frozen=True)
class Plane:
    """A grid over the data's extent: ``points`` row by row, rows going up in y."""

    low: np.ndarray
    high: np.ndarray
    resolution: int
    points: np.ndarray


def plane_of(run: TrainingRun, resolution: int) -> Plane:
    """The ``resolution`` × ``resolution`` grid the boundary and the network's tiles share."""
    low, high = extent_of(run)
    xs, ys = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    return Plane(low, high, resolution, grid)


def boundary_of(run: TrainingRun, resolution: int) -> DecisionBoundary:
    """The model's prediction on a ``resolution``² grid over the data: class probabilities
    and the predicted class, or the predicted value for regression."""
    plane = plane_of(run, resolution)
    grid, low, high = plane.points, plane.low, plane.high
    shape = (resolution, resolution)
    extent = {
        "x_min": float(low[0]),
        "x_max": float(high[0]),
        "y_min": float(low[1]),
        "y_max": float(high[1]),
        "resolution": resolution,
    }
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
