"""Version counters: backprop through a node whose saved value changed in place refuses."""

import numpy as np
import pytest

import engine
from engine import Context, StaleTapeError
from engine.optim import SGD


def _sgd_moves(w: engine.Variable, to: float) -> None:
    """An SGD step with lr 1 that sets w to ``to`` in place, its gradient reset after."""
    w.grad = np.array(w.value - to)
    SGD([w], lr=1.0).step()
    w.zero_grad()


def test_an_optimizer_step_between_forward_and_backprop_is_refused(ctx: Context) -> None:
    # The case: x.grad would silently be -1 (the new w) instead of 2.
    w = ctx.variable(2.0, requires_grad=True, name="w")
    x = ctx.variable(3.0, requires_grad=True, name="x")
    y = w * x
    _sgd_moves(w, -1.0)
    with pytest.raises(StaleTapeError) as caught:
        y.backprop()
    assert str(caught.value) == (
        "w was changed by an optimizer step after node #1 (mul) recorded it; "
        "run the forward pass again"
    )
    assert caught.value.variable is w and caught.value.node is ctx.nodes[0]


def test_a_refused_backprop_changes_nothing(ctx: Context) -> None:
    w = ctx.variable(2.0, requires_grad=True, name="w")
    x = ctx.variable(3.0, requires_grad=True, name="x")
    y = w * x
    _sgd_moves(w, -1.0)
    with pytest.raises(StaleTapeError):
        y.backprop()
    assert x.raw_grad is None and y.raw_grad is None
    assert len(ctx.nodes) == 1 and ctx.nodes[0].on_tape


def test_the_forward_pass_run_again_backprops_with_the_new_value(ctx: Context) -> None:
    w = ctx.variable(2.0, requires_grad=True, name="w")
    x = ctx.variable(3.0, requires_grad=True, name="x")
    w * x
    _sgd_moves(w, -1.0)
    (w * x).backprop()
    assert x.grad == pytest.approx(-1.0)  # d(w x)/dx at the new w


def test_steps_are_refused_before_the_first_step(ctx: Context) -> None:
    w = ctx.variable([1.0, 2.0], requires_grad=True, name="w")
    y = engine.tanh(w).sum()
    _sgd_moves(w, 0.0)
    with pytest.raises(StaleTapeError, match="node #1 \\(tanh\\)"):
        y.backprop_steps()


def test_a_gate_that_keeps_no_values_does_not_care(ctx: Context) -> None:
    # add's gradient is the same whatever its inputs hold, so changing one is harmless.
    w = ctx.variable(2.0, requires_grad=True, name="w")
    x = ctx.variable(3.0, requires_grad=True, name="x")
    y = w + x
    _sgd_moves(w, -1.0)
    y.backprop()
    assert (w.grad, x.grad) == (1.0, 1.0)


def test_a_stale_node_the_walk_does_not_reach_is_no_obstacle(ctx: Context) -> None:
    w = ctx.variable(2.0, requires_grad=True, name="w")
    x = ctx.variable(3.0, requires_grad=True, name="x")
    w * x  # recorded, then made stale; the backprop below never flows into it
    _sgd_moves(w, 5.0)
    z = ctx.variable(4.0, requires_grad=True, name="z")
    (z * z).backprop()
    assert z.grad == pytest.approx(8.0)


def test_an_output_changed_in_place_is_refused_too(ctx: Context) -> None:
    # tanh's backward reads its output: 1 - out**2.
    a = ctx.variable(0.5, requires_grad=True, name="a")
    out = engine.tanh(a)
    out.name = "t"
    out.value[...] = 0.0
    out.mark_changed("a value update")
    with pytest.raises(StaleTapeError, match=r"^t was changed by a value update after node #1"):
        out.backprop()


def test_each_in_place_change_bumps_the_version(ctx: Context) -> None:
    w = ctx.variable(1.0, requires_grad=True)
    assert (w.version, w.changed_by) == (0, None)
    w.grad = np.array(1.0)
    opt = SGD([w], lr=0.1)
    opt.step()
    opt.step()
    assert (w.version, w.changed_by) == (2, "an optimizer step")


def test_a_parameter_without_a_gradient_is_not_marked(ctx: Context) -> None:
    w = ctx.variable(1.0, requires_grad=True)
    SGD([w], lr=0.1).step()
    assert w.version == 0
