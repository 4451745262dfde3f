"""Every registered gate's memory estimate against what its forward really allocates.

One or more cases per gate, with inputs of a few hundred KiB so the data, not Python's
own objects, is what tracemalloc sees. The bound tested: the peak tracemalloc measures
during forward (beyond the inputs, which exist already) is at most the estimate, and the
estimate at most four times that peak; both with ``SLACK`` bytes for Python's objects.
Small examples then spell out what each kind of estimate counts, to the byte.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import numpy as np
import pytest

from engine import REGISTRY, TensorSpec
from engine.shapes import ARRAY_HEADER_BYTES

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
    ("maxpool2d", {"kernel_size": [3, 2], "stride": [1, 2]}, [(2, 4, 32, 32)], []),
    ("embedding", {}, [(64, 64), (16, 256)], []),
    ("layer_norm", {}, [(256, 256), (256,), (256,)], []),
    ("layer_norm", {"eps": 0.1}, [(16, 64, 64), (64, 64), (64, 64)], [F32, F32, F32]),
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


H = ARRAY_HEADER_BYTES

ACCOUNTS: list[tuple[str, dict[str, Any], list[tuple[int, ...]], list[Any], int]] = [
    # out (3, 4) f32, the mask kept for backward (one byte each) and slope * a
    ("leaky_relu", {}, [(3, 4)], [F32], 48 + 12 + 48),
    ("sigmoid", {}, [(5,)], [F64], 40 + 40),  # out and one temporary
    ("gelu", {}, [(5,)], [F64], 40 + 3 * 40),  # out and three temporaries
    # out (3, 4) f64; both operands are broadcast, the first cast too: a buffer each
    ("add", {}, [(3, 1), (1, 4)], [F32, F64], 96 + 2 * 96),
    ("sub", {}, [(3, 4), (3, 4)], [F64, F64], 96),
    # out (2, 4) f64 and b cast to f64 whole, as np.matmul does
    ("matmul", {}, [(2, 3), (3, 4)], [F64, F32], 64 + 96),
    ("matmul", {}, [(5, 2, 3), (3,)], [F32, F32], 40),
    # out (4,), the argmax (1, 4), the input moved to put axis 0 last, one picking buffer
    ("max", {"axis": 0}, [(3, 4)], [F32], 16 + 32 + 48 + 32),
    ("max", {"keepdims": True}, [(3, 4)], [F64], 8 + 8),
    # out, the shifted input, the maximum and the sum (1, 4), a broadcasting buffer
    ("softmax", {"axis": 0}, [(3, 4)], [F64], 96 + 96 + 2 * 32 + 96),
    # out (), the error and its square in f64, a buffer to cast the prediction
    ("mse_loss", {}, [(2, 3), (2, 3)], [F32, F64], 8 + 2 * 48 + 48),
    ("mse_loss", {}, [(2, 3), (2, 3)], [F64, F32], 8 + 2 * 48 + 48),  # the target cast
    ("sigmoid_cross_entropy", {}, [(2, 3), (2, 3)], [F64, F64], 8 + 3 * 48),
    ("sigmoid_cross_entropy", {}, [(2, 3), (2, 3)], [F32, F64], 8 + 3 * 48 + 48),
    ("sigmoid_cross_entropy", {}, [(2, 3), (2, 3)], [F64, F32], 8 + 3 * 48 + 48),
    # out (), log_probs f32, products f64, log_softmax_of's own (24, 2 * 8, 24), a cast buffer
    ("softmax_cross_entropy", {}, [(2, 3), (2, 3)], [F32, F64], 8 + 24 + 48 + 64 + 48),
    ("softmax_cross_entropy", {}, [(2, 3), (2, 3)], [F64, F32], 8 + 48 + 48 + 128 + 48),
    ("softmax_cross_entropy", {}, [(2, 3), (2, 3)], [F32, F32], 4 + 24 + 24 + 64),
    # out, class indices and their check, log_probs and log_softmax_of's own (48, 2 * 16,
    # 48), the picks (2, 1) and one picking buffer
    (
        "sparse_softmax_cross_entropy",
        {},
        [(2, 3), (2,)],
        [F64, F64],
        8 + 16 + 2 + 48 + (48 + 32 + 48) + 16 + 16,
    ),
    (
        "sparse_softmax_cross_entropy",
        {},
        [(2, 3), (2,)],
        [F32, F32],
        4 + 16 + 2 + 24 + (24 + 16 + 24) + 8 + 16,
    ),
    # out (2, 3, 4) f32, the int indices and their check
    ("embedding", {}, [(2, 3), (5, 4)], [F64, F32], 96 + 48 + 6),
    # out (2, 4) f64, the weight cast to f64, a buffer to add the bias
    ("linear", {}, [(2, 3), (4, 3), (4,)], [F64, F32, F32], 64 + 96 + 64),
    # out (1, 2, 4, 4) f64, padded (1, 1, 5, 5) f32, the f32 columns (16, 4) and their f64
    # copy, the product (16, 2), a buffer to add the bias
    (
        "conv2d",
        {"padding": 1},
        [(1, 1, 3, 3), (2, 1, 2, 2), (2,)],
        [F32, F64, F64],
        256 + 100 + 256 + 512 + 256 + 256,
    ),
    # out (1, 2, 4, 4) f64, padded (1, 1, 5, 5) f64, the columns, the product, the weight
    # cast to f64, a buffer to add the bias
    (
        "conv2d",
        {"padding": 1},
        [(1, 1, 3, 3), (2, 1, 2, 2), (2,)],
        [F64, F32, F32],
        256 + 200 + 512 + 256 + 64 + 256,
    ),
    # out (1, 1, 2, 2) f32, padded, the windows (16), the argmax and four picking buffers
    ("maxpool2d", {"kernel_size": 2}, [(1, 1, 4, 4)], [F32], 16 + 64 + 64 + 32 + 4 * 32),
    # out (2, 4) f64, both pre-activations (2, 12), r, z, n and a temporary, two buffers to
    # add the biases, w_hh cast to f64 (x and w_ih multiply in f32)
    (
        "gru_cell",
        {},
        [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,)],
        [F32, F64, F32, F32, F64, F64],
        64 + 2 * 192 + 4 * 64 + 2 * 192 + 384,
    ),
    # as above with x and h cast instead; then all in f32
    (
        "gru_cell",
        {},
        [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,)],
        [F32, F32, F64, F64, F32, F32],
        64 + 2 * 192 + 4 * 64 + 2 * 192 + 48 + 64,
    ),
    (
        "gru_cell",
        {},
        [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,)],
        [F64, F32, F32, F64, F32, F32],
        64 + 2 * 192 + 4 * 64 + 2 * 192 + 288 + 64,
    ),
    (
        "gru_cell",
        {},
        [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,)],
        [F32] * 6,
        32 + 2 * 96 + 4 * 32 + 2 * 96,
    ),
    # out (3, 4) f32, f64 draws, the mask, the scale, two buffers to make the scale
    ("dropout", {"seed": 1}, [(3, 4)], [F32], 48 + 96 + 12 + 48 + 2 * 48),
    ("dropout", {"seed": 1}, [()], [F32], 4 + 8 + 1 + 4 + 4),  # the mask's buffer only
    ("dropout", {"training": False}, [(3, 4)], [F32], 0),  # the input passes unchanged
    ("dropout", {"p": 0.0}, [(3, 4)], [F32], 0),
    ("getitem", {"index": [[0, 0]]}, [(3, 2)], [F64], 32),  # picks copy
    ("getitem", {"index": [0]}, [(3, 2)], [F64], 0),  # a view
    ("concat", {}, [(2, 3), (1, 3)], [F32, F64], 72),
    ("unstack", {}, [(3, 2)], [F64], 0),  # three views: their headers only
]
"""What each kind of rule counts on a small example, besides one header per output."""


@pytest.mark.parametrize(
    ("name", "params", "shapes", "dtypes", "data"), ACCOUNTS, ids=[a[0] for a in ACCOUNTS]
)
def test_the_estimate_counts_what_forward_allocates(
    name: str, params: dict[str, Any], shapes: list[tuple[int, ...]], dtypes: list[Any], data: int
) -> None:
    cost = REGISTRY[name](**params).infer(*map(TensorSpec, shapes, dtypes))
    assert cost.bytes == data + H * len(cost.outputs)
