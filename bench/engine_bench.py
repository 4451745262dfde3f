"""Engine benchmarks: Wengert against hand-written NumPy (the floor) and PyTorch on the CPU.

Three workloads, each run by every implementation available, taking turns round by round:

1. one training step (forward, backward, SGD update) of an MLP 784-256-128-10 with
   softmax cross-entropy on a batch of 64;
2. the playground's step: an MLP 2-16-16-2 with tanh, softmax cross-entropy on a batch of
   32, SGD through the engine's optimizer (tiny arrays: the engine's own overhead shows);
3. a chain of 1,000 small elementwise ops on 16-element tensors, forward and backward;
   then its recording and its backprop timed apart (Wengert and PyTorch), to show where
   each spends its time.

The MLP step also runs under ``engine.detect_anomaly``, as the server runs every request,
to measure what finding NaN's birthplace costs (target: at most 10 %).

Prints one table. PyTorch rows are skipped when torch is not importable.
Run: ``python bench/engine_bench.py [--dtype float32|float64] [--rounds R] [--repeats N]
[--clock wall|cpu]``. ``--clock cpu`` times with the process's CPU time (every thread of
it, so PyTorch's own threads count): on a machine shared with other work, the time the
process was not running stays out of the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

import engine
from engine.optim import SGD

SIZES = (784, 256, 128, 10)
BATCH = 64
LR = 0.01
CHAIN_OPS = 1000
CHAIN_WIDTH = 16
MLP_TARGET = {"numpy": 1.15, "torch": 1.5}
ANOMALY_TARGET = 1.10
WITH_ANOMALY = "wengert+anomaly"
PLAYGROUND_SIZES = (2, 16, 16, 2)
PLAYGROUND_BATCH = 32
PLAYGROUND_TARGET = 2.0  # Wengert's step at least half as fast as NumPy by hand
WARMUP = 5
CHAIN_PHASES = ("chain-record", "chain-backprop")


Clock = Callable[[], float]
CLOCKS: dict[str, Clock] = {"wall": time.perf_counter, "cpu": time.process_time}


def timed(step: Callable[[], Any], repeats: int, clock: Clock = time.perf_counter) -> float:
    """The median time of ``repeats`` runs of ``step`` by ``clock``, in seconds."""
    times = []
    for _ in range(repeats):
        start = clock()
        step()
        times.append(clock() - start)
    return statistics.median(times)


def best_of_rounds(
    steps: dict[str, Callable[[], Any]], rounds: int, repeats: int, clock: Clock
) -> dict[str, float]:
    """Each step's fastest per-round median, the steps taking turns round by round.

    Taking turns spreads slow spells of a shared machine over every implementation,
    and the best round is the least disturbed measure of each.
    """
    for step in steps.values():
        timed(step, WARMUP)
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(rounds):
        for name, step in steps.items():
            best[name] = min(best[name], timed(step, repeats, clock))
    return best


def mlp_data(dtype: str) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Initial weights (PyTorch layout: out, in) and biases, a batch and its one-hot labels."""
    rng = np.random.default_rng(0)
    params = []
    for fan_in, fan_out in itertools.pairwise(SIZES):
        bound = 1 / np.sqrt(fan_in)
        params.append(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(dtype))
        params.append(rng.uniform(-bound, bound, fan_out).astype(dtype))
    x = rng.standard_normal((BATCH, SIZES[0])).astype(dtype)
    labels = rng.integers(0, SIZES[-1], BATCH)
    return params, x, np.eye(SIZES[-1], dtype=dtype)[labels]


def wengert_mlp_step(dtype: str, detect: bool = False) -> Callable[[], Any]:
    """One Wengert training step on fresh copies of the shared initial weights, under
    ``engine.detect_anomaly`` when ``detect``."""
    arrays, x_value, y_value = mlp_data(dtype)
    ctx = engine.Context()
    params = [ctx.variable(a, requires_grad=True, dtype=dtype) for a in arrays]
    x, y = ctx.variable(x_value, dtype=dtype), ctx.variable(y_value, dtype=dtype)
    optimizer = SGD(params, lr=LR)

    def step() -> None:
        with engine.detect_anomaly(ctx) if detect else contextlib.nullcontext():
            forward_backward_update()

    def forward_backward_update() -> None:
        w1, b1, w2, b2, w3, b3 = params
        hidden = engine.relu(engine.linear(x, w1, b1))
        hidden = engine.relu(engine.linear(hidden, w2, b2))
        loss = engine.softmax_cross_entropy(engine.linear(hidden, w3, b3), y)
        optimizer.zero_grad()
        loss.backprop()
        optimizer.step()
        # Variables hold their Context weakly: naming it here keeps it alive with the closure.
        assert not ctx.nodes

    return step


def numpy_mlp_step(dtype: str) -> Callable[[], Any]:
    """The same step written by hand in NumPy, without a tape: the floor."""
    params, x, y = mlp_data(dtype)

    def step() -> None:
        w1, b1, w2, b2, w3, b3 = params
        a1 = np.maximum(x @ w1.T + b1, 0)
        a2 = np.maximum(a1 @ w2.T + b2, 0)
        logits = a2 @ w3.T + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        _loss = -(y * log_probs).sum() / BATCH
        g3 = (np.exp(log_probs) - y) / BATCH
        g2 = (g3 @ w3) * (a2 > 0)
        g1 = (g2 @ w2) * (a1 > 0)
        grads = [g1.T @ x, g1.sum(0), g2.T @ a1, g2.sum(0), g3.T @ a2, g3.sum(0)]
        for param, grad in zip(params, grads, strict=True):
            param -= LR * grad

    return step


def torch_mlp_step(torch: Any, dtype: str) -> Callable[[], Any]:
    """The same step in PyTorch with autograd and torch.optim.SGD."""
    arrays, x_value, y_value = mlp_data(dtype)
    params = [torch.tensor(a, requires_grad=True) for a in arrays]
    x = torch.tensor(x_value)
    labels = torch.tensor(y_value.argmax(axis=1))
    optimizer = torch.optim.SGD(params, lr=LR)
    functional = torch.nn.functional

    def step() -> None:
        w1, b1, w2, b2, w3, b3 = params
        hidden = torch.relu(functional.linear(x, w1, b1))
        hidden = torch.relu(functional.linear(hidden, w2, b2))
        loss = functional.cross_entropy(functional.linear(hidden, w3, b3), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def playground_data(dtype: str) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The playground MLP's weights (in, out) and row biases, a batch and its one-hot labels."""
    rng = np.random.default_rng(1)
    params = []
    for fan_in, fan_out in itertools.pairwise(PLAYGROUND_SIZES):
        params.append(rng.normal(0, np.sqrt(1 / fan_in), (fan_in, fan_out)).astype(dtype))
        params.append(np.zeros((1, fan_out), dtype=dtype))
    x = rng.standard_normal((PLAYGROUND_BATCH, PLAYGROUND_SIZES[0])).astype(dtype)
    labels = rng.integers(0, PLAYGROUND_SIZES[-1], PLAYGROUND_BATCH)
    return params, x, np.eye(PLAYGROUND_SIZES[-1], dtype=dtype)[labels]


def wengert_playground_step(dtype: str) -> Callable[[], Any]:
    """The playground's step as its model writes it: h @ W + b, tanh, softmax cross-entropy."""
    arrays, x_value, y_value = playground_data(dtype)
    ctx = engine.Context()
    params = [ctx.variable(a, requires_grad=True, dtype=dtype) for a in arrays]
    optimizer = SGD(params, lr=LR)

    def step() -> None:
        w1, b1, w2, b2, w3, b3 = params
        x, y = ctx.variable(x_value, dtype=dtype), ctx.variable(y_value, dtype=dtype)
        hidden = engine.tanh(x @ w1 + b1)
        hidden = engine.tanh(hidden @ w2 + b2)
        loss = engine.softmax_cross_entropy(hidden @ w3 + b3, y)
        optimizer.zero_grad()
        loss.backprop()
        optimizer.step()
        assert not ctx.nodes  # keeps the weakly held Context alive, as above

    return step


def numpy_playground_step(dtype: str) -> Callable[[], Any]:
    """The playground's step by hand in NumPy: the floor."""
    params, x, y = playground_data(dtype)

    def step() -> None:
        w1, b1, w2, b2, w3, b3 = params
        a1 = np.tanh(x @ w1 + b1)
        a2 = np.tanh(a1 @ w2 + b2)
        logits = a2 @ w3 + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        _loss = -(y * log_probs).sum() / PLAYGROUND_BATCH
        g3 = (np.exp(log_probs) - y) / PLAYGROUND_BATCH
        g2 = (g3 @ w3.T) * (1 - a2 * a2)
        g1 = (g2 @ w2.T) * (1 - a1 * a1)
        grads = [x.T @ g1, g1.sum(0, keepdims=True), a1.T @ g2, g2.sum(0, keepdims=True)]
        grads += [a2.T @ g3, g3.sum(0, keepdims=True)]
        for param, grad in zip(params, grads, strict=True):
            param -= LR * grad

    return step


def torch_playground_step(torch: Any, dtype: str) -> Callable[[], Any]:
    """The playground's step in PyTorch with autograd and torch.optim.SGD."""
    arrays, x_value, y_value = playground_data(dtype)
    params = [torch.tensor(a, requires_grad=True) for a in arrays]
    x = torch.tensor(x_value)
    labels = torch.tensor(y_value.argmax(axis=1))
    optimizer = torch.optim.SGD(params, lr=LR)
    functional = torch.nn.functional

    def step() -> None:
        w1, b1, w2, b2, w3, b3 = params
        hidden = torch.tanh(x @ w1 + b1)
        hidden = torch.tanh(hidden @ w2 + b2)
        loss = functional.cross_entropy(hidden @ w3 + b3, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def wengert_chain_parts(dtype: str) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    """Recording 1,000 elementwise gates (mul, add, tanh, sub in turn), and backpropagating them."""
    ctx = engine.Context()
    x = ctx.variable(np.linspace(-1, 1, CHAIN_WIDTH), requires_grad=True, dtype=dtype)
    c = ctx.variable(np.full(CHAIN_WIDTH, 0.9), requires_grad=True, dtype=dtype)

    def record() -> Any:
        y = x
        for _ in range(CHAIN_OPS // 4):
            y = engine.tanh(y * c + c) - c
        return y

    def backprop(y: Any) -> None:
        y.backprop()
        assert not ctx.nodes  # keeps the weakly held Context alive, as above

    return record, backprop


def wengert_chain(dtype: str) -> Callable[[], Any]:
    """The chain recorded, then backpropagated."""
    return chained(*wengert_chain_parts(dtype))


def chained(record: Callable[[], Any], backprop: Callable[[Any], None]) -> Callable[[], None]:
    """One run of a chain: record it, then backpropagate what it made."""

    def run() -> None:
        backprop(record())

    return run


def numpy_chain(dtype: str) -> Callable[[], Any]:
    """The same chain by hand: forward saving what backward needs, then backward in reverse."""
    x = np.linspace(-1, 1, CHAIN_WIDTH).astype(dtype)
    c = np.full(CHAIN_WIDTH, 0.9, dtype=dtype)

    def run() -> None:
        y, saved = x, []
        for _ in range(CHAIN_OPS // 4):
            t = np.tanh(y * c + c)
            saved.append((y, t))
            y = t - c
        grad, grad_c = np.ones_like(y), np.zeros_like(c)
        for y_in, t in reversed(saved):
            grad_c -= grad
            pre = grad * (1 - t * t)
            grad_c += pre + pre * y_in
            grad = pre * c

    return run


def torch_chain_parts(torch: Any, dtype: str) -> tuple[Callable[[], Any], Callable[[Any], None]]:
    """The same chain in PyTorch autograd: recording it, and backpropagating it."""
    x = torch.tensor(np.linspace(-1, 1, CHAIN_WIDTH).astype(dtype), requires_grad=True)
    c = torch.tensor(np.full(CHAIN_WIDTH, 0.9, dtype=dtype), requires_grad=True)

    def record() -> Any:
        y = x
        for _ in range(CHAIN_OPS // 4):
            y = torch.tanh(y * c + c) - c
        return y

    def backprop(y: Any) -> None:
        y.backward(torch.ones_like(y))

    return record, backprop


def torch_chain(torch: Any, dtype: str) -> Callable[[], Any]:
    """The chain in PyTorch, recorded then backpropagated."""
    return chained(*torch_chain_parts(torch, dtype))


def chain_phases(
    parts: dict[str, tuple[Callable[[], Any], Callable[[Any], None]]],
    rounds: int,
    repeats: int,
    clock: Clock,
) -> list[tuple[str, str, float]]:
    """Each implementation's time to record the chain and to backpropagate it, apart: the
    best per-round median of each phase, the implementations taking turns round by round."""
    for record, backprop in parts.values():
        for _ in range(WARMUP):
            backprop(record())
    best = {(phase, name): float("inf") for name in parts for phase in CHAIN_PHASES}
    for _ in range(rounds):
        for name, (record, backprop) in parts.items():
            recording, backpropagating = [], []
            for _ in range(repeats):
                start = clock()
                made = record()
                middle = clock()
                backprop(made)
                recording.append(middle - start)
                backpropagating.append(clock() - middle)
            for phase, times in zip(CHAIN_PHASES, (recording, backpropagating), strict=True):
                best[phase, name] = min(best[phase, name], statistics.median(times))
    return [(phase, name, seconds) for (phase, name), seconds in best.items()]


def import_torch() -> Any:
    """PyTorch if it is installed, else None."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def measure(dtype: str, rounds: int, repeats: int, clock: Clock) -> list[tuple[str, str, float]]:
    """(workload, implementation, seconds per run) for everything that can run here."""
    torch = import_torch()
    mlp = {
        "wengert": wengert_mlp_step(dtype),
        WITH_ANOMALY: wengert_mlp_step(dtype, detect=True),
        "numpy": numpy_mlp_step(dtype),
    }
    playground = {"wengert": wengert_playground_step(dtype), "numpy": numpy_playground_step(dtype)}
    chain = {"wengert": wengert_chain(dtype), "numpy": numpy_chain(dtype)}
    if torch is not None:
        mlp["torch"] = torch_mlp_step(torch, dtype)
        playground["torch"] = torch_playground_step(torch, dtype)
        chain["torch"] = torch_chain(torch, dtype)
    rows = []
    for work, steps in (("mlp", mlp), ("playground", playground), ("chain", chain)):
        best = best_of_rounds(steps, rounds, repeats, clock)
        rows += [(work, impl, s) for impl, s in best.items()]
    parts = {"wengert": wengert_chain_parts(dtype)}
    if torch is not None:
        parts["torch"] = torch_chain_parts(torch, dtype)
    return rows + chain_phases(parts, rounds, repeats, clock)


def table(rows: list[tuple[str, str, float]]) -> str:
    """The results as a text table, with Wengert's ratio to each other implementation."""
    seconds = {(work, impl): s for work, impl, s in rows}
    lines = [f"{'workload':<34}{'implementation':<16}{'time':>14}{'wengert / this':>16}"]
    titles = {
        "mlp": f"MLP {'-'.join(map(str, SIZES))} step, batch {BATCH}",
        "playground": f"MLP {'-'.join(map(str, PLAYGROUND_SIZES))} tanh step, "
        f"batch {PLAYGROUND_BATCH}",
        "chain": f"chain of {CHAIN_OPS} ops on {CHAIN_WIDTH} elements",
        "chain-record": "... its recording alone",
        "chain-backprop": "... its backprop alone",
    }
    for work, impl, s in rows:
        per_op = work.startswith("chain")
        shown = f"{s / CHAIN_OPS * 1e6:.2f} us/op" if per_op else f"{s * 1e3:.3f} ms"
        ratio = seconds[(work, "wengert")] / s
        lines.append(f"{titles[work]:<34}{impl:<16}{shown:>14}{ratio:>15.2f}x")
    return "\n".join(lines)


def verdicts(rows: list[tuple[str, str, float]]) -> list[str]:
    """Each target of the engine issue and whether this run met it."""
    seconds = {(work, impl): s for work, impl, s in rows}
    found = []
    for impl, limit in MLP_TARGET.items():
        if ("mlp", impl) in seconds:
            ratio = seconds[("mlp", "wengert")] / seconds[("mlp", impl)]
            found.append(f"MLP within {limit}x of {impl}: {ratio:.2f}x {_met(ratio <= limit)}")
    cost = seconds[("mlp", WITH_ANOMALY)] / seconds[("mlp", "wengert")]
    found.append(
        f"anomaly detection costs at most {ANOMALY_TARGET - 1:.0%} of the MLP step: "
        f"{cost - 1:+.1%} {_met(cost <= ANOMALY_TARGET)}"
    )
    playground = seconds[("playground", "numpy")] / seconds[("playground", "wengert")]
    found.append(
        f"playground step at least {1 / PLAYGROUND_TARGET:.1f}x NumPy's speed: {playground:.2f}x "
        f"{_met(playground * PLAYGROUND_TARGET >= 1)}"
    )
    if ("chain", "torch") in seconds:
        per_op = seconds[("chain", "wengert")] / CHAIN_OPS * 1e6
        torch_op = seconds[("chain", "torch")] / CHAIN_OPS * 1e6
        found.append(
            f"chain per op at most torch's: {per_op:.2f} against {torch_op:.2f} us/op "
            f"{_met(per_op <= torch_op)}"
        )
    return found


def _met(ok: bool) -> str:
    return "(met)" if ok else "(NOT met)"


def main() -> None:
    """Parse the options, run every workload and print the table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    args = parser.parse_args()
    rows = measure(args.dtype, args.rounds, args.repeats, CLOCKS[args.clock])
    print(
        f"dtype {args.dtype}; {args.clock} clock; best of {args.rounds} rounds "
        f"of the median of {args.repeats} runs"
    )
    print(table(rows))
    print("\n".join(verdicts(rows)))


if __name__ == "__main__":
    main()
