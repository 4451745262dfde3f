"""Every kind of change to a workspace: how it is parsed, carried out, journaled and replayed.

Each handler validates before it changes anything, or works inside ``savepoint()``, so a
failed request leaves the workspace as it was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

import engine
from backend.errors import (
    Conflict,
    GateRefused,
    Invalid,
    NameTaken,
    Part,
    Refused,
    Role,
    StaleTape,
    TapeFull,
    TooLarge,
    UnknownVariable,
)
from backend.event_payloads import (
    BackpropDone,
    BackpropStepped,
    GradsZeroed,
    NoGradSet,
)
from backend.schemas import (
    BackpropRequest,
    BackpropResult,
    BackpropStepOut,
    EvalRequest,
    GateApplied,
    GateApply,
    GatePreview,
    NoGradRequest,
    OptimizerStepRequest,
    OutputSpec,
    VariableCreate,
    WorkspaceState,
    ZeroGradRequest,
)
from backend.training import trainer as training
from backend.training.network import edit_weight
from backend.training.network_schemas import WeightEdit
from backend.training.schemas import (
    TrainingCheckpoint,
    TrainingConfig,
    TrainingReset,
    TrainingSettings,
)
from backend.training.user_data import TrainingData, set_user_data
from backend.workspace.diagnostics import anomaly_out
from backend.workspace.leaves import create_variable
from backend.workspace.optimizers import optimizer_step
from backend.workspace.scripting import eval_source
from backend.workspace.tensors import decode, encode
from backend.workspace.views import (
    accumulated_after,
    flowing_in,
    shown_grad,
    sum_by_parent,
    tensor_preview,
)
from backend.workspace.workspace import Workspace


def apply_gate(ws: Workspace, request: GateApply) -> GateApplied:
    """Apply a catalog gate to named variables or numbers and name its outputs: the
    request's values, given to ``Workspace.apply``."""
    applied = ws.apply(
        request.gate,
        request.inputs,
        request.params,
        names=request.output,
        group=request.group,
        allow_nonfinite=request.allow_nonfinite,
    )
    return GateApplied(node=ws.node_out(applied.record), outputs=applied.names)


def preview_gate(ws: Workspace, request: GateApply) -> GatePreview:
    """What ``apply_gate`` would produce and need, refused as it would be; records nothing."""
    with ws.lock:
        applied = ws.apply(request.gate, request.inputs, request.params, dry_run=True)
    outputs = applied.planned.cost.outputs[: ws.settings.max_variables]
    return GatePreview(
        gate=request.gate,
        outputs=[OutputSpec(shape=list(o.shape), dtype=str(o.dtype)) for o in outputs],
        bytes=applied.planned.cost.bytes,
    )


def estimated_bytes(ws: Workspace, request: GateApply) -> int:
    """The bytes a gate application reads and makes, from shapes alone; 0 when it cannot be
    known (an unknown gate or name), as such a request fails at once."""
    try:
        planned = ws.planned(request.gate, request.inputs, request.params)
    except (Refused, KeyError, TypeError, ValueError):
        return 0
    return sum(spec.nbytes for spec in planned.specs) + planned.cost.bytes


def backprop(ws: Workspace, request: BackpropRequest) -> BackpropResult:
    """Backpropagate from a variable, step by step; the tape is empty afterwards."""
    var = ws.variable(request.variable, Part(Role.ROOT))
    seed = _seed_of(var, request.seed, ws.settings.max_tensor_elements)
    with engine.detect_anomaly(ws.context) as found:
        try:
            steps = _backprop_steps(ws, var, seed)
        except engine.StaleTapeError as exc:
            raise stale_tape(ws, exc) from exc
        except engine.AutogradError as exc:
            raise Conflict("not_on_tape", str(exc)) from exc
    anomaly = found.backward
    ws.backward_anomaly = anomaly and anomaly_out(
        anomaly, ws.record_of(anomaly.node).id, anomaly.node.parents
    )
    with_grads = {name: shown_grad(v) for name, v in ws.variables.items() if v.requires_grad}
    gradients = {name: encode(grad) for name, grad in with_grads.items()}
    previews = {name: tensor_preview(grad) for name, grad in with_grads.items()}
    health = ws.health()
    ws.announce(
        BackpropDone(
            variable=var.name, gradients=previews, health=health, anomaly=ws.backward_anomaly
        )
    )
    ws.last_backprop_root = request.variable
    ws.recount()  # the tape is empty now, and the gradients are new
    return BackpropResult(
        steps=steps, gradients=gradients, health=health, anomaly=ws.backward_anomaly
    )


def _backprop_steps(
    ws: Workspace, var: engine.Variable, seed: np.ndarray | None
) -> list[BackpropStepOut]:
    """Walk the tape from ``var``, announcing each step and answering them all."""
    steps = []
    for step in var.backprop_steps(seed):
        record = ws.record_of(step.node)
        # Encoded now: later steps add to these gradients in place.
        parts = {
            "grads": sum_by_parent(step),
            "upstream": flowing_in(step),
            "accumulated": accumulated_after(step),
        }
        full = {key: _encoded(arrays) for key, arrays in parts.items()}
        steps.append(BackpropStepOut(node=record.id, gate=record.gate, **full))
        previews = {key: _previews(arrays) for key, arrays in parts.items()}
        ws.announce(BackpropStepped(node=record.id, gate=record.gate, **previews))
    return steps


def stale_tape(ws: Workspace, error: engine.StaleTapeError) -> StaleTape:
    """The refusal of a backprop through a node whose saved value changed in place since."""
    record = ws.record_of(error.node)
    name = error.variable.name or "an input"
    node_label = f"node #{record.id} ({record.gate})"
    return StaleTape(
        "stale_tape",
        engine.stale_message(name, error.cause, node_label),
        {"variable": name, "node": record.id, "gate": record.gate, "changed_by": error.cause},
    )


def _encoded(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    return {name: encode(array) for name, array in arrays.items()}


def _previews(arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    return {name: tensor_preview(array).model_dump() for name, array in arrays.items()}


def _seed_of(var: engine.Variable, seed: Any, max_elements: int) -> np.ndarray | None:
    if seed is None:
        return None
    array = decode(seed, str(var.dtype), max_elements, "seed")
    if array.shape != var.shape:
        raise Invalid(
            "shape_mismatch",
            f"seed has shape {list(array.shape)} but {var.name} has {list(var.shape)}",
        )
    return array


def zero_grad(ws: Workspace, request: ZeroGradRequest) -> WorkspaceState:
    """Reset the gradients of the listed variables, or of all."""
    names = request.variables if request.variables is not None else list(ws.variables)
    targets = [ws.variable(name, Part(Role.ZEROED, i)) for i, name in enumerate(names)]
    for var in targets:
        var.zero_grad()
    ws.announce(GradsZeroed(variables=names))
    return ws.state()


def set_no_grad(ws: Workspace, request: NoGradRequest) -> WorkspaceState:
    """Turn no-grad mode on or off."""
    ws.context.no_grad = request.enabled
    ws.announce(NoGradSet(enabled=request.enabled))
    return ws.state()


@dataclass(frozen=True)
class Operation:
    """How one kind of change is parsed from the journal and carried out. ``undoable``: a
    savepoint undoes all the handler changes (else a failed journal write reloads the
    workspace from the store, which takes longer). ``refuses``: the kinds of refusal the
    handler can raise, when declared (the routes that run it document them)."""

    request: type[BaseModel]
    handler: Callable[[Workspace, Any], Any]
    undoable: bool = False
    refuses: tuple[type[Refused], ...] = ()


GATE_REFUSALS = (UnknownVariable, NameTaken, GateRefused, Invalid, TapeFull, TooLarge)
"""What applying gates can refuse: a name, an input, a gate or its params, the tape's room or
a size or memory limit."""

OPERATIONS: dict[str, Operation] = {
    "create_variable": Operation(
        VariableCreate, create_variable, undoable=True, refuses=(NameTaken, Invalid, TooLarge)
    ),
    "apply_gate": Operation(GateApply, apply_gate, undoable=True, refuses=GATE_REFUSALS),
    "backprop": Operation(
        BackpropRequest,
        backprop,
        refuses=(UnknownVariable, Invalid, StaleTape, Conflict, TooLarge),
    ),
    "zero_grad": Operation(ZeroGradRequest, zero_grad, refuses=(UnknownVariable,)),
    "set_no_grad": Operation(NoGradRequest, set_no_grad),
    "eval": Operation(EvalRequest, eval_source, undoable=True, refuses=GATE_REFUSALS),
    "optimizer_step": Operation(
        OptimizerStepRequest, optimizer_step, refuses=(UnknownVariable, Invalid)
    ),
    "training_configure": Operation(TrainingConfig, training.configure),
    "training_checkpoint": Operation(TrainingCheckpoint, training.restore_checkpoint),
    "training_reset": Operation(TrainingReset, training.reset),
    "training_weight_edit": Operation(WeightEdit, edit_weight),
    "training_data": Operation(TrainingData, set_user_data),
    "training_adjust": Operation(TrainingSettings, training.adjust),
}


def perform(ws: Workspace, kind: str, request: BaseModel) -> Any:
    """Carry out one operation: journaled and announced when it succeeds."""
    operation = OPERATIONS[kind]
    return ws.perform(kind, request, operation.handler, operation.undoable)


INLINE_BYTES = 64 * 1024
"""Operations that read and make this little take microseconds: handing them to a worker
thread would cost more than the work, so they run on the event loop when the lock is free."""


async def perform_soon(ws: Workspace, kind: str, request: BaseModel) -> Any:
    """``perform`` small work on the event loop when the workspace is free (a training
    thread may hold it) and its journal can be written at once, else in a worker thread so
    the loop never waits."""
    if not ws.journal_may_wait() and ws.lock.acquire(blocking=False):
        try:
            return perform(ws, kind, request)
        finally:
            ws.lock.release()
    return await perform_off_loop(ws, kind, request)


async def perform_off_loop(ws: Workspace, kind: str, request: BaseModel) -> Any:
    """``perform`` in a worker thread, so NumPy never holds up the event loop."""
    return await asyncio.to_thread(perform, ws, kind, request)


REPLAY_FAILURES = (
    Refused,
    ValidationError,
    ValueError,
    TypeError,
    ArithmeticError,
    LookupError,
    RecursionError,
)
"""What replaying a journaled or imported operation may fail with: its row or document is at
fault (damaged, or holding what no request could), not the server."""


def request_of(kind: str, body: dict[str, Any]) -> BaseModel:
    """The request of a journaled or exported operation: a ValueError for an unknown kind, a
    ValidationError for a body its kind does not take."""
    operation = OPERATIONS.get(kind)
    if operation is None:
        raise ValueError(f"unknown operation kind {kind!r}")
    return operation.request.model_validate(body)


def replay(ws: Workspace, kind: str, request: BaseModel) -> None:
    """Re-apply a journaled operation silently (loading a workspace from the store)."""
    ws.replay(request, OPERATIONS[kind].handler)
