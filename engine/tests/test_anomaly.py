"""Anomaly detection: the first gate and the first backward step that make NaN or infinity."""

import numpy as np
import pytest

import engine
from engine import Context
from engine.anomaly import all_finite

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def test_sqrt_at_zero_is_a_backward_anomaly(ctx: Context) -> None:
    a = ctx.variable([4.0, 0.0], requires_grad=True, name="a")
    with engine.detect_anomaly(ctx) as found:
        engine.sqrt(a).sum().backprop()
    assert found.forward is None  # sqrt(0) = 0 is finite
    anomaly = found.backward
    assert (anomaly.phase, anomaly.gate, anomaly.slot, anomaly.index) == (
        "backward",
        "sqrt",
        0,
        (1,),
    )
    assert anomaly.value == np.inf
    assert anomaly.explanation == (
        "sqrt's backward gave ∞ for its input #1 at [1] although the gradient flowing in is "
        "finite; that input is 0 there"
    )


def test_log_of_zero_is_found_in_forward_and_in_backward(ctx: Context) -> None:
    a = ctx.variable([1.0, 0.0], requires_grad=True)
    with engine.detect_anomaly(ctx) as found:
        y = engine.log(a)
        y.sum().backprop()
    assert found.forward.explanation == "log made −∞ at [1] from finite inputs: log(0) = −∞"
    assert found.forward.value == -np.inf
    assert found.forward.node is not None and found.forward.node.gate.name == "log"
    assert (found.backward.gate, found.backward.index, found.backward.value) == (
        "log",
        (1,),
        np.inf,
    )


def test_zero_over_zero_is_a_nan_born_in_div(ctx: Context) -> None:
    a = ctx.variable([1.0, 0.0], requires_grad=True)
    b = ctx.variable([2.0, 0.0], requires_grad=True)
    with engine.detect_anomaly(ctx) as found:
        (a / b).sum().backprop()
    assert (
        found.forward.explanation == "div made NaN at [1] from inputs without NaN: div(0, 0) = NaN"
    )
    # d(a/b)/da = 1/b: infinite where b is 0, from the finite gradient 1.
    assert (found.backward.gate, found.backward.slot, found.backward.index) == ("div", 0, (1,))


def test_exp_overflow_is_an_infinity_born_in_exp(ctx: Context) -> None:
    a = ctx.variable([1.0, 800.0], requires_grad=True)
    with engine.detect_anomaly(ctx) as found:
        engine.exp(a).sum().backprop()
    assert found.forward.explanation == "exp made ∞ at [1] from finite inputs: exp(800) = ∞"
    # exp's backward is grad * exp(a): infinite from the finite gradient 1.
    assert (found.backward.gate, found.backward.index, found.backward.value) == (
        "exp",
        (1,),
        np.inf,
    )


def test_inf_minus_inf_is_a_nan_born_in_sub_though_its_inputs_were_not_finite(
    ctx: Context,
) -> None:
    a = ctx.variable(800.0, requires_grad=True)
    big = engine.exp(a)
    with engine.detect_anomaly(ctx) as found:
        diff = big - big
    assert found.forward.explanation == "sub made NaN from inputs without NaN: sub(∞, ∞) = NaN"
    assert found.forward.index == ()
    assert np.isnan(diff.value)


def test_inf_minus_inf_in_backward(ctx: Context) -> None:
    # y = a * big - a * big: both products' gradients for a are +inf and -inf, from finite 1s.
    a = ctx.variable(1.0, requires_grad=True, name="a")
    big = ctx.variable(np.finfo(np.float64).max, name="big")
    with engine.detect_anomaly(ctx) as found:
        y = a * big * 10.0 - a * big * 10.0
        y.backprop()
    assert found.backward is not None and found.backward.value in (np.inf, -np.inf)
    assert np.isnan(a.grad)  # ∞ + (−∞): the accumulated gradient is NaN


def test_only_the_first_anomaly_of_each_phase_is_kept(ctx: Context) -> None:
    a = ctx.variable(0.0, requires_grad=True)
    with engine.detect_anomaly(ctx) as found:
        first = engine.log(a)
        engine.log(a - 0.0)
    assert found.forward.node.payload.variable is first


def test_a_nan_carried_forward_is_not_reborn(ctx: Context) -> None:
    a = ctx.variable(0.0, requires_grad=True)
    nan = a / a
    with engine.detect_anomaly(ctx) as found:
        (nan * 2.0).backprop()
    assert found.forward is None  # mul got a NaN; it did not make one


def test_detection_is_off_by_default_and_ends_with_its_block(ctx: Context) -> None:
    assert ctx.anomalies is None
    with engine.detect_anomaly(ctx) as outer:
        with engine.detect_anomaly(ctx) as inner:
            engine.log(ctx.variable(0.0, requires_grad=True))
        assert ctx.anomalies is outer
    assert ctx.anomalies is None
    assert inner.forward is not None and outer.forward is None


def test_unrecorded_gates_are_watched_too(ctx: Context) -> None:
    with engine.detect_anomaly(ctx) as found:
        engine.log(ctx.variable([[1.0, 2.0], [3.0, 0.0]]))
    assert (found.forward.node, found.forward.index) == (None, (1, 1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_all_finite_is_exact_also_where_the_fast_check_overflows(dtype: type) -> None:
    big = np.finfo(dtype).max / 2
    assert all_finite(np.full((3, 4), big, dtype=dtype))  # x·x overflows; every element is finite
    assert all_finite(np.zeros((0,), dtype=dtype)) and all_finite(np.array(2.0, dtype=dtype))
    for bad in (np.nan, np.inf, -np.inf):
        values = np.ones((5, 7), dtype=dtype)
        values[3, 2] = bad
        assert not all_finite(values) and not all_finite(values.T)  # a strided view too
