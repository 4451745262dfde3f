"""gradcheck: finite differences find wrong gradients and leave other tapes alone."""

import numpy as np

import engine
from engine import Context, Gate, GradcheckResult, Payload, SmallDiffs, gradcheck


class _TwiceTooSteep(Gate):
    """x^2 with a backward that is off by a factor of two."""

    def forward(self, a: np.ndarray) -> np.ndarray:
        self.a = a
        return a * a

    def backward(self, payload: Payload) -> SmallDiffs:
        return [payload.variable.grad * 4 * self.a]


def test_correct_gradients_pass_with_tiny_errors() -> None:
    rng = np.random.default_rng(0)
    results = gradcheck(
        lambda a, b: (a @ b).tanh(), [rng.normal(size=(2, 3)), rng.normal(size=(3, 2))]
    )
    assert len(results) == 2
    for result in results:
        assert isinstance(result, GradcheckResult)
        assert result.ok and result.max_abs_error < 1e-7 and result.max_rel_error < 1e-6


def test_a_wrong_backward_is_reported() -> None:
    (result,) = gradcheck(lambda a: _TwiceTooSteep()(a), [np.array([1.0, -2.0])])
    assert not result.ok
    assert result.max_abs_error > 0.1
    assert np.isclose(result.max_rel_error, 0.5, atol=1e-6)  # |4a - 2a| / |4a|


def test_constant_inputs_are_held_fixed(ctx: Context) -> None:
    target = ctx.variable([0.0, 1.0])
    results = gradcheck(engine.mse_loss, [np.array([0.3, 0.4]), target])
    assert results[0] is not None and results[0].ok and results[1] is None


def test_gradcheck_leaves_other_tapes_and_inputs_alone(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    pending = x * 3.0
    (result,) = gradcheck(lambda v: v.exp(), [x])
    assert result.ok
    assert ctx.nodes == [pending.creator] and x.raw_grad is None
    assert x.value.tolist() == [1.0, 2.0]


def test_a_wrong_backward_is_reported_however_small_the_values() -> None:
    (result,) = gradcheck(lambda a: _TwiceTooSteep()(a), [np.array([0.01, -0.02])])
    assert not result.ok
    assert np.isclose(result.max_rel_error, 0.5, atol=1e-6)


class _Scaled(Gate):
    """x * 100 with a backward that is off by a relative 2e-5."""

    def forward(self, a: np.ndarray) -> np.ndarray:
        return a * 100

    def backward(self, payload: Payload) -> SmallDiffs:
        return [payload.variable.grad * 100 * (1 + 2e-5)]


def test_the_relative_tolerance_scales_with_the_numeric_gradient() -> None:
    # |error| = 2e-3 |w| is within rtol |numeric| = 1e-2 |w|, but not within atol.
    (result,) = gradcheck(lambda a: _Scaled()(a), [np.array([1.0])], atol=0.0, rtol=1e-4)
    assert result.ok


def test_an_exact_gradient_passes_with_no_tolerance_at_all() -> None:
    # With eps a power of two both differences and their quotient are exact: 2 w.
    (result,) = gradcheck(lambda a: a * 2.0, [np.array([0.0])], eps=2.0**-20, atol=0, rtol=0)
    assert result.ok and result.max_abs_error == 0.0


def test_exact_zero_gradients_have_no_relative_error() -> None:
    (result,) = gradcheck(engine.relu, [np.array([-1.0, -2.0, 3.0])])
    assert result.ok and result.max_rel_error < 1e-6


def test_an_input_without_elements_has_no_error() -> None:
    (result,) = gradcheck(engine.tanh, [np.zeros(0)])
    assert result == GradcheckResult(max_abs_error=0.0, max_rel_error=0.0, ok=True)


def test_integer_and_float32_inputs_are_checked_in_float64() -> None:
    # The perturbation of 1e-6 would vanish in an int and blur in a float32.
    results = gradcheck(
        lambda a, b: a * b, [np.array([1, 2]), np.array([0.3, -1.7], dtype=np.float32)]
    )
    assert all(result.ok for result in results)


def test_a_constant_first_input_leaves_the_later_ones_checked(ctx: Context) -> None:
    results = gradcheck(engine.mse_loss, [ctx.variable([0.0, 1.0]), np.array([0.3, 0.4])])
    assert results[0] is None and results[1] is not None and results[1].ok


def test_gradcheck_is_deterministic() -> None:
    inputs = [np.array([0.3, -1.2, 2.0])]
    assert gradcheck(engine.sigmoid, inputs) == gradcheck(engine.sigmoid, inputs)
