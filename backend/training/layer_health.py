"""Each hidden layer's learning health at an epoch's end: dead ReLU units, gradient norms,
and whether the layer has stopped learning.

The figures come from ``engine.health``; this module only applies them to the MLP's layers
and carries on, epoch to epoch, the count of epochs each layer went without learning. It
runs once per epoch, on the activations the evaluation computes anyway, so a step pays
nothing for it.
"""

from __future__ import annotations

import numpy as np

import engine
from backend.training.schemas import STALL_EPOCHS, STALL_RATIO, LayerHealth
from engine.health import dead_units, gradient_health


def measure_layer(
    layer: int,
    activations: np.ndarray,
    weight: engine.Variable,
    bias: engine.Variable,
    relu: bool,
) -> LayerHealth:
    """Layer ``layer``'s figures from its ``activations`` on the training set and the
    gradients left by the last step. Dead units are counted only for ReLU (``relu``)."""
    dead = dead_units(activations) if relu else None
    units = weight.value.shape[-1]
    return LayerHealth(
        layer=layer,
        units=units,
        dead_units=None if dead is None else dead[0],
        dead_fraction=None if dead is None else dead[0] / dead[1],
        weight_grad_norm=_grad_norm(weight),
        bias_grad_norm=_grad_norm(bias),
        weight_norm=float(np.linalg.norm(weight.value)),
    )


def _grad_norm(v: engine.Variable) -> float:
    health = gradient_health(v)
    return 0.0 if health is None else health.norm


def learned(health: LayerHealth) -> bool:
    """Whether the epoch taught the layer anything: some unit alive, and a weight gradient
    not negligible beside the weights."""
    all_dead = health.dead_units is not None and health.dead_units == health.units
    return not all_dead and health.weight_grad_norm >= STALL_RATIO * health.weight_norm


def why_stopped(health: LayerHealth) -> str | None:
    """The one-line warning for a layer that went STALL_EPOCHS epochs or more in a row
    without learning, or None."""
    if health.epochs_without_learning < STALL_EPOCHS:
        return None
    reasons = []
    if health.dead_units:
        reasons.append(f"{health.dead_units} of {health.units} units are dead")
    if health.dead_units != health.units:
        reasons.append(
            f"its weight gradient's norm ({health.weight_grad_norm:.2g}) has been below "
            f"{STALL_RATIO:g} × its weights' norm ({health.weight_norm:.2g}) for "
            f"{health.epochs_without_learning} epochs"
        )
    return f"layer {health.layer} stopped learning: {' and '.join(reasons)}"


def judge(measured: list[LayerHealth], previous: list[LayerHealth]) -> list[LayerHealth]:
    """An epoch's figures with the count of epochs without learning carried on from the
    ``previous`` epoch's, and the warning that count earns."""
    before = {health.layer: health.epochs_without_learning for health in previous}
    judged = []
    for health in measured:
        count = 0 if learned(health) else before.get(health.layer, 0) + 1
        counted = health.model_copy(update={"epochs_without_learning": count})
        judged.append(counted.model_copy(update={"stopped_learning": why_stopped(counted)}))
    return judged
