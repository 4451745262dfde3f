"""Reduction gates: sum, mean and max, with hand-worked gradients."""

import numpy as np
import pytest

import engine
from engine import Context, GateInputError

M = [[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]


def test_sum_of_everything_spreads_ones(ctx: Context) -> None:
    x = ctx.variable(M, requires_grad=True)
    s = engine.sum(x)
    assert s.item() == 21.0 and s.shape == ()
    s.backprop(np.array(2.0))
    assert x.grad.tolist() == [[2.0] * 3] * 2


def test_sum_along_an_axis_with_and_without_keepdims(ctx: Context) -> None:
    x = ctx.variable(M, requires_grad=True)
    assert engine.sum(x, axis=1).value.tolist() == [9.0, 12.0]
    kept = engine.sum(x, axis=0, keepdims=True)
    assert kept.value.tolist() == [[5.0, 7.0, 9.0]]
    kept.backprop(np.array([[1.0, 2.0, 3.0]]))
    assert x.grad.tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]


def test_sum_over_a_list_of_axes(ctx: Context) -> None:
    x = ctx.variable(np.ones((2, 3, 4)), requires_grad=True)
    s = engine.sum(x, axis=[0, 2])
    assert s.value.tolist() == [8.0, 8.0, 8.0]
    s.backprop(np.array([1.0, 2.0, 3.0]))
    assert x.grad[1, :, 3].tolist() == [1.0, 2.0, 3.0]


def test_mean_divides_the_gradient_by_the_count(ctx: Context) -> None:
    x = ctx.variable(M, requires_grad=True)
    m = engine.mean(x, axis=1)
    assert m.value.tolist() == [3.0, 4.0]
    m.backprop()
    np.testing.assert_allclose(x.grad, np.full((2, 3), 1 / 3))
    assert engine.mean(x).item() == 3.5


def test_mean_keeps_the_reduced_axes_on_request(ctx: Context) -> None:
    x = ctx.variable(M, requires_grad=True)
    m = engine.mean(x, axis=1, keepdims=True)
    assert m.value.tolist() == [[3.0], [4.0]]
    m.backprop(np.array([[3.0], [6.0]]))
    assert x.grad.tolist() == [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]


def test_max_along_an_axis_sends_the_gradient_to_the_argmax(ctx: Context) -> None:
    x = ctx.variable(M, requires_grad=True)
    m = engine.max(x, axis=1)
    assert m.value.tolist() == [5.0, 6.0]
    m.backprop(np.array([10.0, 20.0]))
    assert x.grad.tolist() == [[0.0, 10.0, 0.0], [0.0, 0.0, 20.0]]


def test_max_along_an_axis_removes_only_that_axis(ctx: Context) -> None:
    x = ctx.variable([[[1.0], [5.0], [3.0]]], requires_grad=True)  # shape (1, 3, 1)
    m = engine.max(x, axis=1)
    assert m.shape == (1, 1) and m.value.tolist() == [[5.0]]
    m.backprop(np.array([[2.0]]))
    assert x.grad.tolist() == [[[0.0], [2.0], [0.0]]]


def test_max_over_everything_and_keepdims(ctx: Context) -> None:
    x = ctx.variable(M, requires_grad=True)
    m = engine.max(x, keepdims=True)
    assert m.value.tolist() == [[6.0]]
    m.backprop()
    assert x.grad.tolist() == [[0, 0, 0], [0, 0, 1.0]]
    assert engine.max(x, axis=0, keepdims=True).shape == (1, 3)


# At a tie max has no derivative; the engine sends the whole gradient to the first maximum
# in index order (row-major over everything), one valid subgradient. PyTorch's max(dim)
# does the same; its max() over everything splits the gradient evenly among the ties.


def test_max_along_an_axis_gives_a_tie_to_the_first_maximum(ctx: Context) -> None:
    x = ctx.variable([[3.0, 1.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    m = engine.max(x, axis=1)
    assert m.value.tolist() == [3.0, 2.0]
    m.backprop(np.array([10.0, 20.0]))
    assert x.grad.tolist() == [[10.0, 0.0, 0.0], [20.0, 0.0, 0.0]]


def test_max_along_the_first_axis_gives_a_tie_to_the_first_row(ctx: Context) -> None:
    x = ctx.variable([[1.0, 7.0, 4.0], [5.0, 7.0, 4.0]], requires_grad=True)
    m = engine.max(x, axis=0, keepdims=True)
    assert m.value.tolist() == [[5.0, 7.0, 4.0]]
    m.backprop(np.array([[1.0, 2.0, 3.0]]))
    assert x.grad.tolist() == [[0.0, 2.0, 3.0], [1.0, 0.0, 0.0]]


def test_max_over_everything_gives_a_tie_to_the_first_maximum_in_row_major_order(
    ctx: Context,
) -> None:
    x = ctx.variable([[0.0, 2.0, 1.0], [2.0, 2.0, 0.0]], requires_grad=True)
    m = engine.max(x)
    assert m.item() == 2.0
    m.backprop(np.array(5.0))
    assert x.grad.tolist() == [[0.0, 5.0, 0.0], [0.0, 0.0, 0.0]]


def test_reducing_a_missing_axis_names_the_gate(ctx: Context) -> None:
    x = ctx.variable(M)
    with pytest.raises(GateInputError, match=r"sum on inputs of shape \(2, 3\): .*axis 2"):
        engine.sum(x, axis=2)
    with pytest.raises(GateInputError, match="max on inputs"):
        engine.max(x, axis=-3)
