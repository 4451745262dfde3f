"""A workspace's state as a JSON document, and a new workspace built from one.

Export reads the live state (never a replay): the variables with their values and
gradients, the history, the optimizers and the training run. Import builds the same state
through the same checks a request gets: leaves first, then every gate of the history run
again in order (those still on the tape are recorded on it again), with the values the
document holds written into its outputs, then gradients, optimizers and training.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
from pydantic import Field

import engine
from backend.errors import Invalid, OutputCount
from backend.schemas import (
    NAME_PATTERN,
    NodeOut,
    OptimizerStepRequest,
    Strict,
    VariableOut,
)
from backend.training import trainer as training
from backend.training.schemas import TrainingCheckpoint, TrainingConfig
from backend.workspace.deadlines import check_budget
from backend.workspace.optimizers import new_optimizer, set_hyperparameters
from backend.workspace.tensors import decode, encode
from backend.workspace.views import NodeRecord
from backend.workspace.workspace import Workspace

FORMAT = "wengert-workspace"
STORED_NAME = re.compile(NAME_PATTERN.removesuffix("$") + r"(@[1-9][0-9]{0,8})?$")
"""A variable's name, or the label (``h@1``) it keeps after its name was given to another."""


class ExportedNode(NodeOut):
    """A history entry: ``stale`` says its outputs are older than its inputs' values."""

    model_config = Strict.model_config


class ExportedOptimizer(Strict):
    """An optimizer the workspace keeps between steps: its settings and its state."""

    settings: OptimizerStepRequest
    state: dict[str, Any] = Field(description="Step count and buffers, as `state_dict()` gives.")


class ExportedTraining(Strict):
    """The training run: its configuration and where it stands."""

    config: TrainingConfig
    checkpoint: TrainingCheckpoint


class StateDocument(Strict):
    """A workspace as a file (format version 2): import it to get an identical workspace."""

    format: Literal["wengert-workspace"] = FORMAT
    version: Literal[2] = 2
    exported_at: str | None = None
    variables: list[VariableOut] = Field(
        description="Every variable in the workspace's order, with its value and gradient."
    )
    history: list[ExportedNode]
    no_grad: bool = False
    optimizers: list[ExportedOptimizer] = Field(default_factory=list)
    training: ExportedTraining | None = None


def document_of(ws: Workspace) -> StateDocument:
    """The live state of ``ws`` as a document."""
    with ws.lock:
        return StateDocument(
            exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
            variables=[_variable_of(ws, v) for v in ws.variables.values()],
            history=[_node_of(ws, record) for record in ws.history],
            no_grad=ws.context.no_grad,
            optimizers=[_optimizer_of(key, o) for key, o in ws.optimizers.items()],
            training=None if ws.training is None else _training_of(ws.training),
        )


def _variable_of(ws: Workspace, var: engine.Variable) -> VariableOut:
    check_budget()  # an export of a large workspace stops when nobody waits for it
    return ws.variable_out(var)


def _node_of(ws: Workspace, record: NodeRecord) -> ExportedNode:
    return ExportedNode(**ws.node_out(record).model_dump())


def _optimizer_of(key: str, optimizer: Any) -> ExportedOptimizer:
    kind, names = key.split(":", 1)
    hyper: dict[str, Any] = {"optimizer": kind, "lr": optimizer.lr, "params": names.split(",")}
    if kind == "momentum":
        hyper["momentum"] = optimizer.momentum
    if kind == "adam":
        hyper.update(beta1=optimizer.betas[0], beta2=optimizer.betas[1], eps=optimizer.eps)
    state = {name: encode(array) for name, array in optimizer.state_dict().items()}
    return ExportedOptimizer(settings=OptimizerStepRequest(**hyper), state=state)


def _training_of(trainer: training.Trainer) -> ExportedTraining:
    return ExportedTraining(config=trainer.run.config, checkpoint=trainer.run.checkpoint(0))


def build(ws: Workspace, document: StateDocument) -> None:
    """Give the new, empty ``ws`` the state in ``document`` (its lock held); refused with
    422 ``invalid_document`` (or the request's own 413) naming what is wrong."""
    made_elsewhere = produced_names(document) | trained_names(document)
    values = {var.name: var for var in document.variables}
    for var in document.variables:
        if var.name not in made_elsewhere:
            _add_leaf(ws, var)
    if document.training is not None:
        training.configure(ws, document.training.config)
        training.restore_checkpoint(ws, document.training.checkpoint)
    for node in document.history:
        _run_again(ws, node, values)
    for var in document.variables:
        if var.name not in trained_names(document):
            _set_grad(ws, var)
    for exported in document.optimizers:
        _add_optimizer(ws, exported)
    ws.context.no_grad = document.no_grad
    _keep_order(ws, document)


def produced_names(document: StateDocument) -> set[str]:
    """The variables the document's history makes."""
    return {name for node in document.history for name in node.outputs}


def trained_names(document: StateDocument) -> set[str]:
    """The variables the document's training run makes (its weights)."""
    if document.training is None:
        return set()
    return {training.PREFIX + name for name in document.training.checkpoint.parameters}


def _keep_order(ws: Workspace, document: StateDocument) -> None:
    """The variables in the document's order (a renamed one moved to the end when renamed)."""
    listed = [var.name for var in document.variables]
    if sorted(listed) != sorted(ws.variables):
        _refuse(f"the variables listed {sorted(listed)} are not those built {sorted(ws.variables)}")
    ws.variables = {name: ws.variables[name] for name in listed}


def _add_leaf(ws: Workspace, var: VariableOut) -> None:
    _check_name(ws, var.name)
    ws.check_room_for(1)
    value = _decoded(ws, var.value, var.dtype, f"the value of {var.name}")
    ws.check_memory_for(value.nbytes, f"the variable {var.name}")
    leaf = ws.context.variable(value, var.requires_grad, var.name, var.dtype)
    ws.bind(var.name, leaf)


def _run_again(ws: Workspace, node: ExportedNode, values: dict[str, VariableOut]) -> None:
    for name in node.outputs:
        _check_name(ws, name)
    try:
        applied = ws.apply(
            node.gate,
            node.inputs,
            node.params,
            names=list(node.outputs),
            on_tape=node.on_tape,
            group=node.group,
            allow_nonfinite=True,
        )
    except OutputCount as count:
        _refuse(f"node {node.id} ({node.gate}) makes {count.produced} outputs, not {count.named}")
    for name, out in zip(node.outputs, applied.outputs, strict=True):
        exported = values.get(name)
        if exported is None:
            _refuse(f"node {node.id} names the output {name!r}, which is not among the variables")
        _overwrite(ws, out, exported)
    if node.stale:
        # As in the exported workspace: its inputs changed after it ran.
        changed = [v for v in applied.planned.inputs if isinstance(v, engine.Variable)]
        ws.touch(changed, "a change before the export")


def _overwrite(ws: Workspace, out: engine.Variable, exported: VariableOut) -> None:
    """The document's value, written into the array a recorded gate may have kept."""
    value = _decoded(ws, exported.value, str(out.dtype), f"the value of {exported.name}")
    if value.shape != out.value.shape:
        _refuse(f"{exported.name} has shape {list(value.shape)}; its gate makes {list(out.shape)}")
    out.value[...] = value
    out.requires_grad = exported.requires_grad


def _set_grad(ws: Workspace, exported: VariableOut) -> None:
    var = ws.variables[exported.name]
    if exported.grad is None or not var.requires_grad:
        return
    grad = _decoded(ws, exported.grad, str(var.dtype), f"the gradient of {exported.name}")
    if grad.shape != var.value.shape:
        _refuse(
            f"the gradient of {exported.name} has shape {list(grad.shape)}, not {list(var.shape)}"
        )
    if grad.any():  # zeros are what a gradient reads as before any is added: hold none
        var.grad = grad


def _add_optimizer(ws: Workspace, exported: ExportedOptimizer) -> None:
    settings = exported.settings
    params = [ws.variable(name) for name in settings.params]
    try:
        optimizer = new_optimizer(settings, params)
        set_hyperparameters(optimizer, settings)
        state = {
            name: np.asarray(decode(v, "float64", ws.settings.max_tensor_elements, name, True))
            for name, v in exported.state.items()
        }
        optimizer.load_state_dict(state)
    except ValueError as error:
        _refuse(f"the {settings.optimizer} optimizer of {settings.params}: {error}")
    ws.optimizers[f"{settings.optimizer}:{','.join(settings.params)}"] = optimizer


def _check_name(ws: Workspace, name: str) -> None:
    if not STORED_NAME.match(name):
        _refuse(f"{name!r} is not a variable name (letters, digits and _, maybe @ and a number)")
    ws.check_name_free(name)


def _decoded(ws: Workspace, value: Any, dtype: str, what: str) -> np.ndarray:
    if value is None:
        _refuse(f"{what} is missing")
    return decode(value, dtype, ws.settings.max_tensor_elements, what, True)


def _refuse(message: str) -> None:
    raise Invalid("invalid_document", message)
