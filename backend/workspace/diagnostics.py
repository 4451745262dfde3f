"""What the workspace says about its numbers: where NaN and infinity were born, and how
healthy each gradient is (the engine's ``detect_anomaly`` and ``health``, as JSON)."""

from __future__ import annotations

import numpy as np

import engine
from backend.schemas import AnomalyOut, HealthOut, JsonNumber
from backend.workspace.tensors import encode
from engine.health import dead_units, gradient_health

DEAD_UNIT_GATES = frozenset({"relu"})
"""Gates whose outputs are checked for units that are zero for every row of the batch."""


def anomaly_out(
    anomaly: engine.Anomaly | None, node: int | None, variables: list[engine.Variable]
) -> AnomalyOut | None:
    """The anomaly as JSON; ``node`` is its node's id, ``variables`` the outputs (forward)
    or the parents (backward) its ``slot`` counts in."""
    if anomaly is None:
        return None
    return AnomalyOut(
        phase=anomaly.phase,
        node=node,
        gate=anomaly.gate,
        variable=variables[anomaly.slot].name,
        index=list(anomaly.index),
        value=encode(np.asarray(anomaly.value)),
        explanation=anomaly.explanation,
    )


def health_out(var: engine.Variable, made_by: str | None) -> HealthOut | None:
    """The health of ``var`` (``made_by`` is its gate's name), or None when there is nothing
    to say: no gradient and not a ReLU's output."""
    gradient = gradient_health(var)
    dead = dead_units(var.value) if made_by in DEAD_UNIT_GATES else None
    if gradient is None and dead is None:
        return None
    warnings: list = list(gradient.warnings) if gradient else []
    notes = list(gradient.notes) if gradient else []
    if dead is not None and dead[0]:
        warnings.append("dead_units")
        notes.append(
            f"{dead[0]} of {dead[1]} units are zero for every row of the batch: "
            "no gradient passes them, so what feeds them stops learning"
        )
    return HealthOut(
        norm=_number(gradient and gradient.norm),
        max_abs=_number(gradient and gradient.max_abs),
        zero_fraction=gradient.zero_fraction if gradient else None,
        ratio=_number(gradient and gradient.ratio),
        dead_units=dead[0] if dead else None,
        units=dead[1] if dead else None,
        warnings=warnings,
        notes=notes,
    )


def _number(value: float | None) -> JsonNumber | None:
    return None if value is None else encode(np.asarray(value))
