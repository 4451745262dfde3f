"""Running an expression program in a workspace: each operation becomes a gate or a leaf,
all or nothing."""

from __future__ import annotations

from pydantic import ValidationError

import engine
from backend.errors import Invalid, Part, Refused
from backend.schemas import (
    EvalRequest,
    EvalResult,
    NodeOut,
    VariableCreate,
    VariableInit,
)
from backend.workspace.expressions import (
    ExpressionError,
    Leaf,
    Step,
    Temp,
    compile_program,
)
from backend.workspace.leaves import create_variable
from backend.workspace.workspace import Workspace


def catalog_arities() -> dict[str, int | None]:
    """Each registered gate's number of inputs, which the compiler checks calls against."""
    return {name: gate.arity for name, gate in engine.REGISTRY.items()}


def eval_source(ws: Workspace, request: EvalRequest) -> EvalResult:
    """Compile and run ``request.source``; an error names its line and column."""
    try:
        steps = compile_program(request.source, catalog_arities())
    except ExpressionError as exc:
        where = {"line": exc.line, "column": exc.column}
        raise Invalid("expression_error", exc.message, where) from exc
    result = EvalResult(nodes=[], assigned={})
    outputs: list[engine.Variable] = []
    with ws.savepoint():
        for index, step in enumerate(steps):
            try:
                out = _run(ws, step, outputs, request, index, result)
            except Refused as exc:
                line, column = step.position_of(_part_of(exc))
                where = f"line {line}, column {column}: {exc.message}"
                raise exc.relocated(where, {"line": line, "column": column}) from exc
            outputs.append(out)
            if step.target is not None:
                result.assigned[step.target] = out.name or step.target
    return result


def _run(
    ws: Workspace,
    step: Step | Leaf,
    outputs: list[engine.Variable],
    request: EvalRequest,
    index: int,
    result: EvalResult,
) -> engine.Variable:
    """Run one step, noting what it recorded, created or kept in ``result``."""
    if isinstance(step, Step):
        out, node = _run_step(ws, step, outputs, request.allow_nonfinite)
        result.nodes.append(node)
        return out
    # A leaf made inside an expression is named as an unnamed gate output is ("randn3").
    name = step.target or ws.generated_name(step.init["kind"] if step.init else "const")
    existing = ws.variables.get(name)
    if existing is not None and request.again and ws.produced_by.get(existing) is None:
        result.kept.append(name)
        return existing
    result.created.append(name)
    return _create_leaf(ws, step, name, request.seed + index)


def _create_leaf(ws: Workspace, leaf: Leaf, name: str, seed: int) -> engine.Variable:
    """The leaf ``leaf`` describes, named ``name``, made as the variable form makes one; an
    existing variable of that name keeps its value under a new name."""
    try:
        init = None if leaf.init is None else VariableInit(**{"seed": seed % 2**31, **leaf.init})
        request = VariableCreate(
            name=name, value=leaf.value, init=init, requires_grad=leaf.requires_grad
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        raise Invalid("invalid_value", f"{name}: {problem['msg']}") from exc
    if name in ws.variables:
        ws.rename_to_version(name)
    create_variable(ws, request)
    return ws.variables[name]


def _run_step(
    ws: Workspace, step: Step, outputs: list[engine.Variable], allow_nonfinite: bool
) -> tuple[engine.Variable, NodeOut]:
    """Apply the step's gate; its target, when taken, moves to a versioned label first."""
    inputs = [outputs[item.index] if isinstance(item, Temp) else item for item in step.inputs]
    applied = ws.apply(
        step.gate,
        inputs,
        step.params,
        names=step.target,
        group=step.group,
        allow_nonfinite=allow_nonfinite,
        single_output=True,
        version_taken=True,
    )
    return applied.outputs[0], ws.node_out(applied.record)


def _part_of(error: Refused) -> Part | None:
    """The part of the step an error names in its detail (its second input), if any."""
    part = error.detail.get("field") if isinstance(error.detail, dict) else None
    return part if isinstance(part, Part) else None
