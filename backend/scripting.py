"""Running an expression program in a workspace: each operation becomes a gate, all or nothing."""

from __future__ import annotations

import engine
from backend.errors import ApiError
from backend.expressions import ExpressionError, Operand, Step, Temp, compile_program
from backend.schemas import EvalRequest, EvalResult, GateApply, NodeOut
from backend.workspaces import Workspace


def catalog_arities() -> dict[str, int | None]:
    """Each registered gate's number of inputs, which the compiler checks calls against."""
    return {name: gate.arity for name, gate in engine.REGISTRY.items()}


def eval_source(ws: Workspace, request: EvalRequest) -> EvalResult:
    """Compile and run ``request.source``; an error names its line and column."""
    try:
        steps = compile_program(request.source, catalog_arities())
    except ExpressionError as exc:
        raise _located(422, "expression_error", exc.message, exc.line, exc.column) from exc
    nodes: list[NodeOut] = []
    assigned: dict[str, str] = {}
    outputs: list[engine.Variable] = []
    with ws.savepoint():
        for step in steps:
            try:
                out, node = _run_step(ws, step, outputs)
            except ApiError as exc:
                line, column = step.position_of(_field_of(exc))
                where = f"line {line}, column {column}: {exc.message}"
                raise _located(exc.status, exc.code, where, line, column) from exc
            outputs.append(out)
            nodes.append(node)
            if step.target is not None:
                assigned[step.target] = out.name or step.target
    return EvalResult(nodes=nodes, assigned=assigned)


def _run_step(
    ws: Workspace, step: Step, outputs: list[engine.Variable]
) -> tuple[engine.Variable, NodeOut]:
    request = GateApply(gate=step.gate, inputs=[], params=step.params)
    gate = ws.make_gate(step.gate, step.params)
    if gate.multi_output:
        raise ApiError(
            422, "multi_output", f"{step.gate} has several outputs; apply it with the gate form"
        )
    inputs = [_operand(ws, item, outputs, i) for i, item in enumerate(step.inputs)]
    request.inputs = [v.name if isinstance(v, engine.Variable) else v for v in inputs]
    ws.check_tape_room()
    result = ws.run_gate(gate, inputs, request)
    ws.check_results(request, result)
    if step.target is not None and step.target in ws.variables:
        ws.rename_to_version(step.target)
    name = step.target or ws.generated_name(step.gate)
    ws.check_room_for(1)
    record = ws.bind_outputs(request, inputs, [name], result)
    return result[0], record.out()


def _operand(
    ws: Workspace, item: Operand, outputs: list[engine.Variable], index: int
) -> engine.Variable | float:
    if isinstance(item, Temp):
        return outputs[item.index]
    if isinstance(item, str):
        return ws.variable(item, f"inputs.{index}")
    return item


def _field_of(error: ApiError) -> str | None:
    """The request field an error names in its detail ("inputs.1", "params.axis"), if any."""
    field = error.detail.get("field") if isinstance(error.detail, dict) else None
    return field if isinstance(field, str) else None


def _located(status: int, code: str, message: str, line: int, column: int) -> ApiError:
    return ApiError(status, code, message, {"line": line, "column": column})
