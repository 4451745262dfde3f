"""Optimizers: update rules worked by hand, zero_grad, and state export and import."""

import numpy as np
import pytest

from engine import Context, Variable
from engine.optim import SGD, Adam, NonFiniteStep, Optimizer, zero_grad
from engine.tests.errors import raises_exactly


def _with_grad(ctx: Context, value: list[float], grad: list[float]) -> Variable:
    p = ctx.variable(value, requires_grad=True)
    p.accumulate_grad(np.array(grad))
    return p


def test_sgd_steps_against_the_gradient(ctx: Context) -> None:
    p = _with_grad(ctx, [1.0, 2.0], [0.5, -1.0])
    SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.value, [0.95, 2.1])


def test_sgd_momentum_accumulates_velocity(ctx: Context) -> None:
    p = _with_grad(ctx, [1.0], [1.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # velocity 1
    opt.step()  # velocity 0.9 + 1 = 1.9
    np.testing.assert_allclose(p.value, [1.0 - 0.1 - 0.19])


def test_adam_first_step_moves_by_lr_in_the_gradient_sign(ctx: Context) -> None:
    p = _with_grad(ctx, [1.0, 2.0], [0.5, -4.0])
    Adam([p], lr=0.1).step()
    # After bias correction m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps).
    np.testing.assert_allclose(p.value, [0.9, 2.1], rtol=1e-7)


def test_adam_second_step_by_hand(ctx: Context) -> None:
    p = _with_grad(ctx, [0.0], [1.0])
    opt = Adam([p], lr=1.0, betas=(0.5, 0.5), eps=0.0)
    opt.step()
    p.zero_grad()
    p.accumulate_grad(np.array([3.0]))
    opt.step()
    # m = 0.25 + 1.5 = 1.75, v = 0.25 + 4.5 = 4.75; corrected by 1 - 0.25: 7/3 and 19/3
    expected = -1.0 - (1.75 / 0.75) / np.sqrt(4.75 / 0.75)
    np.testing.assert_allclose(p.value, [expected])


def test_a_step_that_would_write_infinity_is_refused_and_changes_nothing(ctx: Context) -> None:
    kept = _with_grad(ctx, [1.0], [1.0])
    p = _with_grad(ctx, [0.0, 1.0], [0.0, 1.0])
    opt = SGD([kept, p], lr=0.5, momentum=0.9)
    opt.step()
    state = opt.state_dict()
    p.accumulate_grad(np.array([0.0, np.inf]))
    with pytest.raises(NonFiniteStep) as refused:
        opt.step(refuse_nonfinite=True)
    assert (refused.value.param, refused.value.index, refused.value.value) == (1, (1,), -np.inf)
    np.testing.assert_allclose(kept.value, [0.5])
    np.testing.assert_array_equal(p.value, [0.0, 0.5])
    assert opt.steps == 1
    np.testing.assert_array_equal(opt.state_dict()["velocity.0"], state["velocity.0"])


def test_a_refused_step_puts_back_values_it_had_already_changed(ctx: Context) -> None:
    p = _with_grad(ctx, [1.0, 2.0], [1.0, np.nan])
    with pytest.raises(NonFiniteStep):
        SGD([p], lr=0.1).step(refuse_nonfinite=True)
    np.testing.assert_array_equal(p.value, [1.0, 2.0])


def test_an_element_already_infinite_does_not_refuse_a_step(ctx: Context) -> None:
    p = _with_grad(ctx, [np.inf, 1.0], [1.0, 1.0])
    SGD([p], lr=0.5).step(refuse_nonfinite=True)
    np.testing.assert_array_equal(p.value, [np.inf, 0.5])


def test_parameters_without_a_gradient_are_left_alone(ctx: Context) -> None:
    p = ctx.variable([1.0], requires_grad=True)
    SGD([p], lr=0.1).step()
    assert p.value.tolist() == [1.0] and p.raw_grad is None


def test_zero_grad_resets_every_parameter(ctx: Context) -> None:
    a, b = _with_grad(ctx, [1.0], [2.0]), _with_grad(ctx, [1.0], [3.0])
    zero_grad([a, b])
    assert a.grad.tolist() == [0.0] and b.raw_grad is None
    c = _with_grad(ctx, [1.0], [1.0])
    SGD([c]).zero_grad()
    assert c.raw_grad is None


def test_state_dict_round_trips_through_plain_arrays(ctx: Context) -> None:
    first = _with_grad(ctx, [1.0, 2.0], [0.5, -1.0])
    second = _with_grad(ctx, [1.0, 2.0], [0.5, -1.0])
    a, b = Adam([first], lr=0.1), Adam([second], lr=0.1)
    a.step()
    b.step()
    state = a.state_dict()
    assert set(state) == {"steps", "m.0", "v.0"}
    assert all(isinstance(v, np.ndarray) for v in state.values())
    restored = Adam([_with_grad(ctx, [0.0, 0.0], [0.0, 0.0])], lr=0.1)
    restored.load_state_dict(state)
    restored.params[0].value[...] = first.value
    restored.params[0].zero_grad()
    restored.params[0].accumulate_grad(np.array([0.5, -1.0]))
    restored.step()
    b.step()
    np.testing.assert_allclose(restored.params[0].value, second.value)
    state["m.0"][0] = 99.0
    assert restored.state["m"][0][0] != 99.0  # loaded copies, not the caller's arrays


def test_sgd_without_momentum_has_only_a_step_count(ctx: Context) -> None:
    assert SGD([_with_grad(ctx, [1.0], [1.0])]).state_dict().keys() == {"steps"}


def test_default_learning_rates(ctx: Context) -> None:
    sgd, adam = _with_grad(ctx, [1.0], [2.0]), _with_grad(ctx, [1.0], [2.0])
    SGD([sgd]).step()
    Adam([adam]).step()
    np.testing.assert_allclose(sgd.value, [1.0 - 0.01 * 2.0])
    np.testing.assert_allclose(adam.value, [1.0 - 1e-3])  # Adam's first step: lr * sign(g)


def test_loaded_state_takes_the_parameters_dtype(ctx: Context) -> None:
    p = ctx.variable([1.0, 2.0], requires_grad=True, dtype="float32")
    opt = Adam([p])
    opt.load_state_dict({"steps": np.array(3), "m.0": np.ones(2), "v.0": np.ones(2)})
    assert opt.state["m"][0].dtype == np.float32 and opt.state["v"][0].dtype == np.float32
    assert opt.steps == 3


def test_load_state_dict_rejects_mismatches(ctx: Context) -> None:
    opt = SGD([_with_grad(ctx, [1.0, 2.0], [1.0, 1.0])], momentum=0.5)
    with raises_exactly(
        ValueError, "SGD state needs the keys ['steps', 'velocity.0'], got ['steps']"
    ):
        opt.load_state_dict({"steps": np.array(1)})
    with pytest.raises(ValueError, match=r"velocity\.0 has shape"):
        opt.load_state_dict({"steps": np.array(1), "velocity.0": np.zeros(3)})


def test_optimizer_arguments_are_checked(ctx: Context) -> None:
    p = ctx.variable([1.0], requires_grad=True)
    with raises_exactly(ValueError, "SGD needs at least one parameter"):
        SGD([])
    with raises_exactly(ValueError, "Adam: every parameter must require grad"):
        Adam([ctx.variable([1.0])])
    with raises_exactly(ValueError, "Adam: lr must be positive, got 0"):
        Adam([p], lr=0)
    with raises_exactly(ValueError, "SGD: momentum must be in [0, 1), got 1"):
        SGD([p], momentum=1)
    with raises_exactly(ValueError, "Adam: betas must lie in [0, 1), got (0.9, 1.0)"):
        Adam([p], betas=(0.9, 1.0))
    Adam([p], betas=(0.0, 0.0))  # 0 is allowed: no running average, the latest gradient


def test_an_optimizer_without_an_update_rule_says_so(ctx: Context) -> None:
    class Frozen(Optimizer):
        pass

    with raises_exactly(NotImplementedError, "Frozen does not implement update"):
        Frozen([_with_grad(ctx, [1.0], [1.0])], lr=0.1).step()
