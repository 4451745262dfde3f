"""Training speed: steps per second of an MLP 2-16-16-1 (relu, MSE, SGD) on moons, batch 100.

Wengert's engine against the same model written by hand in NumPy (the floor) and
against the micrograd package's scalar engine (skipped when micrograd is missing),
on the same data, in one run. A last row runs the playground's own ``TrainingRun``
steps, which add what a live run records on top of the bare step (the tape's graph,
each layer's diagnostics, and an evaluation of both splits once per 15-step epoch).

    python bench/training_bench.py
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backend.training.datasets import make_dataset
from backend.training.job import TrainingRun
from backend.training.model import Mlp
from backend.training.schemas import DatasetConfig, TrainingConfig
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


def training_run_step() -> Callable[[], None]:
    # 2,000 points, a quarter held out: 15 steps of 100 per epoch.
    run = TrainingRun(CONFIG.model_copy(update={"dataset": RUN_DATASET, "epochs": 10_000}))

    def step() -> None:
        run.train_step()

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


def main() -> None:
    points, labels = moons_batch()
    rows = [
        ("NumPy by hand (floor)", numpy_step(points, labels), 2.0),
        ("Wengert", wengert_step(points, labels), 2.0),
        ("micrograd (scalar engine)", micrograd_step(points, labels), 5.0),
        ("Wengert TrainingRun (live run's records)", training_run_step(), 3.0),
    ]
    results = {name: steps_per_second(step, s) for name, step, s in rows if step is not None}
    print("| engine | steps/s | Wengert is |")
    print("|---|---:|---:|")
    for name, rate in results.items():
        ratio = results["Wengert"] / rate
        print(f"| {name} | {rate:,.1f} | {ratio:,.2f}x as fast |")
    if len(results) < len(rows):
        print("micrograd is not installed: pip install micrograd")


if __name__ == "__main__":
    main()
