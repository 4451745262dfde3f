"""Every registered gate's memory estimate against what its forward really allocates.

One or more cases per gate, with inputs of a few hundred KiB so the data, not Python's
own objects, is what tracemalloc sees. The bound tested: the peak tracemalloc measures
during forward (beyond the inputs, which exist already) is at most the estimate, and the
estimate at most four times that peak; both with ``SLACK`` bytes for Python's objects.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import numpy as np
import pytest

from engine import REGISTRY, TensorSpec

SLACK = 16 * 1024
F32, F64 = np.float32, np.float64
SQUARE = [(256, 256)]
PAIR = [(256, 256), (256, 256)]
GRU = [(64, 32), (64, 128), (384, 32), (384, 128), (384,), (384,)]

Case = tuple[str, dict[str, Any], list[tuple[int, ...]], list[Any]]
"""A gate's name, its params, its input shapes and their dtypes (float64 when empty)."""

CASES: list[Case] = [
    *[(name, {}, SQUARE, []) for name in ["neg", "exp", "log", "sqrt", "abs", "relu"]],
    *[(name, {}, SQUARE, []) for name in ["sigmoid", "tanh", "gelu"]],
    ("leaky_relu", {"slope": 0.1}, SQUARE, []),
    ("clamp", {"min": -0.5, "max": 0.5}, SQUARE, [F32]),
    *[(name, {}, PAIR, []) for name in ["add", "sub", "mul", "div", "pow"]],
    ("add", {}, [(256, 1), (1, 256)], [F32, F64]),
    ("mul", {}, [(256, 256), (256,)], [F32, F32]),
    ("matmul", {}, PAIR, []),
    ("matmul", {}, PAIR, [F32, F64]),
    ("matmul", {}, [(8, 64, 64), (64, 64)], []),
    ("matmul", {}, [(256,), (256, 256)], []),
    ("sum", {}, SQUARE, []),
    ("sum", {"axis": 0}, SQUARE, []),
    ("mean", {"axis": [0, 1], "keepdims": True}, SQUARE, [F32]),
    ("max", {}, SQUARE, []),
    ("max", {"axis": -1}, SQUARE, []),
    ("max", {"axis": 0, "keepdims": True}, SQUARE, []),
    ("softmax", {"axis": 0}, SQUARE, []),
    ("log_softmax", {}, SQUARE, []),
    ("mse_loss", {}, PAIR, []),
    ("sigmoid_cross_entropy", {}, PAIR, []),
    ("softmax_cross_entropy", {}, PAIR, [F32, F64]),
    ("sparse_softmax_cross_entropy", {}, [(256, 256), (256,)], []),
    ("reshape", {"shape": [-1]}, SQUARE, []),
    ("flatten", {"start_axis": 1}, [(16, 16, 256)], []),
    ("transpose", {}, SQUARE, []),
    ("squeeze", {}, [(256, 1, 256)], []),
    ("unsqueeze", {"axis": 1}, SQUARE, []),
    ("concat", {"axis": 1}, [(256, 128), (256, 128), (256, 1)], []),
    ("stack", {}, PAIR, [F32, F64]),
    ("split", {"sizes": 1}, SQUARE, []),
    ("split", {"sizes": [100, 156], "axis": 1}, SQUARE, []),
    ("chunk", {"chunks": 3}, SQUARE, []),
    ("unstack", {"axis": -1}, SQUARE, []),
    ("getitem", {"index": [{"start": 1, "stop": None, "step": 2}]}, SQUARE, []),
    ("getitem", {"index": [[0, 1, 1, 5], "..."]}, SQUARE, []),
    ("getitem", {"index": [0, {}, [0, 2]]}, [(4, 256, 256)], []),
    ("linear", {}, [(256, 256), (128, 256), (128,)], []),
    ("linear", {}, [(256, 256), (128, 256), (128,)], [F32, F64, F64]),
    ("conv2d", {"padding": 1}, [(4, 3, 32, 32), (8, 3, 3, 3), (8,)], []),
    ("conv2d", {"stride": 2}, [(4, 3, 32, 32), (8, 3, 5, 5), (8,)], [F32, F64, F32]),
    ("maxpool2d", {"kernel_size": 2}, [(4, 8, 64, 64)], []),
    ("maxpool2d", {"kernel_size": 3, "stride": 1, "padding": 1}, [(2, 4, 32, 32)], []),
    ("embedding", {}, [(64, 64), (16, 256)], []),
    ("gru_cell", {}, GRU, []),
    ("gru_cell", {}, GRU, [F32, F32, F64, F64, F32, F32]),
    ("dropout", {"p": 0.5, "seed": 0}, SQUARE, []),
    ("dropout", {"p": 0.5, "seed": 0}, SQUARE, [F32]),
    ("dropout", {"training": False}, SQUARE, []),
]


def test_every_registered_gate_has_a_memory_case() -> None:
    assert {name for name, *_ in CASES} == set(REGISTRY)


def _forward_peak(gate: Any, arrays: list[np.ndarray]) -> tuple[Any, int]:
    """Forward's result, and the most memory it held at once beyond what existed before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = gate.forward(*arrays)
        return result, tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("name", "params", "shapes", "dtypes"), CASES, ids=[case[0] for case in CASES]
)
def test_estimate_bounds_the_peak_of_forward_within_four_times(
    name: str, params: dict[str, Any], shapes: list[tuple[int, ...]], dtypes: list[Any]
) -> None:
    # Ones are fine inputs for every gate: whole class indices, positive for log and sqrt.
    dtypes = dtypes or [F64] * len(shapes)
    arrays = [np.ones(shape, dtype) for shape, dtype in zip(shapes, dtypes, strict=True)]
    cost = REGISTRY[name](**params).infer(*map(TensorSpec.of, arrays))
    _, peak = _forward_peak(REGISTRY[name](**params), arrays)
    assert peak <= cost.bytes + SLACK
    assert cost.bytes <= 4 * peak + SLACK
