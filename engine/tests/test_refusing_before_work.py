"""The requests that froze the server, answered from shapes alone before any work.

From the issue "Isolation and resource budgets": conv2d with a padding of 8000 on a 1×1
input, maxpool2d with a huge kernel, small inputs whose broadcast is huge. ``infer`` must
refuse them or say their cost in well under a millisecond without allocating anything
in proportion to the shapes, and forward must refuse what infer refuses before it pads.
"""

from __future__ import annotations

import contextlib
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import engine
from engine import REGISTRY, Context, GateCost, GateInputError, TensorSpec

TINY = 32 * 1024
"""Most bytes an answer from shapes may allocate, whatever the shapes."""

G = 2**40


def spec(*shape: int) -> TensorSpec:
    return TensorSpec(shape)


def _peak_bytes(call: Callable[[], Any]) -> int:
    """The most memory ``call`` held at once, whether it returned or raised GateInputError."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        with contextlib.suppress(GateInputError):
            call()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def test_conv2d_refuses_a_padding_larger_than_its_input() -> None:
    gate = REGISTRY["conv2d"](padding=8000)
    with pytest.raises(
        GateInputError,
        match=r"^conv2d on inputs of shape \(1, 1, 1, 1\), \(1, 1, 3, 3\), \(1,\): "
        r"the padding \(8000, 8000\) is larger than the input \(1, 1\)$",
    ):
        gate.infer(spec(1, 1, 1, 1), spec(1, 1, 3, 3), spec(1))


def test_conv2d_forward_refuses_it_too_before_padding(ctx: Context) -> None:
    x, w = ctx.variable(np.ones((1, 1, 1, 1))), ctx.variable(np.ones((1, 1, 3, 3)))
    with pytest.raises(GateInputError, match="padding"):
        engine.conv2d(x, w, padding=8000)
    assert _peak_bytes(lambda: engine.conv2d(x, w, padding=8000)) < TINY


def test_padding_up_to_the_input_size_is_allowed_on_each_axis(ctx: Context) -> None:
    x = ctx.variable(np.ones((1, 1, 2, 3)))
    y = engine.conv2d(x, ctx.variable(np.ones((1, 1, 3, 4))), padding=[2, 3])
    assert y.shape == (1, 1, 4, 6)  # full convolution: padding kernel - 1
    with pytest.raises(GateInputError, match=r"the padding \(3, 3\) is larger than the input"):
        engine.conv2d(x, ctx.variable(np.ones((1, 1, 3, 4))), padding=[3, 3])
    assert engine.maxpool2d(x, 3, stride=1, padding=[1, 1]).shape == (1, 1, 2, 3)


def test_maxpool2d_refuses_a_kernel_larger_than_the_padded_input(ctx: Context) -> None:
    with pytest.raises(GateInputError, match=r"the kernel \(100000, 100000\) is larger"):
        REGISTRY["maxpool2d"](kernel_size=100_000).infer(spec(1, 1, 4, 4))
    x = ctx.variable(np.ones((1, 1, 4, 4)))
    assert _peak_bytes(lambda: engine.maxpool2d(x, 100_000)) < TINY


def test_maxpool2d_refuses_a_huge_kernel_even_with_half_of_it_as_padding(ctx: Context) -> None:
    # Padding half the kernel would let the kernel fit: the padding is larger than the input.
    gate = REGISTRY["maxpool2d"](kernel_size=16_001, padding=8000)
    with pytest.raises(GateInputError, match=r"the padding \(8000, 8000\) is larger"):
        gate.infer(spec(1, 1, 1, 1))
    x = ctx.variable(np.ones((1, 1, 1, 1)))
    assert _peak_bytes(lambda: engine.maxpool2d(x, 16_001, padding=8000)) < TINY


def test_broadcasting_two_small_inputs_gives_the_full_shape_and_its_bytes() -> None:
    cost = REGISTRY["mul"]().infer(spec(1000, 1, 1), spec(1, 1000, 1))
    assert cost.output == spec(1000, 1000, 1)
    assert cost.bytes >= 8 * 10**6


def test_a_third_small_input_makes_it_eight_gigabytes() -> None:
    ab = REGISTRY["mul"]().infer(spec(1000, 1, 1), spec(1, 1000, 1)).output
    cost = REGISTRY["mul"]().infer(ab, spec(1, 1, 1000))
    assert cost.output == spec(1000, 1000, 1000)
    assert cost.bytes >= 8 * 10**9


def test_a_column_plus_a_row_of_a_million_is_eight_terabytes() -> None:
    cost = REGISTRY["add"]().infer(spec(10**6, 1), spec(1, 10**6))
    assert cost.output == spec(10**6, 10**6)
    assert 8 * 10**12 <= cost.bytes < 8 * 10**12 + 10**6


def test_the_name_based_form_answers_the_same() -> None:
    specs = [spec(1, 1, 4, 4)]
    assert engine.infer("maxpool2d", {"kernel_size": 2}, specs) == REGISTRY["maxpool2d"](
        kernel_size=2
    ).infer(*specs)


ABSURD: dict[str, tuple[dict[str, Any], list[TensorSpec]]] = {
    **{
        name: ({}, [spec(G, G)])
        for name in ["neg", "exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "gelu"]
    },
    "leaky_relu": ({"slope": 0.1}, [spec(G, G)]),
    "clamp": ({"min": 0, "max": 1}, [spec(G, G)]),
    **{name: ({}, [spec(G, 1), spec(1, G)]) for name in ["add", "sub", "mul", "div", "pow"]},
    "matmul": ({}, [spec(G, G, G), spec(G, G)]),
    "sum": ({"axis": [0, 1]}, [spec(G, G)]),
    "mean": ({"keepdims": True}, [spec(G, G)]),
    "max": ({"axis": 0}, [spec(G, G)]),
    "softmax": ({}, [spec(G, G)]),
    "log_softmax": ({"axis": 0}, [spec(G, G)]),
    "mse_loss": ({}, [spec(G, G), spec(G, G)]),
    "sigmoid_cross_entropy": ({}, [spec(G, G), spec(G, G)]),
    "softmax_cross_entropy": ({}, [spec(G, G), spec(G, G)]),
    "sparse_softmax_cross_entropy": ({}, [spec(G, G), spec(G)]),
    "reshape": ({"shape": [G, -1]}, [spec(G, G, G)]),
    "flatten": ({}, [spec(G, G, G)]),
    "transpose": ({}, [spec(G, G, 1)]),
    "squeeze": ({}, [spec(G, 1, G)]),
    "unsqueeze": ({"axis": -1}, [spec(G, G)]),
    "concat": ({"axis": 1}, [spec(G, G), spec(G, G)]),
    "stack": ({}, [spec(G, G), spec(G, G)]),
    "split": ({"sizes": 1}, [spec(G, G)]),
    "chunk": ({"chunks": 3, "axis": 1}, [spec(G, G)]),
    "unstack": ({}, [spec(G, G)]),
    "getitem": ({"index": [[0, 1, 1], "...", None]}, [spec(G, G)]),
    "linear": ({}, [spec(G, G), spec(G, G), spec(G)]),
    "conv2d": ({"padding": 1}, [spec(G, 3, G, G), spec(8, 3, 3, 3), spec(8)]),
    "maxpool2d": ({"kernel_size": 2}, [spec(G, 3, G, G)]),
    "embedding": ({}, [spec(G, G), spec(G, G)]),
    "layer_norm": ({}, [spec(G, G), spec(G), spec(G)]),
    "gru_cell": ({}, [spec(G, G), spec(G, G), spec(3 * G, G), spec(3 * G, G)] + [spec(3 * G)] * 2),
    "dropout": ({"p": 0.5}, [spec(G, G)]),
}


def test_every_registered_gate_has_an_absurd_case() -> None:
    assert set(ABSURD) == set(REGISTRY)


def _answer(name: str) -> Callable[[], GateCost]:
    params, specs = ABSURD[name]
    gate = REGISTRY[name](**params)
    return lambda: gate.infer(*specs)


@pytest.mark.parametrize("name", sorted(ABSURD))
def test_absurd_shapes_are_answered_at_once_without_allocating(name: str) -> None:
    answer = _answer(name)
    assert _peak_bytes(answer) < TINY
    assert _seconds_per_call(answer) < 1e-3


def _seconds_per_call(call: Callable[[], Any], calls: int = 20, rounds: int = 5) -> float:
    """CPU seconds per call in the best of a few rounds, as timeit counts: others share the CPU."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            call()
        best = min(best, (time.process_time() - start) / calls)
    return best


def test_a_split_into_a_trillion_pieces_is_described_not_made() -> None:
    cost = _answer("split")()
    assert len(cost.outputs) == G
    assert cost.outputs[-1] == spec(1, G)


def test_readme_cost_example() -> None:
    # The example of engine/README.md's "Knowing the cost before running", as written there.
    conv = engine.REGISTRY["conv2d"](padding=1)
    cost = conv.infer(
        TensorSpec((32, 3, 224, 224), "float32"),
        TensorSpec((64, 3, 3, 3), "float32"),
        TensorSpec((64,), "float32"),
    )
    assert str(cost.output) == "(32, 64, 224, 224) float32"
    assert cost.bytes == 1015138048
    column, row = TensorSpec((10**6, 1)), TensorSpec((1, 10**6))
    assert engine.infer("add", {}, [column, row]).bytes == 8000000131328
    x, w, b = TensorSpec((1, 1, 1, 1)), TensorSpec((1, 1, 3, 3)), TensorSpec((1,))
    with pytest.raises(engine.GateInputError) as refused:
        engine.infer("conv2d", {"padding": 8000}, [x, w, b])
    assert str(refused.value) == (
        "conv2d on inputs of shape (1, 1, 1, 1), (1, 1, 3, 3), (1,): "
        "the padding (8000, 8000) is larger than the input (1, 1)"
    )
