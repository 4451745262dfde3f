"""Every shape a gate refuses, infer refuses with a reason: forward's own words where it can.

Users see these reasons (the backend shows them), so a table spells each one out: infer
and forward give the same message, naming the gate and the input shapes, or, where
forward's comes from NumPy in other words, both refuse.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import engine
from engine import REGISTRY, Context, GateInputError, TensorSpec

REFUSALS: list[tuple[str, dict[str, Any], list[tuple[int, ...]], str]] = [
    ("matmul", {}, [(), (2,)], "matmul needs inputs of at least one dimension"),
    (
        "matmul",
        {},
        [(2, 3), (2, 3)],
        "the last axis of a must match the second-to-last axis of b: 3 ≠ 2",
    ),
    ("linear", {}, [(2, 3), (4, 2), (4,)], "x must be (..., in) and weight (out, in)"),
    ("linear", {}, [(), (4, 2), (4,)], "x must be (..., in) and weight (out, in)"),
    ("linear", {}, [(2, 3), (4, 3), (3,)], "bias must be (out,), one entry per row of weight"),
    *[
        ("gru_cell", {}, shapes, reason)
        for reason, shapes in [
            ("x must be (batch, in) and h (batch, hidden) with the same batch", [(2, 3), (1, 4)]),
            ("x must be (batch, in) and h (batch, hidden) with the same batch", [(2,), (2, 4)]),
            ("x must be (batch, in) and h (batch, hidden) with the same batch", [(2, 3), (4,)]),
            ("w_ih must be (3 hidden, in) and w_hh (3 hidden, hidden)", [(2, 3), (2, 4)]),
        ]
        for shapes in [[*shapes, (12, 2), (12, 4), (12,), (12,)]]
    ],
    (
        "gru_cell",
        {},
        [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (4,)],
        "b_ih and b_hh must be (3 hidden,)",
    ),
    (
        "conv2d",
        {},
        [(1, 2, 4, 4), (1, 3, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    (
        "conv2d",
        {},
        [(2, 4, 4), (1, 2, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    (
        "conv2d",
        {},
        [(1, 2, 4, 4), (2, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    ("conv2d", {}, [(1, 2, 4, 4), (1, 2, 2, 2), (2,)], "bias must be (filters,)"),
    (
        "conv2d",
        {"padding": [0, 1]},
        [(1, 1, 4, 4), (1, 1, 5, 5), (1,)],
        "the kernel (5, 5) is larger than the padded input",
    ),
    (
        "maxpool2d",
        {"kernel_size": 2},
        [(4, 4)],
        "the input must be (batch, channels, height, width)",
    ),
    (
        "maxpool2d",
        {"kernel_size": 4, "padding": [0, 2]},
        [(1, 1, 4, 1)],
        "the padding (0, 2) is larger than the input (4, 1)",
    ),
    ("embedding", {}, [(3,), (4,)], "weight must be (vocabulary, dim)"),
    ("embedding", {}, [(3,), (0, 2)], "indices must lie in [0, 0)"),
    ("mse_loss", {}, [(2, 3), (3, 2)], "both inputs must have the same shape"),
    ("sigmoid_cross_entropy", {}, [(), ()], "logits need a batch axis and at least one element"),
    (
        "sigmoid_cross_entropy",
        {},
        [(2, 0), (2, 0)],
        "logits need a batch axis and at least one element",
    ),
    (
        "softmax_cross_entropy",
        {},
        [(0, 3), (0, 3)],
        "class scores need at least one axis and one element",
    ),
    (
        "sparse_softmax_cross_entropy",
        {},
        [(2, 3), (3,)],
        "targets must have the logits' shape without the class axis",
    ),
    (
        "sparse_softmax_cross_entropy",
        {},
        [(), ()],
        "targets must have the logits' shape without the class axis",
    ),
    (
        "sparse_softmax_cross_entropy",
        {},
        [(0, 3), (0,)],
        "class scores need at least one axis and one element",
    ),
    ("max", {"axis": 1}, [(2, 0)], "attempt to get argmax of an empty sequence"),
    (
        "softmax",
        {"axis": 0},
        [(0, 2)],
        "zero-size array to reduction operation maximum which has no identity",
    ),
    (
        "flatten",
        {"start_axis": -1, "end_axis": 0},
        [(2, 3)],
        "start_axis -1 comes after end_axis 0",
    ),
    (
        "squeeze",
        {"axis": [1]},
        [(1, 2)],
        "cannot select an axis to squeeze out which has size not equal to one",
    ),
    ("transpose", {"axes": [0]}, [(1, 2)], "axes don't match array"),
    ("concat", {}, [(), ()], "zero-dimensional arrays cannot be concatenated"),
    ("stack", {}, [(2,), (3,)], "all input arrays must have the same shape"),
    ("reshape", {"shape": [-1, -1]}, [(4,)], "can only specify one unknown dimension"),
    ("split", {"sizes": [1, 1]}, [(3,)], "sizes [1, 1] do not add up to the axis length 3"),
    (
        "getitem",
        {"index": ["...", "..."]},
        [(3,)],
        "an index can only have a single ellipsis ('...')",
    ),
    (
        "getitem",
        {"index": [0, 0]},
        [(3,)],
        "too many indices for array: array is 1-dimensional, but 2 were indexed",
    ),
    (
        "getitem",
        {"index": [{}, [0, -4]]},
        [(2, 3)],
        "index -4 is out of bounds for axis 1 with size 3",
    ),
    ("getitem", {"index": [{}, 3]}, [(2, 3)], "index 3 is out of bounds for axis 1 with size 3"),
    (
        "conv2d",
        {},
        [(2, 4, 4), (1, 4, 2, 2), (1,)],
        "weight must be (filters, channels, kh, kw) with x's channel count",
    ),
    ("squeeze", {"axis": 1}, [()], "axis 1 is out of bounds for array of dimension 0"),
    ("softmax", {"axis": -2}, [()], "axis -2 is out of bounds for array of dimension 0"),
]
"""Shapes each gate refuses, with the reason forward gives in the same words."""


@pytest.mark.parametrize(("name", "params", "shapes", "reason"), REFUSALS)
def test_infer_refuses_with_the_words_of_forward(
    ctx: Context, name: str, params: dict[str, Any], shapes: list[tuple[int, ...]], reason: str
) -> None:
    listed = ", ".join(map(str, shapes))
    with pytest.raises(GateInputError) as inferred:
        REGISTRY[name](**params).infer(*map(TensorSpec, shapes))
    assert str(inferred.value) == f"{name} on inputs of shape {listed}: {reason}"
    values = [ctx.variable(np.zeros(shape)) for shape in shapes]
    with pytest.raises(GateInputError) as refused:
        engine.apply(REGISTRY[name](**params), values)
    assert str(refused.value) == str(inferred.value)


@pytest.mark.parametrize(
    ("name", "params", "shapes", "reason"),
    [
        (
            "concat",
            {},
            [(2, 1), (3, 2)],
            "the inputs must have the same size on every axis but the joined one",
        ),
        (
            "concat",
            {"axis": 1},
            [(2, 1, 4), (2, 3, 5)],
            "the inputs must have the same size on every axis but the joined one",
        ),
        ("reshape", {"shape": [4, 2]}, [(6,)], "cannot reshape array of size 6 into shape (4, 2)"),
        (
            "reshape",
            {"shape": [0, -1]},
            [(0,)],
            "cannot reshape array of size 0 into shape (0, -1)",
        ),
        (
            "unsqueeze",
            {"axis": 0},
            [(1,) * 64],
            "the result would have 65 dimensions; NumPy allows 64",
        ),
    ],
)
def test_infer_refuses_where_forward_does_in_its_own_words(
    ctx: Context, name: str, params: dict[str, Any], shapes: list[tuple[int, ...]], reason: str
) -> None:
    listed = ", ".join(map(str, shapes))
    with pytest.raises(
        GateInputError, match="^" + re.escape(f"{name} on inputs of shape {listed}: {reason}") + "$"
    ):
        REGISTRY[name](**params).infer(*map(TensorSpec, shapes))
    with pytest.raises(GateInputError):
        engine.apply(REGISTRY[name](**params), [ctx.variable(np.zeros(shape)) for shape in shapes])


def test_a_join_of_nothing_is_refused() -> None:
    with pytest.raises(
        GateInputError, match=r"^stack on inputs of shape : at least one input is needed$"
    ):
        REGISTRY["stack"]().infer()
