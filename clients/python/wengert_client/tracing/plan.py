"""What a traced module becomes: leaves to create and gates to apply, in order.

A plan is made in full before anything is sent, so a module with an operation Wengert
cannot rebuild is refused before the workspace changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Out:
    """The output of the plan's gate number ``index``."""

    index: int


Operand = str | float | Out
"""A gate input: a leaf by name, a number, or the output of an earlier gate."""


@dataclass(frozen=True)
class PlannedLeaf:
    """A leaf to create: a parameter (requires grad), an input or a constant."""

    name: str
    value: np.ndarray
    requires_grad: bool


@dataclass(frozen=True)
class PlannedGate:
    """A gate to apply, with the module it belongs to (None for the top-level forward)."""

    gate: str
    inputs: tuple[Operand, ...]
    params: dict[str, Any]
    group: str | None


@dataclass
class Plan:
    """Leaves first, then gates; ``outputs`` are the module's results."""

    leaves: dict[str, PlannedLeaf] = field(default_factory=dict)
    gates: list[PlannedGate] = field(default_factory=list)
    outputs: list[Operand] = field(default_factory=list)
    single_output: bool = True

    def leaf(self, name: str, value: np.ndarray, requires_grad: bool) -> str:
        """Add a leaf once (a tied weight is read twice but created once); its name."""
        self.leaves.setdefault(name, PlannedLeaf(name, value, requires_grad))
        return name

    def apply(self, gate: str, inputs: list[Operand], group: str | None, **params: Any) -> Out:
        """Add a gate; the operand standing for its output."""
        self.gates.append(PlannedGate(gate, tuple(inputs), params, group))
        return Out(len(self.gates) - 1)


class UnsupportedOperation(ValueError):
    """A module does something Wengert has no gate for; nothing was created.

    ``operation`` names it (``torch.cumsum``, ``nn.LSTM``, ``.unfold()``) and ``where`` says
    where in the module it is (``encoder.layer1``, or ``forward``)."""

    def __init__(self, operation: str, where: str, reason: str = "") -> None:
        self.operation, self.where = operation, where
        why = f": {reason}" if reason else " has no Wengert counterpart"
        super().__init__(f"{operation} in {where}{why}; nothing was created")


def parameter_name(qualified: str) -> str:
    """A parameter's variable name: its qualified name with ``.`` written ``_``
    (``fc1.weight`` → ``fc1_weight``; ``0.weight`` → ``_0_weight``, as a name starts with a
    letter or ``_``)."""
    name = qualified.replace(".", "_")
    return name if not name[0].isdigit() else "_" + name
