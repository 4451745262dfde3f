"""The workspace's graph as plain data: what a picture shows, read once under its lock.

Nodes and edges follow the page's drawing (frontend/src/graph/buildGraph.ts): a card per
variable, a pill per applied gate, a chip per number typed as a gate's input, an edge per
input (duplicates kept, so ``x * x`` has two) and per output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

import engine
from backend.workspace.views import NodeRecord, shown_grad
from backend.workspace.workspace import Workspace

Role = Literal["param", "computed", "const"]
Kind = Literal["variable", "gate", "constant", "group"]


@dataclass
class PictureNode:
    """One box of the picture: its text lines, how it looks, and the module group it is in."""

    id: str
    kind: Kind
    title: str
    lines: list[str] = field(default_factory=list)
    role: Role | None = None
    live: bool = True
    anomaly: bool = False
    group: str | None = None


@dataclass(frozen=True)
class PictureEdge:
    """An arrow from ``source`` to input ``port`` of ``target`` (0 for cards)."""

    source: str
    target: str
    port: int = 0
    live: bool = True


@dataclass
class PictureGraph:
    """Nodes in the page's order and the edges between them."""

    nodes: list[PictureNode]
    edges: list[PictureEdge]


Include = frozenset[Literal["values", "grads"]]


def graph_of(ws: Workspace, include: Include) -> PictureGraph:
    """The graph of ``ws`` as the page draws it, with values and gradients as ``include`` says."""
    with ws.lock:
        flagged = {a.variable for a in ws.anomalies() if a.variable is not None}
        anomalous = {a.node for a in ws.anomalies() if a.node is not None}
        groups = {r.id: r.group for r in ws.history}
        nodes = [
            _variable_node(name, var, ws.produced_by.get(var), groups, include, name in flagged)
            for name, var in ws.variables.items()
        ]
        edges: list[PictureEdge] = []
        for record in ws.history:
            nodes += _gate_nodes(record, record.id in anomalous)
            edges += _gate_edges(record, ws.variables)
    _group_leaves(nodes, edges)
    return PictureGraph(nodes, edges)


def _variable_node(
    name: str,
    var: engine.Variable,
    made_by: int | None,
    groups: dict[int, str | None],
    include: Include,
    anomaly: bool,
) -> PictureNode:
    role: Role = "computed" if made_by is not None else "param" if var.requires_grad else "const"
    lines = [f"{role} · {shape_text(var.shape)} · {var.dtype}"]
    if "values" in include:
        lines.append("value " + tensor_text(var.value))
    grad = shown_grad(var)
    if "grads" in include and grad is not None:
        lines.append("grad " + tensor_text(np.asarray(grad)))
    group = None if made_by is None else groups.get(made_by)
    return PictureNode(variable_id(name), "variable", name, lines, role, True, anomaly, group)


def _gate_nodes(record: NodeRecord, anomaly: bool) -> list[PictureNode]:
    group = record.group
    constants = [
        PictureNode(constant_id(record.id, i), "constant", scalar_text(np.asarray(value)))
        for i, value in enumerate(record.inputs)
        if not isinstance(value, engine.Variable)
    ]
    for constant in constants:
        constant.live, constant.group = record.on_tape, group
    gate = PictureNode(gate_id(record.id), "gate", record.gate, [f"#{record.id}"])
    gate.live, gate.anomaly, gate.group = record.on_tape, anomaly, group
    return [*constants, gate]


def _gate_edges(record: NodeRecord, variables: dict[str, engine.Variable]) -> list[PictureEdge]:
    gate, live = gate_id(record.id), record.on_tape
    edges = []
    for i, value in enumerate(record.inputs):
        if not isinstance(value, engine.Variable):
            edges.append(PictureEdge(constant_id(record.id, i), gate, i, live))
        elif value.name in variables:
            edges.append(PictureEdge(variable_id(value.name), gate, i, live))
    outputs = [out.name for out in record.outputs if out.name in variables]
    return edges + [PictureEdge(gate, variable_id(name), 0, live) for name in outputs]


def _group_leaves(nodes: list[PictureNode], edges: list[PictureEdge]) -> None:
    """A param every reader of which is in one group (``fc1_weight`` read only by ``fc1``)
    belongs to that group, so folding the module folds its parameters too; inputs and
    constants stay outside, where the data comes in."""
    groups_by_id = {n.id: n.group for n in nodes}
    readers: dict[str, set[str | None]] = {}
    for edge in edges:
        readers.setdefault(edge.source, set()).add(groups_by_id[edge.target])
    for node in nodes:
        found = readers.get(node.id, set())
        if node.role == "param" and len(found) == 1:
            node.group = next(iter(found))


def variable_id(name: str) -> str:
    """The id of a variable's card (the page's own ids)."""
    return f"var:{name}"


def gate_id(record_id: int) -> str:
    """The id of an applied gate's pill."""
    return f"gate:{record_id}"


def constant_id(record_id: int, index: int) -> str:
    """The id of the chip for the number typed as input ``index`` of a gate."""
    return f"const:{record_id}:{index}"


def shape_text(shape: tuple[int, ...]) -> str:
    """``2x3``, or ``scalar`` (a plain x: PNG's built-in font has no ×)."""
    return "x".join(str(n) for n in shape) if shape else "scalar"


def scalar_text(value: np.ndarray) -> str:
    """A number in full: the shortest text that reads back as the same value of its dtype."""
    return str(value.reshape(())[()])


def tensor_text(array: np.ndarray) -> str:
    """A scalar in full; a tensor as its shape and the min, max and mean of its elements."""
    if array.size == 1:
        return scalar_text(array)
    if array.size == 0:
        return f"[{shape_text(array.shape)}] empty"
    low, high, mean = (float(f(array)) for f in (np.min, np.max, np.mean))
    return f"[{shape_text(array.shape)}] min {low:.4g} max {high:.4g} mean {mean:.4g}"
