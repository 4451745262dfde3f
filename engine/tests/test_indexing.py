"""Indexing: Python keys, their JSON index specs, and gradients scattered back."""

import numpy as np
import pytest

from engine import Context, GateInputError
from engine.gates.indexing import index_spec, numpy_index
from engine.tests.errors import raises_exactly


def test_index_spec_is_plain_json() -> None:
    spec = index_spec((0, slice(1, None, 2), ..., None, [2, 0]))
    assert spec == [0, {"start": 1, "stop": None, "step": 2}, "...", None, [2, 0]]
    assert numpy_index(spec)[:4] == (0, slice(1, None, 2), Ellipsis, None)


def test_index_spec_rejects_masks_and_floats() -> None:
    with raises_exactly(TypeError, "getitem: a list index must be a flat list of ints (no masks)"):
        index_spec(np.array([True, False]))
    with raises_exactly(
        TypeError,
        "getitem: cannot index with float; use ints, slices, ..., None or lists of ints",
    ):
        index_spec(1.5)


def test_an_empty_list_picks_nothing(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    y = x[[]]
    assert y.shape == (0,)
    (y.sum() + x.sum()).backprop()
    assert x.grad.tolist() == [1.0, 1.0]


def test_basic_slicing_and_its_gradient(ctx: Context) -> None:
    x = ctx.variable(np.arange(12.0).reshape(3, 4), requires_grad=True)
    y = x[1:, ::2]
    assert y.value.tolist() == [[4, 6], [8, 10]]
    y.backprop(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert x.grad.tolist() == [[0, 0, 0, 0], [1, 0, 2, 0], [3, 0, 4, 0]]


def test_repeated_positions_add_their_gradients(ctx: Context) -> None:
    x = ctx.variable([10.0, 20.0, 30.0], requires_grad=True)
    y = x[[0, 2, 0]]
    assert y.value.tolist() == [10, 30, 10]
    y.backprop()
    assert x.grad.tolist() == [2, 0, 1]


def test_ellipsis_and_new_axis(ctx: Context) -> None:
    x = ctx.variable(np.ones((2, 3, 4)))
    assert x[..., 0].shape == (2, 3)
    assert x[None, 0].shape == (1, 3, 4)


def test_out_of_range_index_names_the_gate_and_shape(ctx: Context) -> None:
    with pytest.raises(GateInputError, match=r"getitem on inputs of shape \(3,\).*index 3"):
        ctx.variable([1.0, 2.0, 3.0])[3]
