"""Gradcheck a workspace variable by re-running the history that produced it on a private tape."""

from __future__ import annotations

from collections.abc import Callable

import engine
from backend.errors import Invalid, Part, Role, TooLarge
from backend.schemas import GradcheckEntry, GradcheckRequest, GradcheckResult
from backend.workspace.deadlines import check_budget
from backend.workspace.views import NodeRecord
from backend.workspace.workspace import Workspace


def gradcheck_variable(ws: Workspace, request: GradcheckRequest) -> GradcheckResult:
    """Analytic vs central-difference gradients of ``variable`` with respect to ``wrt``.

    Nothing in the workspace changes: not its gradients, not its tape.
    """
    with ws.lock:
        output = _output_name(ws, request)
        target = ws.variable(output, Part(Role.ROOT))
        wrt = [ws.variable(name, Part(Role.CHECKED_INPUT, i)) for i, name in enumerate(request.wrt)]
        _refuse_leaf_against_itself(ws, target, wrt, output)
        _check_size(ws, wrt)
        records = lineage(ws, target, set(wrt))
        function = rebuilt_function(records, target, wrt)
        results = engine.gradcheck(
            _stopping_when_told(function),
            [w.value for w in wrt],
            eps=request.eps,
            atol=request.tolerance,
            rtol=request.tolerance,
        )
    entries = {
        name: GradcheckEntry(
            max_abs_error=result.max_abs_error, max_rel_error=result.max_rel_error, ok=result.ok
        )
        for name, result in zip(request.wrt, results, strict=True)
    }
    return GradcheckResult(variable=output, results=entries)


def _stopping_when_told(function: Callable[..., engine.Variable]) -> Callable[..., engine.Variable]:
    """``function``, checking before each run (two per element) that its job may go on."""

    def checked(*inputs: engine.Variable) -> engine.Variable:
        check_budget()
        return function(*inputs)

    return checked


def _output_name(ws: Workspace, request: GradcheckRequest) -> str:
    if request.variable is not None:
        return request.variable
    if ws.last_backprop_root is None:
        raise Invalid(
            "gradcheck_without_output",
            "no backprop has run yet: name the output to differentiate in `variable`",
        )
    return ws.last_backprop_root


def _refuse_leaf_against_itself(
    ws: Workspace, target: engine.Variable, wrt: list[engine.Variable], output: str
) -> None:
    # Checking d a / d a of a leaf always matches and says nothing: the user wanted the
    # gradient some output sends to the leaf.
    if target in wrt and target not in ws.produced_by:
        raise Invalid(
            "gradcheck_of_a_leaf_against_itself",
            f"{output} is a leaf: d {output} / d {output} is 1 by definition; name the output"
            " to differentiate in `variable`, or omit it to use the root of the last backprop",
        )


def _check_size(ws: Workspace, wrt: list[engine.Variable]) -> None:
    elements = sum(w.value.size for w in wrt)
    limit = ws.settings.max_gradcheck_elements
    if elements > limit:
        raise TooLarge(
            "gradcheck_too_large",
            f"gradcheck perturbs every element twice; {elements} elements exceed the limit {limit}",
        )


def lineage(
    ws: Workspace, target: engine.Variable, stop_at: set[engine.Variable]
) -> list[NodeRecord]:
    """The history records that lead to ``target``, in the order they ran."""
    needed: set[int] = set()
    frontier = [target]
    while frontier:
        var = frontier.pop()
        record_id = ws.produced_by.get(var)
        if var in stop_at or record_id is None or record_id in needed:
            continue
        needed.add(record_id)
        record = ws.history[record_id - 1]  # ids count the history from 1
        frontier += [v for v in record.inputs if isinstance(v, engine.Variable)]
    return [ws.history[i - 1] for i in sorted(needed)]


def rebuilt_function(
    records: list[NodeRecord], target: engine.Variable, wrt: list[engine.Variable]
) -> Callable[..., engine.Variable]:
    """A function of fresh variables standing for ``wrt`` that recomputes ``target``."""

    def function(*inputs: engine.Variable) -> engine.Variable:
        ctx = inputs[0].context
        values: dict[engine.Variable, engine.Variable] = dict(zip(wrt, inputs, strict=True))

        def resolve(v: engine.Variable | float) -> engine.Variable | float:
            if not isinstance(v, engine.Variable):
                return v
            return values[v] if v in values else ctx.variable(v.value)

        for record in records:
            gate = engine.REGISTRY[record.gate](**record.params)
            result = gate(*[resolve(v) for v in record.inputs])
            outputs = result if isinstance(result, list) else [result]
            values.update(zip(record.outputs, outputs, strict=True))
        return resolve(target)

    return function
