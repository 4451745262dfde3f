"""Export a workspace as a PyTorch script that checks its gradients.

The script rebuilds, with torch tensors, the part of the graph the last backprop ran
through: the leaves with their values, then each gate of that part as the torch
expression the gate declares (``Gate.torch``). It backprops from the same root with a seed of ones,
prints each leaf's gradient beside the workspace's, and exits non-zero when one differs by
more than ``TOLERANCE``. The workspace's gradients must come from that one backprop
(zero_grad before it), as PyTorch's would.
"""

from __future__ import annotations

from typing import Any

import engine
from backend.errors import Invalid
from backend.export.python_script import Identifiers, python_literal
from backend.export.state_document import ExportedNode, StateDocument

TOLERANCE = 1e-6

TORCH: dict[str, str] = {
    name: gate.torch for name, gate in engine.REGISTRY.items() if gate.torch is not None
}
"""Each catalog gate with a PyTorch counterpart, as the template the gate declares for it."""


HEADER = '''"""Rebuilds the Wengert workspace {id} with PyTorch, backprops from {root!r}
and compares each leaf's gradient with the workspace's; exits 1 when one differs by more than {tol}.

    pip install torch numpy && python {id}_torch.py
"""

import math
import sys

import numpy as np
import torch

TOLERANCE = {tol!r}


def leaf(value, requires_grad, dtype):
    return torch.tensor(value, dtype=getattr(torch, dtype), requires_grad=requires_grad)


def const(number):
    return torch.tensor(number, dtype=torch.float64)


def reduce(fn, a, axis, keepdims):
    dims = tuple(range(a.dim())) if axis is None else axis
    return fn(a, dim=dims, keepdim=keepdims) if a.dim() else a


def maximum(a, axis, keepdims):
    if axis is not None:
        return torch.max(a, dim=axis, keepdim=keepdims).values
    # Like the engine: the gradient goes to the first maximum only.
    top = a.reshape(-1).max(dim=0).values
    return top.reshape((1,) * a.dim()) if keepdims else top


def transpose(a, axes):
    return a.permute(*(reversed(range(a.dim())) if axes is None else axes))


def squeeze(a, axis):
    if axis is None:
        return torch.squeeze(a)
    return a.squeeze(tuple(axis) if isinstance(axis, list) else axis)


def index(spec):
    def entry(e):
        if isinstance(e, dict):
            return slice(e.get("start"), e.get("stop"), e.get("step"))
        if isinstance(e, list):
            return torch.tensor(e, dtype=torch.long)
        return Ellipsis if e == "..." else e

    return tuple(entry(e) for e in spec)


def batch(scores):
    return math.prod(scores.shape[:-1])


def pair(value):
    return tuple(value) if isinstance(value, list) else (value, value)

'''

FOOTER = """
{root}.backward(torch.ones_like({root}))

WORKSPACE = {{{expected}}}
LEAVES = {{{leaves}}}
failed = False
for name, tensor in LEAVES.items():
    ours = np.zeros(tuple(tensor.shape)) if tensor.grad is None else tensor.grad.double().numpy()
    theirs = np.asarray(WORKSPACE[name], dtype=np.float64)
    diff = float(np.max(np.abs(ours - theirs), initial=0.0))
    verdict = "ok" if diff <= TOLERANCE else "DIFFERS"
    failed = failed or not diff <= TOLERANCE
    print(f"{{name}}: torch {{ours.tolist()}}  workspace {{theirs.tolist()}}")
    print(f"  max |diff| {{diff:.3g}}  {{verdict}}")
print("gradients differ" if failed else "every gradient matches")
sys.exit(1 if failed else 0)
"""


SCRIPT_NAMES = {"torch", "math", "sys", "TOLERANCE", "WORKSPACE", "LEAVES", "failed", "name"}
SCRIPT_NAMES |= {"tensor", "ours", "theirs", "diff", "verdict", "leaf", "const", "reduce"}
SCRIPT_NAMES |= {"maximum", "transpose", "squeeze", "index", "batch", "pair"}
"""The names the script uses itself, beyond those the engine script reserves."""


class TorchIdentifiers(Identifiers):
    """Identifiers that keep clear of the torch script's own names too."""

    def __init__(self) -> None:
        super().__init__()
        self._taken |= SCRIPT_NAMES


def torch_script(ws_id: str, document: StateDocument, root: str | None) -> str:
    """The script that checks the gradients of the backprop from ``root``; a 422 when there
    was none, when a gate on the way has no torch counterpart, or was recorded before its
    inputs changed (its forward would not be the one backpropagated)."""
    if root is None or root not in {v.name for v in document.variables}:
        raise Invalid("nothing_to_compare", "backprop a variable first, then compare")
    nodes = _ancestry(document, root)
    names = TorchIdentifiers()
    for var in document.variables:
        names[var.name]  # the workspace's own names claim their identifiers first
    made = {name for node in nodes for name in node.outputs}
    used = {i for node in nodes for i in node.inputs if isinstance(i, str)} | {root}
    leaves = [v for v in document.variables if v.name in used - made]
    lines = [HEADER.format(id=ws_id, root=root, tol=TOLERANCE)]
    lines += [
        f"{names[v.name]} = leaf({python_literal(v.value)}, {v.requires_grad}, {v.dtype!r})"
        for v in leaves
    ]
    lines += [_node_line(names, node) for node in nodes]
    graded = [v for v in leaves if v.requires_grad]
    expected = ", ".join(f"{v.name!r}: {python_literal(v.grad)}" for v in graded)
    listed = ", ".join(f"{v.name!r}: {names[v.name]}" for v in graded)
    lines.append(FOOTER.format(root=names[root], expected=expected, leaves=listed))
    return "\n".join(lines)


def _ancestry(document: StateDocument, root: str) -> list[ExportedNode]:
    """The nodes ``root`` was computed through, in the order they ran."""
    maker = {name: node for node in document.history for name in node.outputs}
    needed: dict[int, ExportedNode] = {}
    todo = [root]
    while todo:
        node = maker.get(todo.pop())
        if node is not None and node.id not in needed:
            needed[node.id] = node
            todo += [i for i in node.inputs if isinstance(i, str)]
    return sorted(needed.values(), key=lambda node: node.id)


def _node_line(names: Identifiers, node: ExportedNode) -> str:
    template = TORCH.get(node.gate)
    if template is None:
        raise Invalid(
            "no_torch_mapping",
            f"the {node.gate} gate (node {node.id}) has no PyTorch counterpart to compare with",
            {"gate": node.gate, "node": node.id},
        )
    if node.stale:
        raise Invalid(
            "stale_node",
            f"an input of node {node.id} ({node.gate}) changed after it ran; run the forward "
            "pass again and backprop before comparing",
            {"node": node.id},
        )
    if node.gate == "getitem" and _steps_back(node.params["index"]):
        raise Invalid("no_torch_mapping", "PyTorch cannot slice with a negative step")
    inputs = [names[i] if isinstance(i, str) else f"const({float(i)!r})" for i in node.inputs]
    return f"{names[node.outputs[0]]} = {torch_expression(node.gate, inputs, node.params)}"


def torch_expression(gate: str, inputs: list[str], params: dict[str, Any]) -> str:
    """The torch counterpart of ``gate`` filled in with its inputs' expressions and its
    params; a param the gate was not given takes its schema default, as the engine's did."""
    properties = engine.REGISTRY[gate].params["properties"]
    defaults = {
        name: schema["default"] for name, schema in properties.items() if "default" in schema
    }
    return TORCH[gate].format(*inputs, inputs=", ".join(inputs), **{**defaults, **params})


def _steps_back(spec: list[Any]) -> bool:
    return any(isinstance(e, dict) and (e.get("step") or 1) < 0 for e in spec)
