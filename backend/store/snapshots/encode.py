"""A workspace's state as a format-2 document: tables of contexts, variables and tape
nodes that refer to each other by index, the workspace's parts in terms of them, and the
arrays each once (``docs/snapshot-format.md`` describes every field)."""

from __future__ import annotations

from typing import Any

import engine
from backend.store.snapshots.run_book import BookWriter
from backend.store.snapshots.values import ArrayTable, encode_fields
from backend.workspace.views import NodeRecord
from backend.workspace.workspace import Workspace
from engine.optim import SGD, Adam, Optimizer
from engine.tape import PayloadKind

FORMAT = 2
VARIABLE_DEFAULTS: dict[str, Any] = {
    "grad": None,
    "owns_grad": False,
    "requires_grad": False,
    "name": None,
    "version": 0,
    "changed_by": None,
    "creator": None,
    "had_creator": False,
}
"""A variable's fields that are left out when they hold these values (most do)."""
OPTIMIZER_KINDS = {SGD: "sgd", Adam: "adam"}
"""Optimizers by the name the format gives them (never their class's)."""


class GraphWriter:
    """Gives every context, variable and node it meets an index, and writes each once."""

    def __init__(self) -> None:
        self.arrays = ArrayTable()
        self.contexts: list[dict[str, Any]] = []
        self.variables: list[dict[str, Any] | None] = []
        self.nodes: list[dict[str, Any] | None] = []
        self._context_index: dict[int, int] = {}
        self._variable_index: dict[int, int] = {}
        self._node_index: dict[int, int] = {}
        self._keep: list[Any] = []  # what the indexes refer to, so no id is reused
        self._unwritten: list[tuple[int, engine.Node]] = []

    def context(self, ctx: engine.Context | None) -> int | None:
        """The index of ``ctx``; its tape's nodes get theirs at once (written later)."""
        if ctx is None:
            return None
        index = self._context_index.get(id(ctx))
        if index is not None:
            return index
        index = self._context_index[id(ctx)] = len(self.contexts)
        self._keep.append(ctx)
        nodes = [self._node(node) for node in ctx.nodes]
        self.contexts.append({"no_grad": ctx.no_grad, "changes": ctx.changes, "nodes": nodes})
        return index

    def _node(self, node: engine.Node) -> int:
        index = self._node_index[id(node)] = len(self.nodes)
        self._keep.append(node)
        self.nodes.append(None)
        self._unwritten.append((index, node))
        return index

    def variable(self, var: engine.Variable) -> int:
        """The index of ``var``, written on first sight."""
        index = self._variable_index.get(id(var))
        if index is not None:
            return index
        index = self._variable_index[id(var)] = len(self.variables)
        self._keep.append(var)
        self.variables.append(None)
        state = var.__getstate__()  # the engine's own account of a Variable's fields
        context = self.context(state["context"])
        creator = state["creator"]
        node = None if creator is None else self._node_index.get(id(creator))
        fields = {
            "context": context,
            "value": self.arrays.ref(state["value"]),
            "grad": self.arrays.ref(state["grad"]),
            "owns_grad": state["owns_grad"],
            "requires_grad": state["requires_grad"],
            "name": state["name"],
            "version": state["version"],
            "changed_by": state["changed_by"],
            "creator": node,
            # Popped by backprop (or off every tape this snapshot holds): it had a creator.
            "had_creator": state["had_creator"] and node is None,
        }
        self.variables[index] = {
            key: value
            for key, value in fields.items()
            if key not in VARIABLE_DEFAULTS or value != VARIABLE_DEFAULTS[key]
        }
        return index

    def finish(self) -> None:
        """Write the nodes met so far (their variables may bring more)."""
        while self._unwritten:
            index, node = self._unwritten.pop()
            payload = node.payload
            entry = {
                "gate": _registered_name(node.gate),
                "state": encode_fields(node.gate.saved_state(), self.arrays),
                "parents": [self.variable(p) for p in node.parents],
                "outputs": [self.variable(v) for v in payload.outputs],
            }
            if payload.kind is PayloadKind.SEQ:
                entry["sequence"] = True
            if not node.on_tape:
                entry["on_tape"] = False
            self.nodes[index] = entry

    def node(self, node: engine.Node | None) -> int | None:
        """The index of a node on a tape written here; None for none (or one off every tape)."""
        return None if node is None else self._node_index.get(id(node))


def document_of(ws: Workspace) -> tuple[dict[str, Any], list]:
    """The format-2 document of ``ws`` (whose lock the caller holds) and its arrays."""
    graph = GraphWriter()
    workspace = {
        "context": graph.context(ws.context),
        "variables": [[name, graph.variable(v)] for name, v in ws.variables.items()],
        "history": [_record(graph, record) for record in ws.history],
        "produced_by": [[graph.variable(v), n] for v, n in ws.produced_by.items()],
        "touched": [[graph.variable(v), n] for v, n in ws.touched.items()],
        "optimizers": [_optimizer(graph, key, o) for key, o in ws.optimizers.items()],
        "training": None if ws.training is None else _training(graph, ws.training),
        "last_backprop_root": ws.last_backprop_root,
        "backward_anomaly": _model(ws.backward_anomaly),
    }
    graph.finish()
    document = {
        "format": FORMAT,
        "contexts": graph.contexts,
        "variables": graph.variables,
        "nodes": graph.nodes,
        "workspace": workspace,
    }
    return document, graph.arrays.arrays


def _registered_name(gate: engine.Gate) -> str:
    if engine.REGISTRY.get(gate.name) is not type(gate):
        raise TypeError(f"the gate {gate.display_name} is not in the registry")
    return gate.name


def _record(graph: GraphWriter, record: NodeRecord) -> dict[str, Any]:
    state = record.__getstate__()
    known = {"id", "gate", "inputs", "outputs", "params", "anomaly", "group", "node"}
    if set(state) != known:
        raise TypeError(f"a history record holds {sorted(state)}, the format {sorted(known)}")
    entry = {
        "id": record.id,
        "gate": record.gate,
        "inputs": [
            graph.variable(v) if isinstance(v, engine.Variable) else {"number": v}
            for v in record.inputs
        ],
        "outputs": [graph.variable(v) for v in record.outputs],
        "node": graph.node(record.node),
    }
    if record.params:
        entry["params"] = record.params
    if record.anomaly is not None:
        entry["anomaly"] = _model(record.anomaly)
    if record.group is not None:
        entry["group"] = record.group
    return entry


def _optimizer(graph: GraphWriter, key: str | None, optimizer: Optimizer) -> dict[str, Any]:
    kind = OPTIMIZER_KINDS[type(optimizer)]
    settings: dict[str, Any] = {"lr": optimizer.lr}
    if kind == "sgd":
        settings["momentum"] = optimizer.momentum
    else:
        settings.update(betas=list(optimizer.betas), eps=optimizer.eps)
    return {
        "key": key,
        "kind": kind,
        "params": [graph.variable(p) for p in optimizer.params],
        "settings": settings,
        "steps": optimizer.steps,
        "buffers": {
            name: [graph.arrays.ref(a) for a in arrays] for name, arrays in optimizer.state.items()
        },
    }


def _training(graph: GraphWriter, trainer: Any) -> dict[str, Any]:
    run = trainer.run
    return {
        "config": run.config.model_dump(mode="json"),
        "user_points": graph.arrays.ref(run.user_points),
        "variables": [[name, graph.variable(v)] for name, v in trainer.variables.items()],
        "model_context": graph.context(run.model.context),
        "parameters": [[name, graph.variable(v)] for name, v in run.model.parameters.items()],
        "optimizer": _optimizer(graph, None, run.optimizer),
        "state": run.state,
        "epoch": run.epoch,
        "step": run.step,
        "offset": run.offset,
        "history": [entry.model_dump(mode="json") for entry in run.history],
        "last_graph": run.last_graph,
        "runs": BookWriter(graph.arrays).book(trainer.runs),
    }


def _model(model: Any) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(mode="json")
