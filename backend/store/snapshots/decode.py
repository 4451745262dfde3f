"""A workspace's state from a format-2 document, built through the engine's API and its gate
registry: nothing in the document names a class or a module."""

from __future__ import annotations

from typing import Any

import numpy as np

import engine
from backend.schemas import AnomalyOut
from backend.store.snapshots.encode import VARIABLE_DEFAULTS
from backend.store.snapshots.run_book import read_book
from backend.store.snapshots.values import decode_fields
from backend.training.job import TrainingRun
from backend.training.schemas import HistoryEntry, TrainingConfig
from backend.training.trainer import Trainer
from backend.workspace.views import NodeRecord
from engine.gate import rebuild
from engine.optim import SGD, Adam, Optimizer
from engine.tape import Node, Payload, PayloadKind


class GraphReader:
    """The contexts, variables and nodes of a document, made in that order and then linked."""

    def __init__(self, document: dict[str, Any], arrays: list[np.ndarray]) -> None:
        self.arrays = arrays
        self.contexts = [_context(entry) for entry in document["contexts"]]
        self.variables = [self._variable(entry) for entry in document["variables"]]
        self.nodes = [self._node(entry) for entry in document["nodes"]]
        for entry, var in zip(document["variables"], self.variables, strict=True):
            if entry.get("creator") is not None:
                var.creator = self.nodes[entry["creator"]]
        for entry, ctx in zip(document["contexts"], self.contexts, strict=True):
            ctx.nodes = [self.nodes[index] for index in entry["nodes"]]

    def _variable(self, entry: dict[str, Any]) -> engine.Variable:
        var = engine.Variable.__new__(engine.Variable)
        fields = {**VARIABLE_DEFAULTS, **entry}
        context, grad = fields["context"], fields["grad"]
        fields["context"] = None if context is None else self.contexts[context]
        fields["creator"] = None  # linked once every node exists
        fields["value"] = self.arrays[fields["value"]]
        fields["grad"] = None if grad is None else self.arrays[grad]
        var.__setstate__(fields)  # the engine's own way back from a Variable's fields
        return var

    def _node(self, entry: dict[str, Any]) -> Node:
        gate = rebuild(entry["gate"], decode_fields(entry["state"], self.arrays))
        variables = self.variables
        outputs = [variables[index] for index in entry["outputs"]]
        if entry.get("sequence", False):
            payload = Payload(PayloadKind.SEQ, sequence=outputs)
        else:
            (output,) = outputs
            payload = Payload(PayloadKind.VAR, output)
        parents = [variables[index] for index in entry["parents"]]
        return Node(gate, parents, payload, entry.get("on_tape", True))


def state_of(document: dict[str, Any], arrays: list[np.ndarray]) -> dict[str, Any]:
    """The workspace's parts (``Workspace.STATE``) that ``document`` holds."""
    graph = GraphReader(document, arrays)
    part = document["workspace"]
    variables = graph.variables
    return {
        "context": graph.contexts[part["context"]],
        "variables": {name: variables[index] for name, index in part["variables"]},
        "history": [_record(graph, entry) for entry in part["history"]],
        "produced_by": {variables[index]: n for index, n in part["produced_by"]},
        "touched": {variables[index]: n for index, n in part["touched"]},
        "optimizers": {o["key"]: _optimizer(graph, o) for o in part["optimizers"]},
        "training": None if part["training"] is None else _trainer(graph, part["training"]),
        "last_backprop_root": part["last_backprop_root"],
        "backward_anomaly": _anomaly(part["backward_anomaly"]),
    }


def _context(entry: dict[str, Any]) -> engine.Context:
    ctx = engine.Context()
    ctx.no_grad, ctx.changes = bool(entry["no_grad"]), int(entry["changes"])
    return ctx


def _record(graph: GraphReader, entry: dict[str, Any]) -> NodeRecord:
    variables = graph.variables
    inputs = [item["number"] if type(item) is dict else variables[item] for item in entry["inputs"]]
    node = entry["node"]
    return NodeRecord(
        entry["id"],
        entry["gate"],
        inputs,
        [variables[index] for index in entry["outputs"]],
        entry.get("params", {}),
        None if node is None else graph.nodes[node],
        _anomaly(entry.get("anomaly")),
        entry.get("group"),
    )


def _optimizer(graph: GraphReader, entry: dict[str, Any]) -> Optimizer:
    params = [graph.variables[index] for index in entry["params"]]
    settings = entry["settings"]
    if entry["kind"] == "adam":
        optimizer: Optimizer = Adam(
            params, settings["lr"], tuple(settings["betas"]), settings["eps"]
        )
    elif entry["kind"] == "sgd":
        optimizer = SGD(params, settings["lr"], settings["momentum"])
    else:
        raise ValueError(f"unknown optimizer {entry['kind']!r}")
    state = {"steps": np.array(entry["steps"])}
    for name, indexes in entry["buffers"].items():
        state.update({f"{name}.{i}": graph.arrays[index] for i, index in enumerate(indexes)})
    optimizer.load_state_dict(state)
    return optimizer


def _trainer(graph: GraphReader, entry: dict[str, Any]) -> Trainer:
    config = TrainingConfig.model_validate(entry["config"])
    run = TrainingRun(config, graph.arrays[entry["user_points"]])
    run.model.context = graph.contexts[entry["model_context"]]
    run.model.parameters = {name: graph.variables[index] for name, index in entry["parameters"]}
    run.optimizer = _optimizer(graph, entry["optimizer"])
    run.state, run.epoch, run.step, run.offset = (
        entry["state"],
        entry["epoch"],
        entry["step"],
        entry["offset"],
    )
    run.history = [HistoryEntry.model_validate(item) for item in entry["history"]]
    run.last_graph = entry["last_graph"]
    trainer = Trainer.__new__(Trainer)
    variables = {name: graph.variables[index] for name, index in entry["variables"]}
    state = {"run": run, "variables": variables}
    if "runs" in entry:  # snapshots written before runs had timelines get a fresh book
        state["runs"] = read_book(entry["runs"], graph.arrays)
    trainer.__setstate__(state)
    return trainer


def _anomaly(entry: dict[str, Any] | None) -> AnomalyOut | None:
    return None if entry is None else AnomalyOut.model_validate(entry)
