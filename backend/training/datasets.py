"""Seeded 2-D datasets split into train and test: classification (two classes, or k for
blobs and spirals), regression (a continuous target), or the user's own points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

MAX_CLASSES = 6
"""Most classes a dataset may have; the user's own points have room for all of them."""

REGRESSION_KINDS = frozenset({"plane", "gaussian"})
"""Datasets whose target is a number rather than a class."""

MULTICLASS_KINDS = frozenset({"blobs", "spirals"})
"""Generated datasets that take a number of classes."""

NO_POINTS = np.zeros((0, 3))
"""No user points: ``[x, y, label]`` rows, none of them."""


@dataclass(frozen=True)
class Dataset:
    """Points (n, 2) with their targets (class labels 0..k-1, or numbers for regression),
    split into train and test."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def classes_of(kind: str, classes: int) -> int | None:
    """How many classes a dataset ``kind`` has (``classes`` for blobs and spirals, room for
    every class for the user's own points); None for regression."""
    if kind in REGRESSION_KINDS:
        return None
    if kind == "custom":
        return MAX_CLASSES
    return classes if kind in MULTICLASS_KINDS else 2


def make_dataset(
    kind: str, n: int, noise: float, seed: int, test_fraction: float, classes: int = 2
) -> Dataset:
    """``n`` points of a generated ``kind`` with Gaussian ``noise``: on the points for
    classification, on the target for regression."""
    rng = np.random.default_rng(seed)
    if kind in REGRESSION_KINDS:
        points = rng.uniform(-1, 1, (n, 2))
        targets = REGRESSIONS[kind](points) + rng.normal(0.0, noise, n)
    else:
        points, targets = CLASSIFICATIONS[kind](n, rng, classes)
        points = points + rng.normal(0.0, noise, points.shape)
    return _split(points, targets, rng, max(1, round(n * test_fraction)))


def from_points(points: np.ndarray, seed: int, test_fraction: float) -> Dataset:
    """The user's ``[x, y, label]`` rows, shuffled by ``seed`` and split; at least one point
    is kept for training whenever there is one."""
    rng = np.random.default_rng(seed)
    count = len(points)
    n_test = max(0, min(round(count * test_fraction), count - 1))
    return _split(points[:, :2], points[:, 2], rng, n_test)


def _split(points: np.ndarray, targets: np.ndarray, rng: np.random.Generator, n_test: int):
    order = rng.permutation(len(points))
    points, targets = points[order], targets[order]
    return Dataset(points[n_test:], targets[n_test:], points[:n_test], targets[:n_test])


def _counts(n: int, classes: int) -> list[int]:
    """``n`` split into ``classes`` near-equal counts, the larger ones last."""
    return [n // classes + (i >= classes - n % classes) for i in range(classes)]


def _labels(counts: list[int]) -> np.ndarray:
    return np.concatenate([np.full(count, float(label)) for label, count in enumerate(counts)])


def _moons(n: int, rng: np.random.Generator, _: int) -> tuple[np.ndarray, np.ndarray]:
    counts = _counts(n, 2)
    upper = np.linspace(0, np.pi, counts[0])
    lower = np.linspace(0, np.pi, counts[1])
    points = np.concatenate(
        [
            np.stack([np.cos(upper), np.sin(upper)], axis=1),
            np.stack([1 - np.cos(lower), 0.5 - np.sin(lower)], axis=1),
        ]
    )
    return points - [0.5, 0.25], _labels(counts)


def _circles(n: int, rng: np.random.Generator, _: int) -> tuple[np.ndarray, np.ndarray]:
    counts = _counts(n, 2)
    angles = rng.uniform(0, 2 * np.pi, n)
    radii = np.concatenate([np.full(counts[0], 1.0), np.full(counts[1], 0.45)])
    points = np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)
    return points, _labels(counts)


def _spirals(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    counts = _counts(n, classes)
    arms = []
    for arm, count in enumerate(counts):
        phase = 2 * np.pi * arm / classes
        t = np.sqrt(rng.uniform(0, 1, count)) * 2.5 * np.pi
        arms.append(
            np.stack([t * np.cos(t + phase), t * np.sin(t + phase)], axis=1) / (2.5 * np.pi)
        )
    return np.concatenate(arms), _labels(counts)


def _xor(n: int, rng: np.random.Generator, _: int) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-1, 1, (n, 2))
    # Keep points off the axes so the quadrant, and so the label, is clear before noise.
    points += np.sign(points) * 0.05
    return points, ((points[:, 0] > 0) != (points[:, 1] > 0)).astype(float)


def _blobs(n: int, rng: np.random.Generator, classes: int) -> tuple[np.ndarray, np.ndarray]:
    counts = _counts(n, classes)
    if classes == 2:
        centres = np.array([[-0.5, -0.5], [0.5, 0.5]])
    else:
        angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
        centres = 0.75 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    spread = 0.25 if classes == 2 else 0.18
    clusters = zip(centres, counts, strict=True)
    points = np.concatenate([rng.normal(centre, spread, (count, 2)) for centre, count in clusters])
    return points, _labels(counts)


def _plane(points: np.ndarray) -> np.ndarray:
    return (points[:, 0] + points[:, 1]) / 2


def _gaussian(points: np.ndarray) -> np.ndarray:
    return np.exp(-(points**2).sum(axis=1) / (2 * 0.4**2))


CLASSIFICATIONS = {
    "moons": _moons,
    "circles": _circles,
    "spirals": _spirals,
    "xor": _xor,
    "blobs": _blobs,
}
REGRESSIONS = {"plane": _plane, "gaussian": _gaussian}


class DatasetSpec(Protocol):
    """What describes a dataset (``DatasetConfig`` in ``schemas.py``, which reads this
    module's kinds: this protocol keeps the import one way)."""

    kind: str
    n: int
    noise: float
    classes: int
    seed: int
    test_fraction: float


def dataset_of(config: DatasetSpec, user_points: np.ndarray = NO_POINTS) -> Dataset:
    """The points ``config`` describes (custom: the user's own ``user_points``)."""
    if config.kind == "custom":
        return from_points(user_points, config.seed, config.test_fraction)
    return make_dataset(
        config.kind, config.n, config.noise, config.seed, config.test_fraction, config.classes
    )
