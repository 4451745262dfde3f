"""The Workspace: one engine Context plus its named variables, its history, its events.

Every change is an *operation*: a request model applied under the workspace's lock,
then journaled (made durable) and announced on the event stream. Replaying the journal
through the same handlers rebuilds the workspace exactly.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, NamedTuple, Protocol

import numpy as np
from pydantic import BaseModel

import engine
from backend.costs import gate_cost, input_specs
from backend.diagnostics import anomaly_out, health_out
from backend.errors import ApiError
from backend.event_payloads import EventPayload, NodeRecorded, Renamed
from backend.events import EventHub
from backend.memory import ServerMemory, check_budget, held_bytes
from backend.scheduling import Turns
from backend.schemas import (
    AnomalyOut,
    Damage,
    GateApply,
    HealthOut,
    NodeOut,
    StateVariable,
    VariableOut,
    VariableSummary,
    WorkspaceState,
)
from backend.settings import Settings
from backend.store import StoreUnavailable, StoreWriteFailed
from backend.tensors import extent
from backend.views import NodeRecord, variable_in_state, variable_out, variable_summary
from engine.optim import Optimizer
from engine.params import check_params
from engine.shapes import GateCost

logger = logging.getLogger("wengert.workspaces")


class GateRun(NamedTuple):
    """What running a gate made: its outputs, and the NaN or infinity it made, if any."""

    outputs: list[engine.Variable]
    anomaly: engine.Anomaly | None


class Journal(Protocol):
    """Makes operations durable, and snapshots of the whole state (``backend/journal.py``)."""

    def record(self, kind: str, request: BaseModel, event_seq: int) -> None: ...

    def snapshot(self) -> None: ...

    def restore_durable(self) -> None: ...


class Workspace:
    """A Context with named variables, the history of every gate applied, and live events.

    Public methods take the workspace's lock, so requests to one workspace are serialized.
    """

    STATE = (
        "context",
        "variables",
        "history",
        "produced_by",
        "optimizers",
        "training",
        "touched",
        "last_backprop_root",
        "backward_anomaly",
    )
    """What a snapshot keeps: everything else is made anew or comes from the store."""

    def __init__(self, workspace_id: str, settings: Settings) -> None:
        self.id = workspace_id
        self.settings = settings
        self.journal: Journal | None = None
        self.damage: Damage | None = None
        self.context = engine.Context()
        self.variables: dict[str, engine.Variable] = {}
        self.history: list[NodeRecord] = []
        self.produced_by: dict[engine.Variable, int] = {}
        # Weak keys: a node popped from the tape is freed, and its entry goes with it.
        self._record_by_node: weakref.WeakKeyDictionary[engine.Node, NodeRecord] = (
            weakref.WeakKeyDictionary()
        )
        self.optimizers: dict[str, Optimizer] = {}
        # The newest history record when each variable last changed in place (an optimizer
        # step, training): records up to it show outputs computed from older values.
        self.touched: dict[engine.Variable, int] = {}
        # Gradcheck of a leaf differentiates this output unless the request names another.
        self.last_backprop_root: str | None = None
        # Where the last backprop made NaN or infinity from a finite gradient, if it did.
        self.backward_anomaly: AnomalyOut | None = None
        self.training: Any = None  # the Trainer, once a training run is configured
        self.events = EventHub(queue_bytes=settings.max_stream_queue_bytes)
        self.lock = threading.RLock()
        self.deleted = False
        self.turns = Turns(settings.max_queued_requests)
        # What the workspace holds, exact after recount() and an upper bound in between;
        # budgets apply once the registry serves the workspace (not while it replays).
        self.held = 0
        self.server_memory: ServerMemory | None = None
        # Training loops take turns for these (shared by the registry's workspaces): a few
        # loops at a time keep the interpreter free enough for requests.
        self.training_slots: threading.Semaphore = threading.Semaphore(settings.training_slots)
        self.training_pool: Any = None  # the server's worker processes; None: runs are threads
        self._pending: list[EventPayload] = []
        self._behind_store = False  # a write failed, and memory still holds what it changed
        self._undo: list[Callable[[], Any]] | None = None  # a list inside a savepoint

    def perform(
        self, kind: str, request: BaseModel, handler: Callable[..., Any], undoable: bool = False
    ) -> Any:
        """Run ``handler(self, request)`` under the lock; when it succeeds, journal the
        operation and publish its events. A handler validates before it changes anything.
        When the journal cannot be written, the change is undone: by a savepoint when the
        handler is ``undoable`` (all it changes registers an undo), else by reading the
        workspace back from the store."""
        with self.lock:
            self.check_not_deleted()
            self.check_not_damaged()
            self._restore_if_behind()
            self._pending = []
            with self.savepoint() if undoable else nullcontext():
                result = handler(self, request)
                self._journal(kind, request, undoable)
            for event in self._pending:
                self.events.publish(event.type, event.data())
            self._report_memory()
            return result

    def _journal(self, kind: str, request: BaseModel, undoable: bool) -> None:
        if self.journal is None:
            return
        try:
            self.journal.record(kind, request, self.events.last_seq + len(self._pending))
        except StoreWriteFailed:
            # The handler changed memory already: put back what the store holds, so the
            # client told "nothing changed" sees nothing changed, now and after a restart.
            self._pending = []
            if not undoable:  # else the savepoint around the handler undoes it
                self._behind_store = True
                self._restore_if_behind()
            raise

    def _restore_if_behind(self) -> None:
        """After a failed write, hold what the store holds again (tried until it can be read)."""
        if not self._behind_store:
            return
        try:
            self.journal.restore_durable()
        except Exception as error:  # the store cannot even be read: refuse until it can
            logger.warning("workspace %s cannot be read back from the store: %s", self.id, error)
            raise StoreUnavailable(f"workspace {self.id} cannot be read back: {error}") from error
        self._behind_store = False

    def take_state_of(self, other: Workspace) -> None:
        """Hold ``other``'s state (freshly loaded from the store) instead of this one's,
        keeping this one's lock, subscribers and budgets; the caller holds the lock."""
        if self.training is not None:
            self.training.stop()
        for name in self.STATE:
            setattr(self, name, getattr(other, name))
        self.damage = other.damage
        self.index_records()
        if self.training is not None:
            self.training.ws = self
            self.training.halt_after_restart()
        self.recount()

    def recount(self) -> int:
        """Count exactly what the workspace holds (it takes a while on a long tape)."""
        self.held = held_bytes(self)
        self._report_memory()
        return self.held

    def note_allocated(self, nbytes: int) -> None:
        """An operation made arrays of about ``nbytes``: an upper bound until recount()."""
        self.held += nbytes

    def check_memory_for(self, nbytes: int, what: str) -> None:
        """Refuse (413) work that would take the workspace or server past its budget."""
        if self.server_memory is None:
            return
        try:
            check_budget(self, nbytes, what)
        except ApiError:
            self.recount()  # the running count is an upper bound: be sure before refusing
            check_budget(self, nbytes, what)

    def _report_memory(self) -> None:
        if self.server_memory is not None:
            self.server_memory.report(self.id, self.held)

    def replay(self, request: BaseModel, handler: Callable[..., Any]) -> None:
        """Re-apply a journaled operation silently (when loading from the store)."""
        handler(self, request)
        self._pending = []

    @contextmanager
    def without_limits(self) -> Iterator[None]:
        """Within the block nothing is refused for its size (replaying the journal)."""
        settings = self.settings
        self.settings = settings.without_request_limits()
        try:
            yield
        finally:
            self.settings = settings

    def save_snapshot(self) -> None:
        """Store the whole state now (a training checkpoint); the caller holds the lock."""
        if self.journal is not None and self.damage is None and not self.deleted:
            self.journal.snapshot()

    def check_not_damaged(self) -> None:
        """A damaged workspace can be read, not changed, until its owner repairs it."""
        if self.damage is not None:
            raise ApiError(
                409,
                "workspace_damaged",
                f"the workspace {self.id!r} could not be loaded whole (operation "
                f"{self.damage.at}: {self.damage.reason}); POST …/repair drops what was lost",
                self.damage.model_dump(),
            )

    def check_not_deleted(self) -> None:
        """A request that waited for the lock while the workspace was deleted gets a 404."""
        if self.deleted:
            raise ApiError(404, "workspace_not_found", f"the workspace {self.id!r} was deleted")

    def announce(self, event: EventPayload) -> None:
        """Queue an event to publish once the current operation succeeds."""
        self._pending.append(event)

    # Reads.

    def state(self, access: str = "write") -> WorkspaceState:
        """Everything there is to see: variables, tape, history and no-grad mode."""
        with self.lock:
            return WorkspaceState(
                id=self.id,
                variables=[self.variable_in_state(v) for v in self.variables.values()],
                tape=[self.node_out(r) for r in self.history if r.on_tape],
                history=[self.node_out(r) for r in self.history],
                anomalies=self.anomalies(),
                no_grad=self.context.no_grad,
                tape_bytes=self.tape_bytes(),
                held_bytes=self.recount(),
                seq=self.events.last_seq,
                access=access,
                damage=self.damage,
            )

    def node_out(self, record: NodeRecord) -> NodeOut:
        """A history record as JSON, with whether it is stale."""
        return record.out(stale=self.is_stale(record))

    def anomalies(self) -> list[AnomalyOut]:
        """Where NaN and infinity were born: by the gates in the history, then by the last
        backprop."""
        born = [r.anomaly for r in self.history if r.anomaly is not None]
        return born + ([self.backward_anomaly] if self.backward_anomaly else [])

    def tape_bytes(self) -> int:
        """Bytes of the distinct arrays the nodes on the tape hold for backward."""
        held = {
            id(var): var.value.nbytes
            for node in self.context.nodes
            for var in (*node.parents, *node.payload.outputs)
        }
        return sum(held.values())

    def variable(self, name: str, field: str | None = None) -> engine.Variable:
        """The variable with this name. One the request body's ``field`` names ("inputs.1")
        that does not exist is a 422 `unknown_variable` naming that field, so a form can show
        it beside the field; without a field the name is the path's, and a 404 says the path
        names nothing."""
        try:
            return self.variables[name]
        except KeyError:
            message = f"no variable named {name!r}"
            if field is None:
                raise ApiError(404, "variable_not_found", message) from None
            detail = {"field": field, "name": name}
            raise ApiError(422, "unknown_variable", message, detail) from None

    def variable_in_state(self, var: engine.Variable) -> StateVariable:
        """A variable as the state shows it: a large tensor as a preview."""
        health = health_out(var, self.made_by(var))
        limit = self.settings.state_tensor_elements
        return variable_in_state(var, self.produced_by.get(var), health, limit)

    def variable_out(self, var: engine.Variable, echo: bool = True) -> VariableOut:
        health = health_out(var, self.made_by(var))
        return variable_out(var, self.produced_by.get(var), echo, health)

    def health(self) -> dict[str, HealthOut]:
        """Each variable's gradient health and dead units, where there is something to say."""
        found = {name: health_out(v, self.made_by(v)) for name, v in self.variables.items()}
        return {name: health for name, health in found.items() if health is not None}

    def made_by(self, var: engine.Variable) -> str | None:
        """The name of the gate that produced ``var``; None for a leaf."""
        record_id = self.produced_by.get(var)
        if record_id is None:
            return None
        # Ids count the history from 1; repair may leave gaps, so check before trusting it.
        record = self.history[record_id - 1] if record_id <= len(self.history) else None
        if record is None or record.id != record_id:
            record = next((r for r in self.history if r.id == record_id), None)
        return None if record is None else record.gate

    def variable_summary(self, var: engine.Variable) -> VariableSummary:
        return variable_summary(var, self.produced_by.get(var))

    # Building blocks of the operations (backend/operations.py).

    def check_name_free(self, name: str, field: str = "name") -> None:
        """A 409 when ``name`` is taken; its detail names the request ``field`` that holds it."""
        if name in self.variables:
            message = f"a variable named {name!r} already exists"
            raise ApiError(409, "name_taken", message, {"field": field, "name": name})

    def check_room_for(self, count: int) -> None:
        if len(self.variables) + count > self.settings.max_variables:
            raise ApiError(
                413,
                "too_many_variables",
                f"a workspace holds at most {self.settings.max_variables} variables",
            )

    def check_tape_room(self) -> None:
        if len(self.context.nodes) >= self.settings.max_tape_length:
            raise ApiError(
                413,
                "tape_full",
                f"the tape holds at most {self.settings.max_tape_length} nodes; run backprop first",
            )

    def make_gate(self, name: str, params: dict[str, Any]) -> engine.Gate:
        """The gate ``name`` with ``params``: a 422 naming the field at fault when there is no
        such gate (the body names it, not the path) or the params do not fit it."""
        gate_class = engine.REGISTRY.get(name)
        if gate_class is None:
            message = f"no gate named {name!r}; see GET /api/gates"
            raise ApiError(422, "unknown_gate", message, {"field": "gate", "name": name})
        try:
            return gate_class(**params)
        except (TypeError, ValueError) as exc:
            detail: dict[str, Any] = {"gate": name, "params": params}
            culprit = _param_at_fault(gate_class, params)
            if culprit is not None:
                detail["field"] = f"params.{culprit}"
            raise ApiError(422, "invalid_params", str(exc), detail) from exc

    def gate_inputs(self, request: GateApply) -> list[engine.Variable | float]:
        """The variables a gate application names (422 for an unknown one) and its numbers."""
        return [
            self.variable(item, f"inputs.{i}") if isinstance(item, str) else item
            for i, item in enumerate(request.inputs)
        ]

    def plan_gate(
        self, gate: engine.Gate, inputs: list[engine.Variable | float], request: GateApply
    ) -> GateCost:
        """What the gate would make of ``inputs`` and the memory it needs, known before any
        work: refused with 422 for inputs it cannot take, 413 over a size or memory limit."""
        specs = input_specs(inputs)
        shapes = [list(spec.shape) for spec in specs]
        try:
            cost = gate_cost(gate, request.params, specs)
        except (TypeError, ValueError) as exc:
            raise gate_failed(request, shapes, exc) from exc
        self._check_outputs(request, cost, shapes)
        self.check_memory_for(cost.bytes, f"{request.gate} of shapes {shapes}")
        return cost

    def _check_outputs(self, request: GateApply, cost: GateCost, shapes: list[list[int]]) -> None:
        limit = self.settings.max_tensor_elements
        if len(cost.outputs) > self.settings.max_variables:
            raise ApiError(
                413,
                "too_many_variables",
                f"{request.gate} of shapes {shapes} would make {len(cost.outputs)} outputs; "
                f"a workspace holds at most {self.settings.max_variables} variables",
            )
        biggest = max((extent(spec.shape) for spec in cost.outputs), default=0)
        if biggest > limit:
            raise ApiError(
                413,
                "tensor_too_large",
                f"{request.gate} of shapes {shapes} would produce {biggest:,} elements; "
                f"the limit is {limit:,}",
                {"gate": request.gate, "shapes": shapes, "elements": biggest, "limit": limit},
            )

    def run_gate(
        self, gate: engine.Gate, inputs: list[engine.Variable | float], request: GateApply
    ) -> GateRun:
        """Run the planned gate, watching for the NaN or infinity it may make."""
        cost = self.plan_gate(gate, inputs, request)
        with engine.detect_anomaly(self.context) as found:
            try:
                result = gate(*inputs)
            except (TypeError, ValueError, IndexError) as exc:
                shapes = [list(np.shape(getattr(v, "value", v))) for v in inputs]
                raise gate_failed(request, shapes, exc) from exc
        self.note_allocated(cost.bytes)
        return GateRun(result if isinstance(result, list) else [result], found.forward)

    def check_results(self, request: GateApply, run: GateRun) -> None:
        """Refuse results over the size limit, and non-finite ones unless allowed."""
        outputs = run.outputs
        if any(extent(out.value.shape) > self.settings.max_tensor_elements for out in outputs):
            raise ApiError(
                413,
                "tensor_too_large",
                f"{request.gate} would produce more than "
                f"{self.settings.max_tensor_elements} elements",
            )
        if not request.allow_nonfinite and not all(np.isfinite(o.value).all() for o in outputs):
            born = f" ({run.anomaly.explanation})" if run.anomaly else ""
            raise ApiError(
                422,
                "non_finite",
                f"{request.gate} of {request.inputs} gives NaN or infinity{born}; "
                'send allow_nonfinite (the console\'s "Keep NaN and ∞") to keep it',
            )

    def output_names(self, request: GateApply, count: int) -> list[str]:
        wanted = request.output
        if wanted is None:
            self.check_room_for(count)
            return self.generated_names(request.gate, count)
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        if len(names) != count:
            raise ApiError(
                422, "output_count", f"{request.gate} produces {count} outputs, {len(names)} named"
            )
        if len(set(names)) != len(names):
            raise ApiError(422, "output_names", "the output names must differ from each other")
        for i, name in enumerate(names):
            self.check_name_free(name, "output" if isinstance(wanted, str) else f"output.{i}")
        self.check_room_for(count)
        return names

    def generated_name(self, gate: str) -> str:
        """A fresh name for an unnamed output, such as ``mul3``."""
        return self.generated_names(gate, 1)[0]

    def generated_names(self, gate: str, count: int) -> list[str]:
        """Fresh names for the ``count`` unnamed outputs of ``gate``, numbered as its node
        will be: ``mul3`` for a single output; ``split3_0``, ``split3_1``, … for each
        output of a multi-output gate. A number any of whose names is taken is skipped."""
        n = len(self.history) + 1
        while True:
            if engine.REGISTRY[gate].multi_output:
                names = [f"{gate}{n}_{i}" for i in range(count)]
            else:
                names = [f"{gate}{n}"]
            if not any(name in self.variables for name in names):
                return names
            n += 1

    def bind_outputs(
        self,
        request: GateApply,
        inputs: list[engine.Variable | float],
        names: list[str],
        run: GateRun,
    ) -> NodeRecord:
        """Name the outputs of an applied gate and add its node to the history."""
        outputs = run.outputs
        record = NodeRecord(
            len(self.history) + 1, request.gate, inputs, outputs, request.params, outputs[0].creator
        )
        for name, var in zip(names, outputs, strict=True):
            self.bind(name, var)
            self.produced_by[var] = record.id
            self._on_undo(lambda var=var: self.produced_by.pop(var))
        record.anomaly = anomaly_out(run.anomaly, record.id, outputs)
        record.group = request.group
        node = record.node
        if node is not None:
            self._record_by_node[node] = record
            self._on_undo(lambda: self._record_by_node.pop(node, None))
        self.history.append(record)
        summaries = [self.variable_summary(v) for v in outputs]
        self.announce(NodeRecorded(node=self.node_out(record), outputs=summaries))
        return record

    def bind(self, name: str, var: engine.Variable) -> None:
        """Make ``var`` the variable called ``name`` (undone if the savepoint fails)."""
        var.name = name
        self.variables[name] = var
        self._on_undo(lambda: self.variables.pop(name))

    def rename_to_version(self, name: str) -> str:
        """Move the variable called ``name`` to a versioned label (``h@1``), freeing the name."""
        before = dict(self.variables)
        var = self.variables.pop(name)
        version = 1
        while f"{name}@{version}" in self.variables:
            version += 1
        var.name = f"{name}@{version}"
        self.variables[var.name] = var
        self._on_undo(lambda: self._restore_names(before))
        self.announce(Renamed(old=name, new=var.name))
        return var.name

    def _restore_names(self, variables: dict[str, engine.Variable]) -> None:
        self.variables = variables
        for name, var in variables.items():
            var.name = name

    def _on_undo(self, step: Callable[[], Any]) -> None:
        if self._undo is not None:
            self._undo.append(step)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo everything done inside the block if it raises, so a failure changes nothing.

        Appends are undone by length; other changes register an undo step as they happen.
        Savepoints nest: an inner failure undoes only the inner block.
        """
        outermost = self._undo is None
        if outermost:
            self._undo = []
        nodes, history = len(self.context.nodes), len(self.history)
        pending, undo = len(self._pending), len(self._undo)
        try:
            yield
        except BaseException:
            while len(self.context.nodes) > nodes:
                self.context.nodes.pop().on_tape = False
            del self.history[history:]
            del self._pending[pending:]
            while len(self._undo) > undo:
                self._undo.pop()()
            raise
        finally:
            if outermost:
                self._undo = None

    def touch(self, variables: Iterable[engine.Variable], cause: str) -> None:
        """Note that ``variables`` changed in place (their values, not their names) by
        ``cause`` ("an optimizer step"): nodes that saved them can no longer backprop."""
        newest = len(self.history)
        for var in variables:
            self.touched[var] = newest
            var.mark_changed(cause)

    def is_stale(self, record: NodeRecord) -> bool:
        """Whether an input of ``record`` changed in place after it ran."""
        return any(
            self.touched.get(var, 0) >= record.id
            for var in record.inputs
            if isinstance(var, engine.Variable)
        )

    def index_records(self) -> None:
        """Find each record by its node again (after a snapshot is restored)."""
        self._record_by_node = weakref.WeakKeyDictionary(
            (record.node, record) for record in self.history if record.node is not None
        )

    def record_of(self, node: engine.Node) -> NodeRecord:
        """The history record of an engine node (a dict, as backprop asks once per step)."""
        return self._record_by_node[node]


def _param_at_fault(gate_class: type[engine.Gate], params: dict[str, Any]) -> str | None:
    """The one parameter that does not fit the gate's schema (unknown, missing or of the
    wrong kind), or None when the parameters fail only together."""
    schema = gate_class.params
    for key in schema.get("required", ()):
        if key not in params:
            return str(key)
    properties = schema.get("properties", {})
    for key, value in params.items():
        try:
            check_params(gate_class.name, {"properties": properties}, {key: value})
        except (TypeError, ValueError):
            return key
    return None


def gate_failed(request: GateApply, shapes: list[list[int]], error: Exception) -> ApiError:
    """The 422 for inputs a gate cannot take, as people read it: "matmul: W is 3×4 and v is
    3; the last axis of a must match the second-to-last axis of b: 4 ≠ 3"."""
    reason = getattr(error, "reason", str(error))
    return ApiError(
        422,
        "gate_failed",
        f"{request.gate}: {_described(request.inputs, shapes)}; {reason}",
        {"gate": request.gate, "inputs": request.inputs, "shapes": shapes},
    )


def _described(inputs: list[str | float], shapes: list[list[int]]) -> str:
    """ "W is 3×4, v is 3 and 2.0 is a number"."""
    parts = [
        f"{name} is {'×'.join(map(str, shape)) or 'a scalar'}"
        if isinstance(name, str)
        else f"{name!r} is a number"
        for name, shape in zip(inputs, shapes, strict=False)
    ]
    if len(parts) < 2:
        return parts[0] if parts else "no inputs"
    return ", ".join(parts[:-1]) + " and " + parts[-1]
