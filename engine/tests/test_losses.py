"""Loss gates: scalar values and gradients worked out by hand."""

import numpy as np
import pytest

import engine
from engine import Context, GateInputError
from engine.tests.errors import raises_exactly


def test_mse_loss_is_the_mean_square_error(ctx: Context) -> None:
    p = ctx.variable([1.0, 2.0, 4.0], requires_grad=True)
    t = ctx.variable([1.0, 0.0, 1.0], requires_grad=True)
    loss = engine.mse_loss(p, t)
    assert loss.item() == pytest.approx((0 + 4 + 9) / 3)
    loss.backprop()
    np.testing.assert_allclose(p.grad, [0.0, 4 / 3, 2.0])  # 2 (p - t) / n
    np.testing.assert_allclose(t.grad, [0.0, -4 / 3, -2.0])


def test_losses_require_same_shaped_inputs(ctx: Context) -> None:
    p, t = ctx.variable(np.ones((3, 1))), ctx.variable(np.ones(3))
    with raises_exactly(
        GateInputError,
        "mse_loss on inputs of shape (3, 1), (3,): both inputs must have the same shape",
    ):
        engine.mse_loss(p, t)
    with pytest.raises(GateInputError, match="softmax_cross_entropy"):
        engine.softmax_cross_entropy(p, t)


@pytest.mark.parametrize("shape", [(), (0,)])
def test_cross_entropies_need_a_batch_of_at_least_one(ctx: Context, shape: tuple) -> None:
    x = ctx.variable(np.zeros(shape))
    with raises_exactly(
        GateInputError,
        f"sigmoid_cross_entropy on inputs of shape {shape}, {shape}: "
        "logits need a batch axis and at least one element",
    ):
        engine.sigmoid_cross_entropy(x, x)
    with raises_exactly(
        GateInputError,
        f"softmax_cross_entropy on inputs of shape {shape}, {shape}: "
        "class scores need at least one axis and one element",
    ):
        engine.softmax_cross_entropy(x, x)


def test_sigmoid_cross_entropy_divides_by_the_batch(ctx: Context) -> None:
    x = ctx.variable([[0.0, 2.0], [-1.0, 0.0]], requires_grad=True)
    t = ctx.variable([[1.0, 0.0], [0.0, 1.0]])
    loss = engine.sigmoid_cross_entropy(x, t)
    s = 1 / (1 + np.exp(-x.value))
    expected = -(t.value * np.log(s) + (1 - t.value) * np.log(1 - s)).sum() / 2
    assert loss.item() == pytest.approx(expected)
    loss.backprop()
    np.testing.assert_allclose(x.grad, (s - t.value) / 2)


def test_sigmoid_cross_entropy_is_finite_for_huge_logits(ctx: Context) -> None:
    x = ctx.variable([1000.0, -1000.0], requires_grad=True)
    loss = engine.sigmoid_cross_entropy(x, ctx.variable([0.0, 1.0]))
    assert loss.item() == pytest.approx(1000.0)  # (1000 + 1000) / batch of 2


def test_softmax_cross_entropy_with_one_hot_targets(ctx: Context) -> None:
    x = ctx.variable([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
    t = ctx.variable([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    loss = engine.softmax_cross_entropy(x, t)
    p0 = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    assert loss.item() == pytest.approx((-np.log(p0[2]) + np.log(3)) / 2)
    loss.backprop()
    np.testing.assert_allclose(x.grad[0], (p0 - [0, 0, 1]) / 2)
    np.testing.assert_allclose(x.grad[1], (np.full(3, 1 / 3) - [1, 0, 0]) / 2)


def test_sparse_softmax_cross_entropy_matches_the_one_hot_form(ctx: Context) -> None:
    logits = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    x = ctx.variable(logits, requires_grad=True)
    y = ctx.variable(logits, requires_grad=True)
    sparse = engine.sparse_softmax_cross_entropy(x, ctx.variable([2.0, 0.0]))
    sparse.backprop()  # empties the tape: the dense form is recorded after
    dense = engine.softmax_cross_entropy(y, ctx.variable([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]))
    dense.backprop()
    assert sparse.item() == pytest.approx(dense.item())
    np.testing.assert_allclose(x.grad, y.grad)


def test_sparse_targets_must_be_whole_class_indices(ctx: Context) -> None:
    x = ctx.variable(np.zeros((2, 3)))
    with pytest.raises(GateInputError, match="whole numbers"):
        engine.sparse_softmax_cross_entropy(x, ctx.variable([0.5, 1.0]))
    with pytest.raises(GateInputError, match=r"lie in \[0, 3\)"):
        engine.sparse_softmax_cross_entropy(x, ctx.variable([0.0, 3.0]))
    with raises_exactly(
        GateInputError,
        "sparse_softmax_cross_entropy on inputs of shape (2, 3), (3,): "
        "targets must have the logits' shape without the class axis",
    ):
        engine.sparse_softmax_cross_entropy(x, ctx.variable([0.0, 1.0, 2.0]))
