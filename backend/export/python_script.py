"""Export a workspace as a runnable Python script that rebuilds it with the engine API.

The script is written from the workspace's state document: its leaves with their values,
then every gate of the history in order (those no longer on the tape under no-grad mode,
so the script's tape holds what the workspace's does), then gradients and optimizers.
"""

from __future__ import annotations

import builtins
import keyword
from typing import Any

from backend.export.state_document import (
    ExportedNode,
    ExportedOptimizer,
    StateDocument,
    produced_names,
    trained_names,
)
from backend.workspace.deadlines import check_budget

RESERVED = {"ctx", "np", "engine", "gate", "optimizers", "Adam", "SGD", "json", "as_json"} | set(
    dir(builtins)
)
"""Names the script uses itself, and Python's builtins (a variable called ``list`` would
hide the one the script calls)."""

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


def is_dunder(name: str) -> bool:
    """Whether ``name`` is spelled like Python's own (``__builtins__``, ``__file__``): bound
    at a module's top level, such a name changes how the module runs, builtins or not."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class Identifiers:
    """One distinct Python identifier per variable name: ``h@1`` → ``h_v1``, ``lambda`` →
    ``lambda_``, and a number appended when that is taken (a variable called ``h_v1``) or
    would shadow a builtin or a dunder (``__builtins__`` → ``__builtins___2``)."""

    def __init__(self) -> None:
        self._by_name: dict[str, str] = {}
        self._taken = set(RESERVED)

    def __getitem__(self, name: str) -> str:
        ident = self._by_name.get(name)
        if ident is None:
            ident = self._fresh(name.replace("@", "_v"))
            self._by_name[name] = ident
            self._taken.add(ident)
        return ident

    def _fresh(self, base: str) -> str:
        if keyword.iskeyword(base):
            base += "_"
        ident, n = base, 1
        while ident in self._taken or is_dunder(ident):
            n += 1
            ident = f"{base}_{n}"
        return ident


def python_script(ws_id: str, document: StateDocument) -> str:
    """The script that rebuilds the workspace ``document`` describes."""
    names = Identifiers()
    for var in document.variables:
        names[var.name]  # the workspace's own names claim their identifiers first
    values = {var.name: var for var in document.variables}
    made_elsewhere = produced_names(document) | trained_names(document)
    lines = [HEADER.format(id=ws_id)]
    lines += [_leaf(names, var) for var in document.variables if var.name not in made_elsewhere]
    if document.training is not None:
        lines += _training_lines(names, document)
    for node in document.history:
        lines += _node_lines(names, node, values)
    lines += [
        f"{names[v.name]}.grad = np.array({python_literal(v.grad)})"
        for v in document.variables
        if v.grad is not None and v.requires_grad and v.name not in trained_names(document)
    ]
    for optimizer in document.optimizers:
        lines += _optimizer_lines(names, optimizer)
    if document.no_grad:
        lines.append("ctx.no_grad = True")
    everyone = ", ".join(names[v.name] for v in document.variables)
    lines.append(FOOTER.format(names=everyone))
    return "\n".join(lines)


def _leaf(names: Identifiers, var: Any) -> str:
    check_budget()  # writing out a large tensor takes long: stop when nobody waits
    return (
        f"{names[var.name]} = ctx.variable(np.array({python_literal(var.value)}), "
        f"requires_grad={var.requires_grad}, name={var.name!r}, dtype=np.{var.dtype})"
    )


def _training_lines(names: Identifiers, document: StateDocument) -> list[str]:
    """The training run's weights as they stand, as leaves (the script does not train)."""
    parameters = document.training.checkpoint.parameters
    lines = ["# the weights of the training run, as they stand"]
    for name, value in parameters.items():
        full = f"net_{name}"
        lines.append(
            f"{names[full]} = ctx.variable(np.array({python_literal(value)}), requires_grad=True, "
            f"name={full!r})"
        )
    return lines


def _node_lines(names: Identifiers, node: ExportedNode, values: dict[str, Any]) -> list[str]:
    inputs = [names[i] if isinstance(i, str) else repr(float(i)) for i in node.inputs]
    params = [f"{key}={python_literal(value)}" for key, value in node.params.items()]
    call = f"gate({', '.join([repr(node.gate), *inputs, *params])})"
    outputs = [names[name] for name in node.outputs]
    if len(outputs) > 1:
        call = f"list({call})"
    assignment = f"{', '.join(outputs)} = {call}"
    if node.on_tape:
        lines = [assignment]
    else:
        lines = [
            f"with engine.no_grad_mode(ctx):  # node {node.id}, off the tape",
            "    " + assignment,
        ]
    for ident, name in zip(outputs, node.outputs, strict=True):
        lines.append(f"{ident}.name = {name!r}")
        if node.stale:
            lines += [
                f"# an input changed in place after node {node.id} ran: its value then",
                f"{ident}.value[...] = np.array({python_literal(values[name].value)})",
            ]
        if values[name].requires_grad and not node.on_tape:
            lines.append(f"{ident}.requires_grad = True")
    return lines


def _optimizer_lines(names: Identifiers, optimizer: ExportedOptimizer) -> list[str]:
    s = optimizer.settings
    key = f"{s.optimizer}:{','.join(s.params)}"
    params = "[" + ", ".join(names[p] for p in s.params) + "]"
    if s.optimizer == "adam":
        make = f"Adam({params}, {s.lr!r}, ({s.beta1!r}, {s.beta2!r}), {s.eps!r})"
    else:
        momentum = s.momentum if s.optimizer == "momentum" else 0.0
        make = f"SGD({params}, {s.lr!r}, {momentum!r})"
    state = (
        "{"
        + ", ".join(f"{k!r}: np.array({python_literal(v)})" for k, v in optimizer.state.items())
        + "}"
    )
    return [f"optimizers[{key!r}] = {make}", f"optimizers[{key!r}].load_state_dict({state})"]


def python_literal(value: Any) -> str:
    """Python source for a JSON value, with "nan", "inf" and "-inf" as NumPy constants."""
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if value in ("nan", "inf", "-inf"):
        return {"nan": "np.nan", "inf": "np.inf", "-inf": "-np.inf"}[value]
    return repr(value)
