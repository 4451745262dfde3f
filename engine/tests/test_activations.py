"""Activation gates: values and gradients against closed forms."""

import math

import numpy as np
import pytest

import engine
from engine import Context

X = [-2.0, -0.5, 0.0, 1.5]


def test_relu_and_its_gradient_zero_at_zero(ctx: Context) -> None:
    x = ctx.variable(X, requires_grad=True)
    y = engine.relu(x)
    assert y.value.tolist() == [0.0, 0.0, 0.0, 1.5]
    y.backprop()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 1.0]


def test_leaky_relu_scales_negatives(ctx: Context) -> None:
    x = ctx.variable([*X, 0.5], requires_grad=True)
    y = engine.leaky_relu(x, slope=0.1)
    np.testing.assert_allclose(y.value, [-0.2, -0.05, 0.0, 1.5, 0.5])
    y.backprop(np.full(5, 2.0))
    np.testing.assert_allclose(x.grad, [0.2, 0.2, 0.2, 2.0, 2.0])


def test_sigmoid_is_stable_and_its_gradient_is_s_times_one_minus_s(ctx: Context) -> None:
    x = ctx.variable([0.0, 800.0, -800.0], requires_grad=True)
    y = engine.sigmoid(x)
    assert y.value.tolist() == [0.5, 1.0, 0.0]
    y.backprop()
    assert x.grad.tolist() == [0.25, 0.0, 0.0]


def test_tanh_gradient_is_one_minus_square(ctx: Context) -> None:
    x = ctx.variable([0.0, 1.0], requires_grad=True)
    engine.tanh(x).backprop()
    np.testing.assert_allclose(x.grad, [1.0, 1 - np.tanh(1.0) ** 2])


def test_gelu_matches_the_tanh_approximation(ctx: Context) -> None:
    x = ctx.variable([0.0, 1.0, -1.0], requires_grad=True)
    y = engine.gelu(x)
    # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) at 1: 0.8411919906
    np.testing.assert_allclose(y.value, [0.0, 0.8411919906, -0.1588080094], atol=1e-9)
    y.backprop()
    assert x.grad[0] == pytest.approx(0.5)


def test_softmax_values_and_gradient(ctx: Context) -> None:
    x = ctx.variable([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], requires_grad=True)
    y = engine.softmax(x)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(y.value[0], e / e.sum())
    np.testing.assert_allclose(y.value[1], [1 / 3] * 3)
    # Picking component 0 of row 1: d s0 / d x_j = s0 (delta_0j - s_j)
    y.backprop(np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]))
    np.testing.assert_allclose(x.grad[1], [1 / 3 * (1 - 1 / 3), -1 / 9, -1 / 9])
    np.testing.assert_allclose(x.grad[0], 0.0)


def test_softmax_does_not_overflow(ctx: Context) -> None:
    y = engine.softmax(ctx.variable([1000.0, 1000.0]))
    assert y.value.tolist() == [0.5, 0.5]
    np.testing.assert_allclose(engine.log_softmax(ctx.variable([1000.0, 1000.0])).value, -np.log(2))


def test_softmax_of_rows_of_very_different_size_does_not_underflow(ctx: Context) -> None:
    # Each row is shifted by its own maximum: one shift for all would send row 0 to e^-1000.
    x = ctx.variable([[0.0, 1.0], [1000.0, 1001.0]])
    expected = [1 / (1 + np.e), np.e / (1 + np.e)]
    np.testing.assert_allclose(engine.softmax(x).value, [expected, expected])
    np.testing.assert_allclose(engine.log_softmax(x).value, np.log([expected, expected]))


def test_log_softmax_along_an_axis(ctx: Context) -> None:
    x = ctx.variable([[1.0, 1.0], [2.0, 0.0]], requires_grad=True)
    y = engine.log_softmax(x, axis=0)
    np.testing.assert_allclose(y.value[:, 0], np.log([1 / (1 + np.e), np.e / (1 + np.e)]))
    np.testing.assert_allclose(y.value[:, 1], np.log([np.e / (1 + np.e), 1 / (1 + np.e)]))
    y.backprop()
    # d/dx of the column sum of log-softmax: 1 - 2 softmax
    np.testing.assert_allclose(x.grad, 1 - 2 * np.exp(y.value))


def test_exact_gelu_is_x_times_the_normal_cdf(ctx: Context) -> None:
    x = ctx.variable([0.0, 1.0, -2.0], requires_grad=True)
    y = engine.gelu(x, approximate="none")
    # x Φ(x): Φ(1) = 0.8413447460685429, Φ(-2) = 0.022750131948179195
    np.testing.assert_allclose(y.value, [0.0, 0.8413447460685429, -0.04550026389635839])
    y.backprop()
    assert x.grad[1] == pytest.approx(0.8413447460685429 + math.exp(-0.5) / math.sqrt(2 * math.pi))
