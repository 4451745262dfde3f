"""Training speed: steps per second of an MLP 2-16-16-1 (relu, MSE, SGD) on moons, batch 100.

Wengert's engine against the same model written by hand in NumPy (the floor) and
against the micrograd package's scalar engine (skipped when micrograd is missing),
on the same data, in one run. Two more rows run the playground's own ``TrainingRun``
steps, which add what a live run records on top of the bare step (the tape's graph,
each layer's diagnostics, and an evaluation of both splits once per 15-step epoch), and
a training worker's step: that step and its timeline's record of it.

The rows are measured in turns, round after round, and each figure is the median of its
rounds, so a slow spell of a shared machine falls on all of them; the last lines give
each live row's cost over the bare engine step's, the median of each round's ratio (the
issue's target: ``TrainingRun`` within 1.25x).

    python bench/training_bench.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable
from operator import truediv
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backend.settings import Settings
from backend.training.datasets import make_dataset
from backend.training.job import TrainingRun
from backend.training.model import Mlp
from backend.training.schemas import DatasetConfig, TrainingConfig
from backend.training.timeline import Timeline
from engine.optim import SGD

BATCH = 100
LR = 0.05
CONFIG = TrainingConfig(
    model={"hidden": [16, 16], "activation": "relu", "features": ["x", "y"]},
    loss="mse",
    optimizer={"kind": "sgd", "lr": LR},
    batch_size=BATCH,
)
RUN_DATASET = DatasetConfig(kind="moons", n=2000)


def moons_batch() -> tuple[np.ndarray, np.ndarray]:
    data = make_dataset("moons", 2 * BATCH, 0.1, 0, 0.5)
    return data.x_train[:BATCH], data.y_train[:BATCH]


def wengert_step(points: np.ndarray, labels: np.ndarray) -> Callable[[], None]:
    model = Mlp(CONFIG)
    optimizer = SGD(list(model.parameters.values()), LR)

    def step() -> None:
        optimizer.zero_grad()
        model.loss(model.forward(points), labels).backprop()
        optimizer.step()

    return step


def live_run() -> TrainingRun:
    # 2,000 points, a quarter held out: 15 steps of 100 per epoch.
    return TrainingRun(CONFIG.model_copy(update={"dataset": RUN_DATASET, "epochs": 10_000}))


def training_run_step() -> Callable[[], None]:
    run = live_run()

    def step() -> None:
        run.train_step()

    return step


def worker_step() -> Callable[[], None]:
    """A training worker's step: the run's step, kept in a timeline of the default budget."""
    run = live_run()
    timeline = Timeline(Settings.model_fields["timeline_bytes"].default)

    def step() -> None:
        run.train_step()
        timeline.record(run)

    return step


def numpy_step(points: np.ndarray, labels: np.ndarray) -> Callable[[], None]:
    rng = np.random.default_rng(0)
    sizes = [2, 16, 16, 1]
    weights = [rng.normal(0, np.sqrt(2 / i), (i, o)) for i, o in itertools.pairwise(sizes)]
    biases = [np.zeros((1, o)) for o in sizes[1:]]
    targets = labels[:, None]

    def step() -> None:
        activations, h = [points], points
        for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
            h = h @ w + b
            if i < len(weights) - 1:
                h = np.maximum(h, 0)
            activations.append(h)
        grad = 2 * (h - targets) / h.size
        for i in reversed(range(len(weights))):
            if i < len(weights) - 1:
                grad = grad * (activations[i + 1] > 0)
            grad_w, grad_b = activations[i].T @ grad, grad.sum(axis=0, keepdims=True)
            grad = grad @ weights[i].T
            weights[i] -= LR * grad_w
            biases[i] -= LR * grad_b

    return step


def micrograd_step(points: np.ndarray, labels: np.ndarray) -> Callable[[], None] | None:
    try:
        from micrograd.nn import MLP
    except ImportError:
        return None
    random.seed(0)
    model = MLP(2, [16, 16, 1])
    rows = [list(map(float, p)) for p in points]
    targets = [float(t) for t in labels]

    def step() -> None:
        model.zero_grad()
        errors = [(model(row) - t) ** 2 for row, t in zip(rows, targets, strict=True)]
        loss = sum(errors) * (1.0 / len(errors))
        loss.backward()
        for p in model.parameters():
            p.data -= LR * p.grad

    return step


def steps_per_second(step: Callable[[], None], seconds: float) -> float:
    step()  # warm-up
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        step()
        count += 1
    return count / elapsed


TARGET = 1.25
"""The issue's bound on a live run's step time over the bare engine step's."""

LIVE_ROWS = {
    "Wengert TrainingRun (live run's records)": "TrainingRun step",
    "Wengert training worker (TrainingRun + timeline)": "training worker's step",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="turns of every row")
    rounds = parser.parse_args().rounds
    points, labels = moons_batch()
    rows = [
        ("NumPy by hand (floor)", numpy_step(points, labels), 2.0),
        ("Wengert", wengert_step(points, labels), 2.0),
        ("micrograd (scalar engine)", micrograd_step(points, labels), 5.0),
        ("Wengert TrainingRun (live run's records)", training_run_step(), 3.0),
        ("Wengert training worker (TrainingRun + timeline)", worker_step(), 3.0),
    ]
    timed = [(name, step, seconds / rounds) for name, step, seconds in rows if step is not None]
    samples: dict[str, list[float]] = {name: [] for name, _, _ in timed}
    for _ in range(rounds):
        for name, step, seconds in timed:
            samples[name].append(steps_per_second(step, seconds))
    results = {name: statistics.median(rates) for name, rates in samples.items()}
    print("| engine | steps/s | Wengert is |")
    print("|---|---:|---:|")
    for name, rate in results.items():
        ratio = results["Wengert"] / rate
        print(f"| {name} | {rate:,.1f} | {ratio:,.2f}x as fast |")
    if len(timed) < len(rows):
        print("micrograd is not installed: pip install micrograd")
    for name, label in LIVE_ROWS.items():
        # Each round's ratio of two turns taken one after the other, then their median.
        ratio = statistics.median(map(truediv, samples["Wengert"], samples[name]))
        line = f"{label} / bare engine step: {ratio:.2f}x"
        if label == "TrainingRun step":
            line += f" (target <= {TARGET}x: {'met' if ratio <= TARGET else 'NOT met'})"
        print(line)


if __name__ == "__main__":
    main()
