"""Gradient health: figures that say whether a gradient is vanishing, exploding or dead.

``gradient_health(v)`` summarises ``v.grad`` after a backprop; ``dead_units(values)`` finds
the units of a ReLU layer's output that are zero for every row of the batch (they pass no
gradient, so they never learn again).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.variable import Variable

VANISHING_NORM = 1e-7
"""A gradient norm below this but above zero, while the value's norm is not, is vanishing.

An exact zero is not vanishing: it is what a gate's own rule sends (relu below zero, a
constant factor of 0), not a signal fading on its way back."""

EXPLODING_NORM = 1e4
"""A gradient norm above this (or a non-finite one) is exploding."""


@dataclass(frozen=True)
class GradientHealth:
    """The figures of one gradient and the warnings they raise.

    ``ratio`` is ‖grad‖ / ‖value‖, None when the value is all zeros. ``warnings`` holds
    "vanishing" and "exploding" when they apply, each explained in ``notes``.
    """

    norm: float
    max_abs: float
    zero_fraction: float
    ratio: float | None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def gradient_health(v: Variable) -> GradientHealth | None:
    """The health of ``v``'s gradient, or None when it has none (not required or not reached)."""
    grad = v.raw_grad
    if grad is None or grad.size == 0:
        return None
    norm = float(np.linalg.norm(grad))
    value_norm = float(np.linalg.norm(v.value))
    health = GradientHealth(
        norm=norm,
        max_abs=float(np.max(np.abs(grad))),
        zero_fraction=float(np.count_nonzero(grad == 0) / grad.size),
        ratio=norm / value_norm if value_norm and np.isfinite(value_norm) else None,
    )
    if not np.isfinite(norm) or norm > EXPLODING_NORM:
        health.warnings.append("exploding")
        health.notes.append(f"the gradient's norm is {norm:.3g}, above {EXPLODING_NORM:g}")
    elif 0 < norm < VANISHING_NORM <= value_norm:
        health.warnings.append("vanishing")
        health.notes.append(
            f"the gradient's norm is {norm:.3g}, below {VANISHING_NORM:g}, while the value's "
            f"is {value_norm:.3g}: almost nothing reaches it"
        )
    return health


def dead_units(values: np.ndarray) -> tuple[int, int] | None:
    """(dead, total) units of a batch of activations: a unit is one index of the last axis,
    dead when it is zero in every row. None for fewer than two axes (no batch to judge)."""
    if values.ndim < 2 or values.size == 0:
        return None
    alive = np.any(values.reshape(-1, values.shape[-1]) != 0, axis=0)
    return int(alive.size - np.count_nonzero(alive)), int(alive.size)
