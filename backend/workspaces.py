"""The Workspace: one engine Context plus its named variables, its history and a lock."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import engine
from backend.errors import ApiError
from backend.schemas import (
    BackpropRequest,
    BackpropResult,
    BackpropStepOut,
    GateApplied,
    GateApply,
    NodeOut,
    VariableCreate,
    VariableOut,
    WorkspaceState,
)
from backend.settings import Settings
from backend.tensors import decode, encode


@dataclass
class NodeRecord:
    """A gate application as the workspace shows it, with the engine node it recorded."""

    id: int
    gate: str
    inputs: list[str | float]
    outputs: list[str]
    params: dict[str, Any]
    node: engine.Node | None

    def out(self) -> NodeOut:
        on_tape = self.node is not None and self.node.on_tape
        return NodeOut(
            id=self.id,
            gate=self.gate,
            inputs=self.inputs,
            outputs=self.outputs,
            params=self.params,
            on_tape=on_tape,
        )


@dataclass
class Workspace:
    """A Context with named variables and the history of every gate applied to it.

    Public methods take the workspace's lock, so requests to one workspace are serialized.
    """

    id: str
    token: str
    viewer_token: str
    settings: Settings
    context: engine.Context = field(default_factory=engine.Context)
    variables: dict[str, engine.Variable] = field(default_factory=dict)
    history: list[NodeRecord] = field(default_factory=list)
    produced_by: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def create_variable(self, request: VariableCreate) -> VariableOut:
        """Add a named leaf variable."""
        with self.lock:
            self._check_name_free(request.name)
            self._check_room_for(1)
            value = decode(request.value, request.dtype, self.settings.max_tensor_elements, "value")
            var = self.context.variable(value, request.requires_grad, request.name, request.dtype)
            self.variables[request.name] = var
            return self._variable_out(var)

    def apply_gate(self, request: GateApply) -> GateApplied:
        """Apply a catalog gate and name its outputs."""
        with self.lock:
            gate = self._make_gate(request.gate, request.params)
            inputs = [self._input(item) for item in request.inputs]
            self._check_tape_room()
            result = self._run_gate(gate, inputs, request)
            outputs = result if isinstance(result, list) else [result]
            names = self._output_names(request, len(outputs))
            record = self._record(request, names, outputs)
            return GateApplied(node=record.out(), outputs=names)

    def backprop(self, request: BackpropRequest) -> BackpropResult:
        """Backpropagate from a variable; the tape is empty afterwards."""
        with self.lock:
            var = self._variable(request.variable)
            seed = None
            if request.seed is not None:
                seed = decode(request.seed, str(var.dtype), var.value.size, "seed")
                if seed.shape != var.shape:
                    raise ApiError(
                        422,
                        "shape_mismatch",
                        f"seed has shape {list(seed.shape)} but {var.name} has {list(var.shape)}",
                    )
            try:
                steps = [self._step_out(step) for step in var.backprop_steps(seed)]
            except engine.AutogradError as exc:
                raise ApiError(409, "not_on_tape", str(exc)) from exc
            gradients = {
                name: encode(v.grad) for name, v in self.variables.items() if v.requires_grad
            }
            return BackpropResult(steps=steps, gradients=gradients)

    def state(self) -> WorkspaceState:
        """Everything there is to see: variables, tape, history and no-grad mode."""
        with self.lock:
            return WorkspaceState(
                id=self.id,
                variables=[self._variable_out(v) for v in self.variables.values()],
                tape=[r.out() for r in self.history if r.node is not None and r.node.on_tape],
                history=[r.out() for r in self.history],
                no_grad=self.context.no_grad,
            )

    def _variable(self, name: str) -> engine.Variable:
        try:
            return self.variables[name]
        except KeyError:
            raise ApiError(404, "variable_not_found", f"no variable named {name!r}") from None

    def _input(self, item: str | float) -> engine.Variable | float:
        return self._variable(item) if isinstance(item, str) else item

    def _check_name_free(self, name: str) -> None:
        if name in self.variables:
            raise ApiError(409, "name_taken", f"a variable named {name!r} already exists")

    def _check_room_for(self, count: int) -> None:
        if len(self.variables) + count > self.settings.max_variables:
            raise ApiError(
                413,
                "too_many_variables",
                f"a workspace holds at most {self.settings.max_variables} variables",
            )

    def _check_tape_room(self) -> None:
        if len(self.context.nodes) >= self.settings.max_tape_length:
            raise ApiError(
                413,
                "tape_full",
                f"the tape holds at most {self.settings.max_tape_length} nodes; run backprop first",
            )

    def _make_gate(self, name: str, params: dict[str, Any]) -> engine.Gate:
        gate_class = engine.REGISTRY.get(name)
        if gate_class is None:
            raise ApiError(404, "gate_not_found", f"no gate named {name!r}; see GET /api/gates")
        try:
            return gate_class(**params)
        except (TypeError, ValueError) as exc:
            raise ApiError(422, "invalid_params", f"{name}: {exc}", params) from exc

    def _run_gate(
        self, gate: engine.Gate, inputs: list[engine.Variable | float], request: GateApply
    ) -> Any:
        try:
            with np.errstate(all="ignore"):
                return gate(*inputs)
        except (TypeError, ValueError, IndexError) as exc:
            shapes = [
                list(np.shape(v.value if isinstance(v, engine.Variable) else v)) for v in inputs
            ]
            raise ApiError(
                422,
                "gate_failed",
                f"{request.gate} cannot be applied to {request.inputs} with shapes {shapes}: {exc}",
                {"gate": request.gate, "inputs": request.inputs, "shapes": shapes},
            ) from exc

    def _output_names(self, request: GateApply, count: int) -> list[str]:
        wanted = request.output
        if wanted is None:
            return [self._generated_name(request.gate) for _ in range(count)]
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        if len(names) != count:
            raise ApiError(
                422, "output_count", f"{request.gate} produces {count} outputs, {len(names)} named"
            )
        for name in names:
            self._check_name_free(name)
        self._check_room_for(count)
        return names

    def _generated_name(self, gate: str) -> str:
        n = len(self.history) + 1
        while f"{gate}{n}" in self.variables:
            n += 1
        return f"{gate}{n}"

    def _record(
        self, request: GateApply, names: list[str], outputs: list[engine.Variable]
    ) -> NodeRecord:
        record = NodeRecord(
            len(self.history) + 1,
            request.gate,
            request.inputs,
            names,
            request.params,
            outputs[0].creator,
        )
        for name, var in zip(names, outputs, strict=True):
            var.name = name
            self.variables[name] = var
            self.produced_by[name] = record.id
        self.history.append(record)
        return record

    def _record_of(self, node: engine.Node) -> NodeRecord:
        return next(r for r in reversed(self.history) if r.node is node)

    def _step_out(self, step: engine.BackpropStep) -> BackpropStepOut:
        record = self._record_of(step.node)
        grads: dict[str, Any] = {}
        for parent, diff in zip(step.node.parents, step.diffs, strict=True):
            if diff is None or parent.name is None:
                continue
            previous = grads.get(parent.name)
            grads[parent.name] = diff if previous is None else previous + diff
        return BackpropStepOut(
            node=record.id,
            gate=record.gate,
            grads={k: encode(np.asarray(v)) for k, v in grads.items()},
        )

    def _variable_out(self, var: engine.Variable) -> VariableOut:
        return VariableOut(
            name=var.name or "",
            shape=list(var.shape),
            dtype=str(var.dtype),
            requires_grad=var.requires_grad,
            value=encode(var.value),
            grad=encode(var.grad),
            created_by=self.produced_by.get(var.name or ""),
        )


class WorkspaceRegistry:
    """Every live workspace by id."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._workspaces: dict[str, Workspace] = {}
        self._lock = threading.Lock()

    def create(self) -> Workspace:
        """Make a workspace with fresh random tokens."""
        with self._lock:
            if len(self._workspaces) >= self.settings.max_workspaces:
                raise ApiError(
                    413,
                    "too_many_workspaces",
                    f"the server holds at most {self.settings.max_workspaces} workspaces",
                )
            workspace = Workspace(
                id=secrets.token_urlsafe(12),
                token=secrets.token_urlsafe(24),
                viewer_token=secrets.token_urlsafe(24),
                settings=self.settings,
            )
            self._workspaces[workspace.id] = workspace
            return workspace

    def get(self, workspace_id: str) -> Workspace:
        """The workspace with this id, or a 404."""
        workspace = self._workspaces.get(workspace_id)
        if workspace is None:
            raise ApiError(404, "workspace_not_found", f"no workspace with id {workspace_id!r}")
        return workspace
