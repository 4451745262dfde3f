"""A plan carried out in a workspace: its leaves created, then its gates applied in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wengert_client.tracing.plan import Operand, Out, Plan

if TYPE_CHECKING:
    from wengert_client.variable import Variable
    from wengert_client.workspace import Workspace


def build(ws: Workspace, plan: Plan) -> list[Variable]:
    """Create the plan's leaves and apply its gates; the outputs, in order. A leaf whose
    name is taken is refused (ValueError) before anything is created."""
    taken = {var["name"] for var in ws.state()["variables"]} & set(plan.leaves)
    if taken:
        raise ValueError(f"the workspace already has {sorted(taken)}; nothing was created")
    for leaf in plan.leaves.values():
        dtype = str(leaf.value.dtype) if leaf.value.dtype.kind == "f" else None
        ws.variable(leaf.name, leaf.value, leaf.requires_grad, dtype=dtype)
    made: list[str] = []

    def name_of(operand: Operand) -> str | float:
        return made[operand.index] if isinstance(operand, Out) else operand

    for gate in plan.gates:
        inputs = [name_of(item) for item in gate.inputs]
        made.append(ws.gate(gate.gate, *inputs, group=gate.group, **gate.params).name)
    return [ws[str(name_of(out))] for out in plan.outputs]
