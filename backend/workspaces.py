"""The Workspace: one engine Context plus its named variables, its history, its events.

Every change is an *operation*: a request model applied under the workspace's lock,
then journaled (made durable) and announced on the event stream. Replaying the journal
through the same handlers rebuilds the workspace exactly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from pydantic import BaseModel

import engine
from backend.errors import ApiError
from backend.events import EventHub
from backend.initializers import initial_value
from backend.schemas import (
    BackpropRequest,
    BackpropResult,
    BackpropStepOut,
    GateApplied,
    GateApply,
    NoGradRequest,
    VariableCreate,
    VariableOut,
    WorkspaceState,
    ZeroGradRequest,
)
from backend.settings import Settings
from backend.tensors import decode, encode
from backend.views import NodeRecord, sum_by_parent, variable_out

Journal = Callable[[str, BaseModel, int], None]
"""Makes one operation durable: (kind, request, event sequence after it)."""


class Workspace:
    """A Context with named variables, the history of every gate applied, and live events.

    Public methods take the workspace's lock, so requests to one workspace are serialized.
    """

    def __init__(self, workspace_id: str, settings: Settings, journal: Journal | None) -> None:
        self.id = workspace_id
        self.settings = settings
        self.journal = journal
        self.context = engine.Context()
        self.variables: dict[str, engine.Variable] = {}
        self.history: list[NodeRecord] = []
        self.produced_by: dict[str, int] = {}
        self.events = EventHub()
        self.lock = threading.RLock()
        self._pending: list[tuple[str, dict[str, Any]]] = []

    # Operations: each is journaled and announced when it succeeds.

    def create_variable(self, request: VariableCreate) -> VariableOut:
        """Add a named leaf variable."""
        return self._perform("create_variable", request)

    def apply_gate(self, request: GateApply) -> GateApplied:
        """Apply a catalog gate and name its outputs."""
        return self._perform("apply_gate", request)

    def backprop(self, request: BackpropRequest) -> BackpropResult:
        """Backpropagate from a variable; the tape is empty afterwards."""
        return self._perform("backprop", request)

    def zero_grad(self, request: ZeroGradRequest) -> WorkspaceState:
        """Reset the gradients of the listed variables, or of all."""
        return self._perform("zero_grad", request)

    def set_no_grad(self, request: NoGradRequest) -> WorkspaceState:
        """Turn no-grad mode on or off."""
        return self._perform("set_no_grad", request)

    def _perform(self, kind: str, request: BaseModel) -> Any:
        with self.lock:
            self._pending = []
            result = OPERATIONS[kind].handler(self, request)
            if self.journal is not None:
                self.journal(kind, request, self.events.last_seq + len(self._pending))
            for event_type, data in self._pending:
                self.events.publish(event_type, data)
            return result

    def replay(self, kind: str, body: dict[str, Any]) -> None:
        """Re-apply a journaled operation, silently (used when loading from the store)."""
        operation = OPERATIONS[kind]
        operation.handler(self, operation.request.model_validate(body))
        self._pending = []

    def announce(self, event_type: str, data: dict[str, Any]) -> None:
        """Queue an event to publish once the current operation succeeds."""
        self._pending.append((event_type, data))

    # Reads.

    def state(self) -> WorkspaceState:
        """Everything there is to see: variables, tape, history and no-grad mode."""
        with self.lock:
            return WorkspaceState(
                id=self.id,
                variables=[self.variable_out(v) for v in self.variables.values()],
                tape=[r.out() for r in self.history if r.on_tape],
                history=[r.out() for r in self.history],
                no_grad=self.context.no_grad,
            )

    def variable(self, name: str) -> engine.Variable:
        """The variable with this name, or a 404."""
        try:
            return self.variables[name]
        except KeyError:
            raise ApiError(404, "variable_not_found", f"no variable named {name!r}") from None

    def variable_out(self, var: engine.Variable) -> VariableOut:
        return variable_out(var, self.produced_by.get(var.name or ""))

    # Handlers: validate everything first, then change state.

    def _create_variable(self, request: VariableCreate) -> VariableOut:
        self.check_name_free(request.name)
        self.check_room_for(1)
        value = self._value_of(request)
        var = self.context.variable(value, request.requires_grad, request.name, request.dtype)
        self.variables[request.name] = var
        out = self.variable_out(var)
        self.announce("variable_created", {"variable": out.model_dump()})
        return out

    def _value_of(self, request: VariableCreate) -> np.ndarray:
        limit = self.settings.max_tensor_elements
        if request.init is not None:
            return initial_value(request.init, request.dtype, limit)
        return decode(request.value, request.dtype, limit, "value", request.allow_nonfinite)

    def _apply_gate(self, request: GateApply) -> GateApplied:
        gate = self._make_gate(request.gate, request.params)
        inputs = [self.variable(i) if isinstance(i, str) else i for i in request.inputs]
        self._check_tape_room()
        outputs = self._run_gate(gate, inputs, request)
        self._check_results(request, outputs)
        names = self._output_names(request, len(outputs))
        record = self.bind_outputs(request, names, outputs)
        return GateApplied(node=record.out(), outputs=names)

    def _backprop(self, request: BackpropRequest) -> BackpropResult:
        var = self.variable(request.variable)
        seed = self._seed_of(var, request.seed)
        try:
            steps = []
            for step in var.backprop_steps(seed):
                record = self._record_of(step.node)
                out = BackpropStepOut(node=record.id, gate=record.gate, grads=sum_by_parent(step))
                steps.append(out)
                self.announce("backprop_step", out.model_dump())
        except engine.AutogradError as exc:
            raise ApiError(409, "not_on_tape", str(exc)) from exc
        gradients = {name: encode(v.grad) for name, v in self.variables.items() if v.requires_grad}
        self.announce("backprop_done", {"variable": var.name, "gradients": gradients})
        return BackpropResult(steps=steps, gradients=gradients)

    def _seed_of(self, var: engine.Variable, seed: Any) -> np.ndarray | None:
        if seed is None:
            return None
        array = decode(seed, str(var.dtype), var.value.size, "seed")
        if array.shape != var.shape:
            raise ApiError(
                422,
                "shape_mismatch",
                f"seed has shape {list(array.shape)} but {var.name} has {list(var.shape)}",
            )
        return array

    def _zero_grad(self, request: ZeroGradRequest) -> WorkspaceState:
        names = request.variables if request.variables is not None else list(self.variables)
        targets = [self.variable(name) for name in names]
        for var in targets:
            var.zero_grad()
        self.announce("zero_grad", {"variables": names})
        return self.state()

    def _set_no_grad(self, request: NoGradRequest) -> WorkspaceState:
        self.context.no_grad = request.enabled
        self.announce("no_grad", {"enabled": request.enabled})
        return self.state()

    # Helpers shared by the handlers here and in other modules.

    def check_name_free(self, name: str) -> None:
        if name in self.variables:
            raise ApiError(409, "name_taken", f"a variable named {name!r} already exists")

    def check_room_for(self, count: int) -> None:
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
            raise ApiError(
                422, "invalid_params", str(exc), {"gate": name, "params": params}
            ) from exc

    def _run_gate(
        self, gate: engine.Gate, inputs: list[engine.Variable | float], request: GateApply
    ) -> list[engine.Variable]:
        try:
            with np.errstate(all="ignore"):
                result = gate(*inputs)
        except (TypeError, ValueError, IndexError) as exc:
            shapes = [list(np.shape(getattr(v, "value", v))) for v in inputs]
            raise ApiError(
                422,
                "gate_failed",
                f"{request.gate} cannot be applied to {request.inputs} with shapes {shapes}: {exc}",
                {"gate": request.gate, "inputs": request.inputs, "shapes": shapes},
            ) from exc
        return result if isinstance(result, list) else [result]

    def _check_results(self, request: GateApply, outputs: list[engine.Variable]) -> None:
        # The gate ran but nothing is bound yet: undo its recording if the result is refused.
        problem = None
        if any(out.value.size > self.settings.max_tensor_elements for out in outputs):
            problem = ApiError(
                413,
                "tensor_too_large",
                f"{request.gate} would produce more than "
                f"{self.settings.max_tensor_elements} elements",
            )
        elif not request.allow_nonfinite and not all(np.isfinite(o.value).all() for o in outputs):
            problem = ApiError(
                422,
                "non_finite",
                f"{request.gate} of {request.inputs} gives NaN or infinity; "
                "send allow_nonfinite to keep it",
            )
        if problem is not None:
            self._unrecord(outputs)
            raise problem

    def _unrecord(self, outputs: list[engine.Variable]) -> None:
        creator = outputs[0].creator
        if creator is not None and self.context.nodes and self.context.nodes[-1] is creator:
            self.context.nodes.pop().on_tape = False

    def _output_names(self, request: GateApply, count: int) -> list[str]:
        wanted = request.output
        if wanted is None:
            return [self.generated_name(request.gate) for _ in range(count)]
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        problem = None
        if len(names) != count:
            problem = ApiError(
                422, "output_count", f"{request.gate} produces {count} outputs, {len(names)} named"
            )
        elif len(set(names)) != len(names) or any(n in self.variables for n in names):
            taken = [n for n in names if n in self.variables] or names
            problem = ApiError(409, "name_taken", f"the output name {taken[0]!r} is taken")
        if problem is not None:
            raise problem
        self.check_room_for(count)
        return names

    def generated_name(self, gate: str) -> str:
        """A fresh name for an unnamed output, such as ``mul3``."""
        n = len(self.history) + 1
        while f"{gate}{n}" in self.variables:
            n += 1
        return f"{gate}{n}"

    def bind_outputs(
        self, request: GateApply, names: list[str], outputs: list[engine.Variable]
    ) -> NodeRecord:
        """Name the outputs of an applied gate and add its node to the history."""
        record = NodeRecord(
            len(self.history) + 1,
            request.gate,
            list(request.inputs),
            names,
            request.params,
            outputs[0].creator,
        )
        for name, var in zip(names, outputs, strict=True):
            var.name = name
            self.variables[name] = var
            self.produced_by[name] = record.id
        self.history.append(record)
        self.announce(
            "node_recorded",
            {
                "node": record.out().model_dump(),
                "outputs": [self.variable_out(v).model_dump() for v in outputs],
            },
        )
        return record

    def _record_of(self, node: engine.Node) -> NodeRecord:
        return next(r for r in reversed(self.history) if r.node is node)


class Operation:
    """How one kind of change is parsed from the journal and carried out."""

    def __init__(self, request: type[BaseModel], handler: Callable[[Workspace, Any], Any]):
        self.request = request
        self.handler = handler


OPERATIONS: dict[str, Operation] = {
    "create_variable": Operation(VariableCreate, Workspace._create_variable),
    "apply_gate": Operation(GateApply, Workspace._apply_gate),
    "backprop": Operation(BackpropRequest, Workspace._backprop),
    "zero_grad": Operation(ZeroGradRequest, Workspace._zero_grad),
    "set_no_grad": Operation(NoGradRequest, Workspace._set_no_grad),
}
