"""Gradient health on hand-built cases: a saturated tanh, a dead ReLU layer, a scaled-up chain."""

import numpy as np
import pytest

import engine
from engine import Context
from engine.health import dead_units, gradient_health


def test_a_saturated_tanh_vanishes(ctx: Context) -> None:
    # tanh'(x) = sech(x)**2: 6.1e-8 at 9 and 8.2e-9 at 10, almost nothing reaches the input.
    a = ctx.variable([9.0, 10.0], requires_grad=True)
    engine.tanh(a).sum().backprop()
    health = gradient_health(a)
    norm = np.hypot(1 / np.cosh(9.0) ** 2, 1 / np.cosh(10.0) ** 2)
    assert health.norm == pytest.approx(norm, rel=1e-6)
    assert health.warnings == ["vanishing"]
    assert health.ratio == pytest.approx(norm / np.hypot(9.0, 10.0), rel=1e-6)


def test_a_scaled_up_chain_explodes(ctx: Context) -> None:
    # y = a * 10 * 10 * ... (six times): dy/da = 1e6 per element.
    a = ctx.variable([1.0, 1.0], requires_grad=True)
    y = a
    for _ in range(6):
        y = y * 10.0
    y.sum().backprop()
    health = gradient_health(a)
    assert health.norm == pytest.approx(np.sqrt(2) * 1e6)
    assert health.max_abs == pytest.approx(1e6)
    assert health.warnings == ["exploding"]
    assert health.notes == ["the gradient's norm is 1.41e+06, above 10000"]


def test_an_infinite_gradient_explodes(ctx: Context) -> None:
    a = ctx.variable(0.0, requires_grad=True)
    with np.errstate(divide="ignore"):
        engine.sqrt(a).backprop()
    assert gradient_health(a).warnings == ["exploding"]


def test_a_healthy_gradient_has_no_warning_and_counts_its_zeros(ctx: Context) -> None:
    a = ctx.variable([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    engine.relu(a).sum().backprop()
    health = gradient_health(a)
    assert (health.norm, health.max_abs, health.zero_fraction) == (
        pytest.approx(np.sqrt(2)),
        1.0,
        0.5,
    )
    assert health.ratio == pytest.approx(np.sqrt(2) / np.sqrt(30))
    assert health.warnings == []


def test_a_zero_value_has_no_ratio_and_a_zero_gradient_of_zeros_is_not_vanishing(
    ctx: Context,
) -> None:
    a = ctx.variable([0.0, 0.0], requires_grad=True)
    (a * 0.0).sum().backprop()
    health = gradient_health(a)
    assert health.ratio is None and health.warnings == [] and health.zero_fraction == 1.0


def test_an_exact_zero_from_relu_is_not_vanishing(ctx: Context) -> None:
    a = ctx.variable(-2.0, requires_grad=True)
    engine.relu(a).backprop()
    health = gradient_health(a)
    assert health.norm == 0.0 and health.warnings == []


def test_no_gradient_no_health(ctx: Context) -> None:
    assert gradient_health(ctx.variable(1.0, requires_grad=True)) is None
    assert gradient_health(ctx.variable(1.0)) is None


def test_a_dead_relu_layer_is_found_unit_by_unit(ctx: Context) -> None:
    # Four rows, three units; the bias of -100 kills unit 1 for every row.
    x = ctx.variable(np.arange(8.0).reshape(4, 2))
    w = ctx.variable(np.ones((2, 3)), requires_grad=True)
    b = ctx.variable([0.0, -100.0, 0.0], requires_grad=True)
    h = engine.relu(x @ w + b)
    assert dead_units(h.value) == (1, 3)
    h.sum().backprop()
    np.testing.assert_array_equal(w.grad[:, 1], [0.0, 0.0])  # what "dead" means: it never learns


def test_a_unit_alive_in_one_row_is_alive() -> None:
    assert dead_units(np.array([[0.0, 0.0], [0.0, 0.5]])) == (1, 2)
    assert dead_units(np.zeros(3)) is None  # no batch axis
