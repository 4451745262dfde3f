"""A training checkpoint read against the run it would restore: every field checked, every
tensor decoded to the dtype and shape the model has, before anything changes.

Checkpoints come from the store, but also from imported documents (version 2's ``training``
and version 1's journaled ``training_checkpoint`` operations), which anyone can write.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backend.errors import Invalid, Refused
from backend.training.schemas import TrainingCheckpoint
from backend.workspace.tensors import decode


@dataclass
class CheckedCheckpoint:
    """A checkpoint's tensors as arrays that fit the run: weights, gradients, optimizer state."""

    parameters: dict[str, np.ndarray]
    gradients: dict[str, np.ndarray]
    optimizer_state: dict[str, np.ndarray]


def check(
    checkpoint: TrainingCheckpoint,
    parameters: dict[str, np.ndarray],
    optimizer_state: dict[str, np.ndarray],
    history_length: int,
) -> CheckedCheckpoint:
    """The checkpoint's tensors, each read as its counterpart in ``parameters`` (the model's
    weights) or ``optimizer_state`` (the optimizer's ``state_dict()``); 422
    ``invalid_checkpoint`` naming the first field that does not fit."""
    if checkpoint.history_before > history_length:
        _refuse(
            "history_before",
            f"{checkpoint.history_before} entries journaled earlier, but the run has "
            f"{history_length}",
        )
    return CheckedCheckpoint(
        parameters=_matching("parameters", checkpoint.parameters, parameters, every=True),
        gradients=_matching("gradients", checkpoint.gradients, parameters, every=False),
        optimizer_state=_matching(
            "optimizer_state", checkpoint.optimizer_state, optimizer_state, every=True
        ),
    )


def _matching(
    field: str, given: dict[str, object], model: dict[str, np.ndarray], every: bool
) -> dict[str, np.ndarray]:
    """``given``'s tensors decoded like ``model``'s arrays of the same names."""
    for name in given:
        if name not in model:
            _refuse(f"{field}.{name}", f"the model has no {name!r}; it has {sorted(model)}")
    if every and set(given) != set(model):
        missing = sorted(set(model) - set(given))
        _refuse(f"{field}.{missing[0]}", f"missing; the model needs {sorted(model)}")
    return {name: _fitting(f"{field}.{name}", value, model[name]) for name, value in given.items()}


def _fitting(field: str, value: object, like: np.ndarray) -> np.ndarray:
    try:
        array = decode(value, str(like.dtype), like.size, field, allow_nonfinite=True)
    except Refused as error:
        _refuse(field, error.message)
    if array.shape != like.shape:
        _refuse(field, f"shape {list(array.shape)}; the model's is {list(like.shape)}")
    return array


def _refuse(field: str, problem: str) -> None:
    raise Invalid(
        "invalid_checkpoint",
        f"the training checkpoint's {field}: {problem}",
        {"field": field, "problem": problem},
    )
