"""Checking analytic gradients against central finite differences, in float64."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.tape import Context, no_grad_mode
from engine.variable import Variable


@dataclass(frozen=True, slots=True)
class GradcheckResult:
    """How far one input's analytic gradient is from the finite-difference one.

    ``ok`` holds when every element satisfies ``|analytic - numeric| <= atol + rtol * |numeric|``.
    """

    max_abs_error: float
    max_rel_error: float
    ok: bool


def gradcheck(
    fn: Callable[..., Variable],
    inputs: Sequence[Variable | np.ndarray | float],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> list[GradcheckResult | None]:
    """Compare the gradients backprop gives ``fn`` at ``inputs`` with central differences.

    ``fn`` takes one Variable per input and returns one Variable (of any shape: a fixed
    random weighting of its elements is what gets differentiated). Inputs are arrays,
    numbers or Variables; a Variable that does not require grad is held constant and its
    result is None. Everything runs on a private Context with float64 copies of the
    values, so no other tape is touched. ``fn`` must be deterministic (seed any dropout).
    """
    ctx = Context()
    values = [np.array(_value(x), dtype=np.float64) for x in inputs]
    wanted = [not isinstance(x, Variable) or x.requires_grad for x in inputs]
    variables = [
        ctx.variable(v.copy(), requires_grad=w) for v, w in zip(values, wanted, strict=True)
    ]
    out = fn(*variables)
    weights = np.random.default_rng(0).standard_normal(out.shape)
    out.backprop(weights)
    results: list[GradcheckResult | None] = []
    for index, (var, want) in enumerate(zip(variables, wanted, strict=True)):
        if not want:
            results.append(None)
            continue
        numeric = _numeric_gradient(fn, ctx, values, index, weights, eps)
        results.append(_compare(var.grad, numeric, atol, rtol))
    return results


def _value(x: Variable | np.ndarray | float) -> Any:
    return x.value if isinstance(x, Variable) else x


def _numeric_gradient(
    fn: Callable[..., Variable],
    ctx: Context,
    values: list[np.ndarray],
    index: int,
    weights: np.ndarray,
    eps: float,
) -> np.ndarray:
    def weighted_output() -> float:
        with no_grad_mode(ctx):
            out = fn(*[ctx.variable(v.copy()) for v in values])
        return float(np.sum(weights * out.value))

    target = values[index]
    numeric = np.zeros_like(target)
    for j in range(target.size):
        original = target.flat[j]
        target.flat[j] = original + eps
        plus = weighted_output()
        target.flat[j] = original - eps
        minus = weighted_output()
        target.flat[j] = original
        numeric.flat[j] = (plus - minus) / (2 * eps)
    return numeric


def _compare(
    analytic: np.ndarray, numeric: np.ndarray, atol: float, rtol: float
) -> GradcheckResult:
    error = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    relative = np.divide(error, scale, out=np.zeros_like(error), where=scale > 0)
    return GradcheckResult(
        max_abs_error=float(error.max(initial=0.0)),
        max_rel_error=float(relative.max(initial=0.0)),
        ok=bool(np.all(error <= atol + rtol * np.abs(numeric))),
    )
