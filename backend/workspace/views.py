"""How engine objects appear in the REST contract."""

from __future__ import annotations

import math
import weakref
from dataclasses import InitVar, dataclass
from typing import Any

import numpy as np

import engine
from backend.schemas import (
    AnomalyOut,
    HealthOut,
    NodeOut,
    StateVariable,
    TensorPreview,
    VariableOut,
    VariableSummary,
)
from backend.workspace.tensors import encode, encode_number, extent


@dataclass
class NodeRecord:
    """A gate application as the workspace shows it, with the engine node it recorded.

    ``inputs`` and ``outputs`` hold the Variables themselves (numbers for literal inputs),
    so a name rebound by an eval shows under its new label. The node is held weakly, as the
    engine holds it: the tape owns it, and once backprop pops it, it is freed with what its
    gate saved for backward. ``node`` is None then, and when nothing was recorded (no-grad
    mode, or no input needed a gradient).
    """

    id: int
    gate: str
    inputs: list[engine.Variable | float]
    outputs: list[engine.Variable]
    params: dict[str, Any]
    recorded: InitVar[engine.Node | None]
    anomaly: AnomalyOut | None = None
    group: str | None = None

    def __post_init__(self, recorded: engine.Node | None) -> None:
        self._node = None if recorded is None else weakref.ref(recorded)

    @property
    def node(self) -> engine.Node | None:
        return None if self._node is None else self._node()

    @property
    def on_tape(self) -> bool:
        node = self.node
        return node is not None and node.on_tape

    def __getstate__(self) -> dict[str, Any]:
        # A snapshot keeps the node with the tape that holds it (if it is still there).
        state = {key: value for key, value in vars(self).items() if key != "_node"}
        return {**state, "node": self.node}

    def __setstate__(self, state: dict[str, Any]) -> None:
        node = state.pop("node")
        vars(self).update({"group": None, **state})  # records pickled before groups had none
        self._node = None if node is None else weakref.ref(node)

    def out(self, stale: bool = False) -> NodeOut:
        """The record as JSON; ``stale`` is the workspace's to know (see Workspace.is_stale)."""
        return NodeOut(
            id=self.id,
            gate=self.gate,
            inputs=[v.name if isinstance(v, engine.Variable) else v for v in self.inputs],
            outputs=[v.name for v in self.outputs],
            params=self.params,
            on_tape=self.on_tape,
            stale=stale,
            anomaly=self.anomaly,
            group=self.group,
        )


PREVIEW_ELEMENTS = 64
"""Events carry a tensor's values up to this many elements, and statistics beyond."""


def tensor_preview(array: np.ndarray) -> TensorPreview:
    """The values of a small tensor, or the min, max and mean of a large one (both shapes)."""
    if 0 < array.size <= PREVIEW_ELEMENTS:
        flat = array.ravel().tolist()
        if all(map(math.isfinite, flat)):
            # Every gate answer and event pays this: Python's min and max over a few finite
            # numbers are exact and several times cheaper than NumPy's calls.
            mean = encode_number(array.mean())
            values = array.item() if array.ndim == 0 else array.tolist()
            return _preview(array.shape, values, float(min(flat)), float(max(flat)), mean)
    small = array.size <= PREVIEW_ELEMENTS
    if array.size == 0:
        low = high = mean = None
    else:
        low, high, mean = (encode_number(f()) for f in (array.min, array.max, array.mean))
    return _preview(array.shape, encode(array) if small else None, low, high, mean)


def _preview(shape: tuple[int, ...], values: Any, low: Any, high: Any, mean: Any) -> TensorPreview:
    return TensorPreview(shape=list(shape), values=values, min=low, max=high, mean=mean)


def _zeros_preview(shape: tuple[int, ...]) -> TensorPreview:
    """A tensor of zeros: the gradient of a variable before any was added."""
    values = None if extent(shape) > PREVIEW_ELEMENTS else np.zeros(shape).tolist()
    zero = 0.0 if math.prod(shape) else None
    return _preview(shape, values, zero, zero, zero)


def variable_summary(var: engine.Variable, created_by: int | None) -> VariableSummary:
    """A variable as events carry it: its description and previews, never a large tensor."""
    return VariableSummary(
        name=var.name or "",
        shape=list(var.shape),
        dtype=str(var.dtype),
        requires_grad=var.requires_grad,
        created_by=created_by,
        value=tensor_preview(var.value),
        grad=_grad_preview(var),
    )


def _grad_preview(var: engine.Variable) -> TensorPreview | None:
    if not var.requires_grad:
        return None
    if var.raw_grad is None:
        return _zeros_preview(var.shape)
    return tensor_preview(var.raw_grad)


def shown_grad(var: engine.Variable) -> np.ndarray | None:
    """The gradient to show: zeros before any was added, without allocating them (reading
    a workspace must not make it hold more), and None when none is required."""
    if var.raw_grad is not None or not var.requires_grad:
        return var.raw_grad
    return np.broadcast_to(np.zeros((), var.dtype), var.shape)


ECHO_ELEMENTS = 4096
"""The answer to creating a variable repeats its tensors only up to this many elements."""


def variable_out(
    var: engine.Variable,
    created_by: int | None,
    echo: bool = True,
    health: HealthOut | None = None,
) -> VariableOut:
    """A variable with its value and gradient as JSON; without them when it echoes what the
    client just sent and the tensor is large (encoding it would cost the server, not inform)."""
    shown = echo or var.value.size <= ECHO_ELEMENTS
    return VariableOut(
        name=var.name or "",
        shape=list(var.shape),
        dtype=str(var.dtype),
        requires_grad=var.requires_grad,
        value=encode(var.value) if shown else None,
        grad=encode(shown_grad(var)) if shown else None,
        created_by=created_by,
        health=health,
    )


def variable_in_state(
    var: engine.Variable, created_by: int | None, health: HealthOut | None, limit: int
) -> StateVariable:
    """A variable as a workspace's state shows it: a tensor of more than ``limit`` elements
    as a preview (statistics), as events show it, so a state costs about what the workspace
    holds, not many times more as JSON text; GET the variable for every element."""
    large = var.value.size > limit
    shown = variable_out(var, created_by, echo=not large, health=health)
    if not large:
        return StateVariable(**dict(shown))
    grad = tensor_preview(shown_grad(var)) if var.requires_grad else None
    return StateVariable(**dict(shown), value_preview=tensor_preview(var.value), grad_preview=grad)


def flowing_in(step: engine.BackpropStep) -> dict[str, np.ndarray]:
    """The gradient of each named output of the step's node, as the step ran."""
    outputs = step.node.payload.outputs
    return _named(outputs, [shown_grad(out) for out in outputs])


def accumulated_after(step: engine.BackpropStep) -> dict[str, np.ndarray]:
    """Each named parent's gradient after the step (parents that need none are left out)."""
    parents = step.node.parents
    return _named(parents, [shown_grad(p) if p.requires_grad else None for p in parents])


def _named(
    variables: list[engine.Variable], arrays: list[np.ndarray | None]
) -> dict[str, np.ndarray]:
    return {
        var.name: array
        for var, array in zip(variables, arrays, strict=True)
        if var.name is not None and array is not None
    }


def sum_by_parent(step: engine.BackpropStep) -> dict[str, np.ndarray]:
    """The gradient one backprop step added to each named parent (x * x adds twice to x)."""
    grads: dict[str, np.ndarray] = {}
    for parent, diff in zip(step.node.parents, step.diffs, strict=True):
        if diff is None or parent.name is None:
            continue
        grads[parent.name] = grads[parent.name] + diff if parent.name in grads else diff
    return {name: np.asarray(grad) for name, grad in grads.items()}
