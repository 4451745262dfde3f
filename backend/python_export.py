"""Export a workspace as a runnable Python script that rebuilds it with the engine API.

The journal is replayed on a private workspace, and each operation is written out from
the events it produced, so the script makes exactly the variables and nodes the
workspace made, under the same names.
"""

from __future__ import annotations

import keyword
from typing import Any

from backend.events import Event
from backend.operations import OPERATIONS, perform
from backend.store import Operation
from backend.tensors import encode
from backend.workspaces import Workspace

RESERVED = {"ctx", "np", "engine", "gate", "optimizers", "Adam", "SGD", "json", "variables"}

HEADER = '''"""Rebuilds the Wengert workspace {id} with the engine API.

Run it from a checkout of Wengert (or with the engine installed): python {id}.py
"""

import json

import numpy as np

import engine
from engine.optim import SGD, Adam

ctx = engine.Context()
optimizers = {{}}


def gate(name, *inputs, **params):
    """Apply the catalog gate ``name`` to ``inputs``, as the workspace did."""
    return engine.REGISTRY[name](**params)(*inputs)

'''

FOOTER = """

def as_json(v):
    grad = None if v.grad is None else v.grad.tolist()
    return {{"value": v.value.tolist(), "grad": grad}}


if __name__ == "__main__":
    print(json.dumps({{v.name: as_json(v) for v in [{names}]}}))
"""


def identifier(name: str) -> str:
    """A Python identifier for a variable name (``h@1`` → ``h_v1``, ``lambda`` → ``lambda_``)."""
    ident = name.replace("@", "_v")
    return ident + "_" if keyword.iskeyword(ident) or ident in RESERVED else ident


def python_script(ws_id: str, operations: list[Operation], shadow: Workspace) -> str:
    """The script for ``operations``, replayed on ``shadow`` (an empty, unjournaled workspace)."""
    lines = [HEADER.format(id=ws_id)]
    for operation in operations:
        before = shadow.events.last_seq
        request = OPERATIONS[operation.kind].request.model_validate(operation.body)
        perform(shadow, operation.kind, request)
        events = shadow.events.missed_since(before) or []
        if operation.kind.startswith("training_"):
            lines += _training_lines(operation.kind, shadow)
        else:
            lines += _lines_for(operation.kind, operation.body, events, shadow)
    names = ", ".join(identifier(name) for name in shadow.variables)
    lines.append(FOOTER.format(names=names))
    return "\n".join(lines)


def _lines_for(
    kind: str, body: dict[str, Any], events: list[Event], shadow: Workspace
) -> list[str]:
    if kind == "backprop":
        seed = "" if body.get("seed") is None else f"np.array({_literal(body['seed'])})"
        return [f"{identifier(body['variable'])}.backprop({seed})"]
    if kind == "set_no_grad":
        return [f"ctx.no_grad = {body['enabled']}"]
    if kind == "optimizer_step":
        return _optimizer_lines(body)
    lines = []
    for event in events:
        lines += _event_lines(event, shadow)
    return lines


def _training_lines(kind: str, shadow: Workspace) -> list[str]:
    """The training run's weights as they stand after ``kind``: made, or overwritten."""
    lines = [f"# {kind.replace('_', ' ')}: the weights of the training run"]
    for var in shadow.training.variables.values():
        value = f"np.array({_literal(var.value.tolist())})"
        if kind == "training_configure":
            lines.append(
                f"{identifier(var.name)} = ctx.variable({value}, requires_grad=True, "
                f"name={var.name!r})"
            )
        else:
            lines.append(f"{identifier(var.name)}.value[...] = {value}")
    return lines


def _event_lines(event: Event, shadow: Workspace) -> list[str]:
    data = event.data
    if event.type == "variable_created":
        # Events carry only a preview of large values; the replayed variable has them all.
        var = shadow.variables[data["variable"]["name"]]
        value = _literal(encode(var.value))
        return [
            f"{identifier(var.name)} = ctx.variable(np.array({value}), "
            f"requires_grad={var.requires_grad}, name={var.name!r}, dtype=np.{var.dtype})"
        ]
    if event.type == "renamed":
        new = identifier(data["new"])
        return [f"{new} = {identifier(data['old'])}", f"{new}.name = {data['new']!r}"]
    if event.type == "node_recorded":
        return _gate_lines(data["node"])
    if event.type == "zero_grad":
        return [f"{identifier(name)}.zero_grad()" for name in data["variables"]]
    return []


def _gate_lines(node: dict[str, Any]) -> list[str]:
    inputs = [identifier(i) if isinstance(i, str) else repr(float(i)) for i in node["inputs"]]
    params = [f"{key}={_literal(value)}" for key, value in node["params"].items()]
    call = f"gate({', '.join([repr(node['gate']), *inputs, *params])})"
    outputs = [identifier(name) for name in node["outputs"]]
    target = outputs[0] if len(outputs) == 1 else ", ".join(outputs)
    if len(outputs) > 1:
        call = f"list({call})"
    names = [
        f"{ident}.name = {name!r}" for ident, name in zip(outputs, node["outputs"], strict=True)
    ]
    return [f"{target} = {call}", *names]


def _optimizer_lines(body: dict[str, Any]) -> list[str]:
    key = f"{body['optimizer']}:{','.join(body['params'])}"
    params = "[" + ", ".join(identifier(p) for p in body["params"]) + "]"
    if body["optimizer"] == "adam":
        betas = f"({body['beta1']!r}, {body['beta2']!r})"
        make = f"Adam({params}, {body['lr']!r}, {betas}, {body['eps']!r})"
    else:
        momentum = body["momentum"] if body["optimizer"] == "momentum" else 0.0
        make = f"SGD({params}, {body['lr']!r}, {momentum!r})"
    return [
        f"optimizer = optimizers.setdefault({key!r}, {make})",
        f"optimizer.lr = {body['lr']!r}",
        "optimizer.step()",
    ]


def _literal(value: Any) -> str:
    """Python source for a JSON value, with "nan", "inf" and "-inf" as NumPy constants."""
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if value in ("nan", "inf", "-inf"):
        return {"nan": "np.nan", "inf": "np.inf", "-inf": "-np.inf"}[value]
    return repr(value)
