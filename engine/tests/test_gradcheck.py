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
