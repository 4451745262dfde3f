"""Arithmetic gates: values and gradients worked out by hand."""

import numpy as np
import pytest

import engine
from engine import Context, GateInputError
from engine.tests.errors import raises_exactly


def test_add_broadcasts_and_sums_the_gradient_back(ctx: Context) -> None:
    a = ctx.variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    b = ctx.variable([10.0, 20.0, 30.0], requires_grad=True)
    c = engine.add(a, b)
    assert c.value.tolist() == [[11, 22, 33], [14, 25, 36]]
    c.backprop()
    assert a.grad.tolist() == [[1, 1, 1], [1, 1, 1]]
    assert b.grad.tolist() == [2, 2, 2]  # b was used by both rows


def test_sub_negates_the_second_gradient(ctx: Context) -> None:
    a = ctx.variable([5.0, 7.0], requires_grad=True)
    b = ctx.variable([[1.0], [2.0]], requires_grad=True)
    c = engine.sub(a, b)
    assert c.value.tolist() == [[4, 6], [3, 5]]
    c.backprop()
    assert a.grad.tolist() == [2, 2] and b.grad.tolist() == [[-2], [-2]]


def test_mul_gradient_is_the_other_factor(ctx: Context) -> None:
    a = ctx.variable([2.0, 3.0], requires_grad=True)
    b = ctx.variable([4.0, 5.0], requires_grad=True)
    engine.mul(a, b).backprop(np.array([1.0, 10.0]))
    assert a.grad.tolist() == [4, 50] and b.grad.tolist() == [2, 30]


def test_div_gradients(ctx: Context) -> None:
    a = ctx.variable(6.0, requires_grad=True)
    b = ctx.variable(3.0, requires_grad=True)
    c = engine.div(a, b)
    assert c.item() == 2.0
    c.backprop()
    assert a.grad == pytest.approx(1 / 3)  # 1 / b
    assert b.grad == pytest.approx(-6 / 9)  # -a / b^2


def test_pow_gradients_for_base_and_exponent(ctx: Context) -> None:
    a = ctx.variable(2.0, requires_grad=True)
    b = ctx.variable(3.0, requires_grad=True)
    c = engine.pow(a, b)
    assert c.item() == 8.0
    c.backprop()
    assert a.grad == pytest.approx(12.0)  # b a^(b-1)
    assert b.grad == pytest.approx(8 * np.log(2))  # a^b ln a


def test_pow_with_a_constant_exponent_works_at_zero(ctx: Context) -> None:
    a = ctx.variable([0.0, -2.0], requires_grad=True)
    (a**2).backprop()
    assert a.grad.tolist() == [0.0, -4.0]


def test_neg_exp_log_sqrt_abs(ctx: Context) -> None:
    x = ctx.variable([1.0, 4.0], requires_grad=True)
    y = engine.neg(x) + engine.exp(x) + engine.log(x) + engine.sqrt(x) + engine.abs(-x)
    expected = -x.value + np.exp(x.value) + np.log(x.value) + np.sqrt(x.value) + x.value
    np.testing.assert_allclose(y.value, expected)
    y.backprop()
    # -1 + e^x + 1/x + 1/(2 sqrt x) + sign(x)
    np.testing.assert_allclose(x.grad, [-1 + np.e + 1 + 0.5 + 1, -1 + np.exp(4) + 0.25 + 0.25 + 1])


def test_abs_gradient_is_zero_at_zero(ctx: Context) -> None:
    x = ctx.variable([-2.0, 0.0, 3.0], requires_grad=True)
    engine.abs(x).backprop()
    assert x.grad.tolist() == [-1.0, 0.0, 1.0]


def test_clamp_passes_the_gradient_only_inside_the_bounds(ctx: Context) -> None:
    x = ctx.variable([-2.0, -1.0, 0.5, 1.0, 3.0], requires_grad=True)
    y = engine.clamp(x, -1.0, 1.0)
    assert y.value.tolist() == [-1.0, -1.0, 0.5, 1.0, 1.0]
    y.backprop()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]
    assert engine.clamp(x, max=0.0).value.tolist() == [-2.0, -1.0, 0.0, 0.0, 0.0]


def test_clamp_to_a_single_value_passes_the_gradient_only_there(ctx: Context) -> None:
    # min == max is allowed; the bounds are inclusive, so the gradient is 1 at that value.
    x = ctx.variable([0.0, 1.0, 2.0], requires_grad=True)
    y = engine.clamp(x, 1.0, 1.0)
    assert y.value.tolist() == [1.0, 1.0, 1.0]
    y.backprop()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]


def test_matmul_2d_gradients(ctx: Context) -> None:
    a = ctx.variable([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = ctx.variable([[5.0], [6.0]], requires_grad=True)
    c = engine.matmul(a, b)
    assert c.value.tolist() == [[17.0], [39.0]]
    c.backprop(np.array([[1.0], [2.0]]))
    assert a.grad.tolist() == [[5.0, 6.0], [10.0, 12.0]]  # g b^T
    assert b.grad.tolist() == [[7.0], [10.0]]  # a^T g


def test_batched_matmul_sums_the_shared_operand_gradient(ctx: Context) -> None:
    a = ctx.variable(np.ones((3, 2, 4)), requires_grad=True)
    b = ctx.variable(np.ones((4, 5)), requires_grad=True)
    c = a @ b
    assert c.shape == (3, 2, 5) and np.all(c.value == 4)
    c.backprop()
    np.testing.assert_array_equal(a.grad, np.full((3, 2, 4), 5.0))
    np.testing.assert_array_equal(b.grad, np.full((4, 5), 6.0))  # 3 batches x 2 rows


def test_matmul_with_vectors(ctx: Context) -> None:
    v = ctx.variable([1.0, 2.0], requires_grad=True)
    m = ctx.variable([[1.0, 0.0, 2.0], [0.0, 1.0, 3.0]], requires_grad=True)
    y = v @ m
    assert y.value.tolist() == [1.0, 2.0, 8.0]
    y.backprop()
    assert v.grad.tolist() == [3.0, 4.0]
    assert m.grad.tolist() == [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
    dot = v @ v
    assert dot.item() == 5.0


def test_matmul_with_a_constant_vector_operand(ctx: Context) -> None:
    v = ctx.variable([1.0, 2.0])
    m = ctx.variable([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
    (v @ m).backprop()
    assert m.grad.tolist() == [[1.0, 1.0], [2.0, 2.0]]
    (m @ v).backprop()
    assert m.grad.tolist() == [[2.0, 3.0], [3.0, 4.0]]


def test_matmul_rejects_mismatched_inner_dimensions(ctx: Context) -> None:
    with raises_exactly(
        GateInputError,
        "matmul on inputs of shape (2, 3), (2, 3): "
        "the last axis of a must match the second-to-last axis of b: 3 ≠ 2",
    ):
        ctx.variable(np.ones((2, 3))) @ ctx.variable(np.ones((2, 3)))
    with raises_exactly(
        GateInputError,
        "matmul on inputs of shape (), (2,): matmul needs inputs of at least one dimension",
    ):
        ctx.variable(1.0) @ ctx.variable(np.ones(2))


def test_a_gradient_is_not_computed_for_a_constant_operand(ctx: Context) -> None:
    a = ctx.variable([[1.0, 2.0]], requires_grad=True)
    b = ctx.variable([[3.0], [4.0]])
    c = a @ b
    assert c.creator.gate.needs_grad == (True, False)
    c.backprop()
    assert b.grad is None
