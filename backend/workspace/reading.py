"""What a workspace shows: its whole state, a variable, a node, its anomalies and health,
as the REST contract shows them."""

from __future__ import annotations

import engine
from backend.errors import Part, UnknownVariable, VariableNotFound
from backend.schemas import (
    AnomalyOut,
    HealthOut,
    NodeOut,
    StateVariable,
    VariableOut,
    VariableSummary,
    WorkspaceState,
)
from backend.workspace.diagnostics import health_out
from backend.workspace.parts import WorkspaceParts
from backend.workspace.views import NodeRecord, variable_in_state, variable_out, variable_summary


class ReadViews(WorkspaceParts):
    """How the Workspace is read."""

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

    def variable(self, name: str, part: Part | None = None) -> engine.Variable:
        """The variable with this name. One a ``part`` of an operation names (a gate's second
        input) that does not exist is a 422 `unknown_variable` naming that part, so a form can
        show it beside its field; without a part the name is the path's, and a 404 says the
        path names nothing."""
        try:
            return self.variables[name]
        except KeyError:
            if part is None:
                raise VariableNotFound(name) from None
            raise UnknownVariable(name, part) from None

    def variable_in_state(self, var: engine.Variable) -> StateVariable:
        """A variable as the state shows it: a large tensor as a preview."""
        health = health_out(var, self.made_by(var))
        limit = self.settings.state_tensor_elements
        return variable_in_state(var, self.produced_by.get(var), health, limit)

    def variable_out(self, var: engine.Variable, echo: bool = True) -> VariableOut:
        """A variable in full, with its health."""
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
        """A variable as an event names it: shape, dtype and what made it."""
        return variable_summary(var, self.produced_by.get(var))
