"""What the training view draws: the status, the points and the decision boundary, with a
run or before one is configured (the default config's data, and no model yet)."""

from __future__ import annotations

import numpy as np

from backend.training.datasets import Dataset, make_dataset
from backend.training.job import TrainingRun
from backend.training.schemas import (
    DatasetConfig,
    DecisionBoundary,
    Metrics,
    TrainingConfig,
    TrainingPoints,
    TrainingStatus,
)
from backend.workspaces import Workspace

MARGIN = 0.25
"""How far the boundary's grid reaches past the outermost points."""


def status_of(ws: Workspace) -> TrainingStatus:
    """The run's status, or the ``unconfigured`` one with the default config."""
    if ws.training is not None:
        return ws.training.status()
    config = TrainingConfig()
    train_points = len(dataset_of(config.dataset).x_train)
    return TrainingStatus(
        state="unconfigured",
        epoch=0,
        step=0,
        steps_per_epoch=-(-train_points // config.batch_size),
        metrics=Metrics(),
        history=[],
        config=config,
        parameters=[],
    )


def run_of(ws: Workspace) -> TrainingRun | None:
    """The workspace's run, None before one is configured."""
    return None if ws.training is None else ws.training.run


def points_of(data: Dataset) -> TrainingPoints:
    """A dataset's points and labels, train and test."""
    return TrainingPoints(
        train=data.x_train.tolist(),
        train_labels=data.y_train.astype(int).tolist(),
        test=data.x_test.tolist(),
        test_labels=data.y_test.astype(int).tolist(),
    )


def data_of(run: TrainingRun | None) -> Dataset:
    """The run's dataset, or the default config's."""
    return dataset_of(TrainingConfig().dataset) if run is None else run.data


def dataset_of(config: DatasetConfig) -> Dataset:
    """The points ``config`` describes."""
    return make_dataset(config.kind, config.n, config.noise, config.seed, config.test_fraction)


def boundary_of(run: TrainingRun | None, resolution: int) -> DecisionBoundary:
    """The model's class-1 probability on a grid over the data; 0.5 everywhere (no
    prediction) without a run."""
    data = data_of(run)
    points = np.concatenate([data.x_train, data.x_test])
    low, high = points.min(axis=0) - MARGIN, points.max(axis=0) + MARGIN
    if run is None:
        probabilities = np.full((resolution, resolution), 0.5)
    else:
        xs = np.linspace(low[0], high[0], resolution)
        ys = np.linspace(low[1], high[1], resolution)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        probabilities = run.model.probabilities(grid).reshape(resolution, resolution)
    return DecisionBoundary(
        x_min=float(low[0]),
        x_max=float(high[0]),
        y_min=float(low[1]),
        y_max=float(high[1]),
        resolution=resolution,
        probabilities=probabilities.round(4).tolist(),
    )
