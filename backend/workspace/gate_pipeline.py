"""Applying a gate in a workspace, in one call: the gate built and its inputs found once,
its cost planned before any work, then run, checked, named and recorded.

The REST route, the expression language, an import's "run again", the gate preview and the
route's cost estimate all come through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

import engine
from backend.errors import GateRefused, Invalid, Part, Role, TapeFull, TooLarge
from backend.event_payloads import NodeRecorded
from backend.workspace.costs import gate_cost, input_specs
from backend.workspace.deadlines import check_budget as check_work_budget
from backend.workspace.diagnostics import anomaly_out
from backend.workspace.parts import WorkspaceParts
from backend.workspace.tensors import extent
from backend.workspace.views import NodeRecord
from engine.params import check_params
from engine.shapes import GateCost, TensorSpec

Input = str | float | engine.Variable
"""A gate input as callers give it: a variable's name, a number, or the variable itself."""


class Planned(NamedTuple):
    """A gate built for its inputs, with what it would make and need, before any work."""

    gate: engine.Gate
    inputs: list[engine.Variable | float]
    specs: list[TensorSpec]
    cost: GateCost


class Applied(NamedTuple):
    """What ``apply`` did: the plan, and (unless a dry run) the outputs, their names and
    the node recorded in the history."""

    planned: Planned
    outputs: list[engine.Variable]
    names: list[str]
    record: NodeRecord | None


class GateRun(NamedTuple):
    """What running a gate made: its outputs, and the NaN or infinity it made, if any."""

    outputs: list[engine.Variable]
    anomaly: engine.Anomaly | None


class GatePipeline(WorkspaceParts):
    """The gate pipeline of the Workspace."""

    def apply(
        self,
        gate: str,
        inputs: Sequence[Input],
        params: dict[str, Any],
        *,
        names: str | Sequence[str] | None = None,
        on_tape: bool | None = None,
        dry_run: bool = False,
        group: str | None = None,
        allow_nonfinite: bool = False,
        single_output: bool = False,
        version_taken: bool = False,
    ) -> Applied:
        """Apply the catalog gate ``gate`` with ``params`` to ``inputs`` and name its outputs
        ``names`` (generated when None); the caller holds the lock.

        ``on_tape``: record the node on the tape (True) or not (False) whatever the
        workspace's no-grad mode says (None follows it). ``dry_run``: only plan, refused as
        the application would be, recording nothing. ``single_output``: refuse a gate with
        several outputs. ``version_taken``: a variable holding a wanted name moves to a
        versioned label (``h@1``), as the console's ``h = …`` does, instead of a 409.
        A failure changes nothing; a large application run under a heavy-work budget stops,
        undone, when the budget says so.
        """
        if dry_run:
            planned = self.planned(gate, inputs, params, single_output=single_output)
            self._check_plan(planned)
            return Applied(planned, [], [], None)
        check_work_budget()  # its client may have left while it waited for a slot
        built, found = self._found(gate, inputs, params, single_output)
        self.check_tape_room()
        with self.savepoint():
            planned = self._costed(built, found, params)
            run = self._run(planned, on_tape)
            # NumPy cannot be stopped mid-gate: once it is done, a result nobody waits for or
            # that came too late is undone rather than recorded.
            check_work_budget()
            self._check_results(gate, found, run, allow_nonfinite)
            if version_taken:
                self._version_taken(names)
            chosen = self.output_names(gate, names, len(run.outputs))
            record = self._record(gate, params, group, found, chosen, run)
        return Applied(planned, run.outputs, chosen, record)

    def planned(
        self,
        gate: str,
        inputs: Sequence[Input],
        params: dict[str, Any],
        *,
        single_output: bool = False,
    ) -> Planned:
        """The gate built, its inputs found (a 422 names the unknown one) and its cost known
        from their shapes alone; nothing is checked against the limits yet."""
        return self._costed(*self._found(gate, inputs, params, single_output), params)

    def _found(
        self, gate: str, inputs: Sequence[Input], params: dict[str, Any], single_output: bool
    ) -> tuple[engine.Gate, list[engine.Variable | float]]:
        built = self.make_gate(gate, params)
        if single_output and built.multi_output:
            message = f"{gate} has several outputs; apply it with the gate form"
            raise Invalid("multi_output", message)
        found = [
            self.variable(item, Part(Role.GATE_INPUT, i)) if isinstance(item, str) else item
            for i, item in enumerate(inputs)
        ]
        return built, found

    def _costed(
        self, built: engine.Gate, found: list[engine.Variable | float], params: dict[str, Any]
    ) -> Planned:
        specs = input_specs(found)
        try:
            cost = gate_cost(built, params, specs)
        except (TypeError, ValueError) as exc:
            shapes = [list(spec.shape) for spec in specs]
            raise gate_failed(built.name, _labels(found), shapes, exc) from exc
        return Planned(built, found, specs, cost)

    def make_gate(self, name: str, params: dict[str, Any]) -> engine.Gate:
        """The gate ``name`` with ``params``: a 422 naming the part at fault when there is no
        such gate (the body names it, not the path) or the params do not fit it."""
        gate_class = engine.REGISTRY.get(name)
        if gate_class is None:
            message = f"no gate named {name!r}; see GET /api/gates"
            raise Invalid("unknown_gate", message, {"field": Part(Role.GATE), "name": name})
        try:
            return gate_class(**params)
        except (TypeError, ValueError) as exc:
            detail: dict[str, Any] = {"gate": name, "params": params}
            culprit = _param_at_fault(gate_class, params)
            if culprit is not None:
                detail["field"] = Part(Role.GATE_PARAM, culprit)
            raise Invalid("invalid_params", str(exc), detail) from exc

    def check_tape_room(self) -> None:
        """A 413 when the tape holds as many nodes as it may."""
        if len(self.context.nodes) >= self.settings.max_tape_length:
            raise TapeFull(self.settings.max_tape_length)

    def _check_plan(self, planned: Planned) -> None:
        """Refuse (413) what would make too many or too large outputs or go past a memory
        budget, before any work."""
        name = planned.gate.name
        shapes = [list(spec.shape) for spec in planned.specs]
        cost, limit = planned.cost, self.settings.max_tensor_elements
        if len(cost.outputs) > self.settings.max_variables:
            raise TooLarge(
                "too_many_variables",
                f"{name} of shapes {shapes} would make {len(cost.outputs)} outputs; "
                f"a workspace holds at most {self.settings.max_variables} variables",
            )
        biggest = max((extent(spec.shape) for spec in cost.outputs), default=0)
        if biggest > limit:
            raise TooLarge(
                "tensor_too_large",
                f"{name} of shapes {shapes} would produce {biggest:,} elements; "
                f"the limit is {limit:,}",
                {"gate": name, "shapes": shapes, "elements": biggest, "limit": limit},
            )
        self.check_memory_for(cost.bytes, f"{name} of shapes {shapes}")

    def _run(self, planned: Planned, on_tape: bool | None) -> GateRun:
        """Run the planned gate, watching for the NaN or infinity it may make."""
        self._check_plan(planned)
        inputs = planned.inputs
        no_grad = self.context.no_grad
        if on_tape is not None:
            self.context.no_grad = not on_tape
        try:
            with engine.detect_anomaly(self.context) as found:
                result = planned.gate(*inputs)
        except (TypeError, ValueError, IndexError) as exc:
            shapes = [list(np.shape(getattr(v, "value", v))) for v in inputs]
            raise gate_failed(planned.gate.name, _labels(inputs), shapes, exc) from exc
        finally:
            self.context.no_grad = no_grad
        self.note_allocated(planned.cost.bytes)
        return GateRun(result if isinstance(result, list) else [result], found.forward)

    def _check_results(
        self, gate: str, inputs: list[engine.Variable | float], run: GateRun, allow_nonfinite: bool
    ) -> None:
        """Refuse results over the size limit, and non-finite ones unless allowed."""
        outputs = run.outputs
        if any(extent(out.value.shape) > self.settings.max_tensor_elements for out in outputs):
            raise TooLarge(
                "tensor_too_large",
                f"{gate} would produce more than {self.settings.max_tensor_elements} elements",
            )
        if not allow_nonfinite and not all(np.isfinite(o.value).all() for o in outputs):
            born = f" ({run.anomaly.explanation})" if run.anomaly else ""
            raise Invalid(
                "non_finite",
                f"{gate} of {_labels(inputs)} gives NaN or infinity{born}; "
                'tick "Keep NaN and ∞" in the console or the gate form (allow_nonfinite) '
                "to keep it",
            )

    def _version_taken(self, names: str | Sequence[str] | None) -> None:
        wanted = [names] if isinstance(names, str) else list(names or ())
        for name in wanted:
            if name in self.variables:
                self.rename_to_version(name)

    def _record(
        self,
        gate: str,
        params: dict[str, Any],
        group: str | None,
        inputs: list[engine.Variable | float],
        names: list[str],
        run: GateRun,
    ) -> NodeRecord:
        """Name the outputs of an applied gate and add its node to the history."""
        outputs = run.outputs
        record = NodeRecord(
            len(self.history) + 1, gate, inputs, outputs, params, outputs[0].creator
        )
        for name, var in zip(names, outputs, strict=True):
            self.bind(name, var)
            self.produced_by[var] = record.id
            self._on_undo(lambda var=var: self.produced_by.pop(var))
        record.anomaly = anomaly_out(run.anomaly, record.id, outputs)
        record.group = group
        self.index_record(record)
        self.history.append(record)
        summaries = [self.variable_summary(v) for v in outputs]
        self.announce(NodeRecorded(node=self.node_out(record), outputs=summaries))
        return record


def _labels(inputs: Sequence[engine.Variable | float]) -> list[str | float]:
    """The inputs as a request names them: variables by name, numbers as they are."""
    return [v.name if isinstance(v, engine.Variable) else v for v in inputs]


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


def gate_failed(
    gate: str, inputs: list[str | float], shapes: list[list[int]], error: Exception
) -> GateRefused:
    """The refusal of inputs a gate cannot take, as people read it: "matmul: W is 3×4 and v is
    3; the last axis of a must match the second-to-last axis of b: 4 ≠ 3"."""
    reason = getattr(error, "reason", str(error))
    return GateRefused(f"{gate}: {_described(inputs, shapes)}; {reason}", gate, inputs, shapes)


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
