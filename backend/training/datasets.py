"""Seeded 2-D classification datasets (two classes), split into train and test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Points (n, 2) with labels 0/1, split into train and test."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def make_dataset(kind: str, n: int, noise: float, seed: int, test_fraction: float) -> Dataset:
    """``n`` points of ``kind`` (moons, circles, spirals, xor, blobs) with Gaussian ``noise``."""
    rng = np.random.default_rng(seed)
    points, labels = GENERATORS[kind](n, rng)
    points = points + rng.normal(0.0, noise, points.shape)
    order = rng.permutation(n)
    points, labels = points[order], labels[order]
    n_test = max(1, round(n * test_fraction))
    return Dataset(points[n_test:], labels[n_test:], points[:n_test], labels[:n_test])


def _halves(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


def _moons(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    a, b = _halves(n)
    upper = np.linspace(0, np.pi, a)
    lower = np.linspace(0, np.pi, b)
    points = np.concatenate(
        [
            np.stack([np.cos(upper), np.sin(upper)], axis=1),
            np.stack([1 - np.cos(lower), 0.5 - np.sin(lower)], axis=1),
        ]
    )
    return points - [0.5, 0.25], np.concatenate([np.zeros(a), np.ones(b)])


def _circles(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    a, b = _halves(n)
    angles = rng.uniform(0, 2 * np.pi, n)
    radii = np.concatenate([np.full(a, 1.0), np.full(b, 0.45)])
    points = np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)
    return points, np.concatenate([np.zeros(a), np.ones(b)])


def _spirals(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    a, b = _halves(n)
    arms = []
    for count, phase in ((a, 0.0), (b, np.pi)):
        t = np.sqrt(rng.uniform(0, 1, count)) * 2.5 * np.pi
        arms.append(
            np.stack([t * np.cos(t + phase), t * np.sin(t + phase)], axis=1) / (2.5 * np.pi)
        )
    return np.concatenate(arms), np.concatenate([np.zeros(a), np.ones(b)])


def _xor(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    points = rng.uniform(-1, 1, (n, 2))
    # Keep points off the axes so the quadrant, and so the label, is clear before noise.
    points += np.sign(points) * 0.05
    return points, ((points[:, 0] > 0) != (points[:, 1] > 0)).astype(float)


def _blobs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    a, b = _halves(n)
    points = np.concatenate(
        [rng.normal([-0.5, -0.5], 0.25, (a, 2)), rng.normal([0.5, 0.5], 0.25, (b, 2))]
    )
    return points, np.concatenate([np.zeros(a), np.ones(b)])


GENERATORS = {
    "moons": _moons,
    "circles": _circles,
    "spirals": _spirals,
    "xor": _xor,
    "blobs": _blobs,
}
