"""What a large answer (an export, a script, backprop's steps) costs to build, counted
toward the memory budgets before it is built.

These answers write every element of many tensors as JSON text. Building one holds each
element as a Python number in a list, the pydantic model around it and the encoded text at
once: far more than the 8 bytes the workspace holds for it. Counting that from element
counts alone, before anything is built, lets a too-large answer be refused with a 413 that
costs nothing, instead of taking the server's memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from backend.workspace.memory import check_budget

if TYPE_CHECKING:
    from backend.workspace.workspace import Workspace

BYTES_PER_ELEMENT = 150
"""Peak memory one tensor element costs while a JSON answer holding it is built: a Python
float and its list slot, its share of the encoded text, and the copies the response makes
(measured on an export and a script of 2 million float64 elements: 136 and 161 bytes
each, a test client holding the answer too)."""

EXPORT_ADVICE = (
    "read the variables one at a time (GET …/variables/{name}) or the state "
    "(GET …/workspaces/{id}, which summarises large tensors) instead"
)
BACKPROP_ADVICE = (
    "backprop from a smaller graph, or run the steps with the tape's player and read "
    "gradients by GET …/variables/{name}"
)


def check_export(ws: Workspace, what: str) -> None:
    """Refuse (413) an export or script of ``ws`` that would take a memory budget past its
    limit to build."""
    with ws.lock:  # a training loop may be changing the variables
        arrays = [var.value for var in ws.variables.values()]
        arrays += [var.raw_grad for var in ws.variables.values() if var.raw_grad is not None]
        for optimizer in ws.optimizers.values():
            arrays += [a for a in optimizer.state.values() if isinstance(a, np.ndarray)]
    _check(ws, arrays, what, EXPORT_ADVICE)


def check_backprop(ws: Workspace) -> None:
    """Refuse (413) a backprop whose answer (each step's gradients, every gradient after)
    would take a memory budget past its limit to build; nothing has changed yet."""
    arrays = []
    with ws.lock:  # a training loop may be changing the variables
        for node in ws.context.nodes:
            # Each step writes what it added to each parent and each parent's sum after it,
            # and the gradient flowing into its outputs.
            arrays += [parent.value for parent in node.parents] * 2
            arrays += [output.value for output in node.payload.outputs]
        arrays += [var.value for var in ws.variables.values() if var.requires_grad]
    _check(ws, arrays, "the backprop's answer", BACKPROP_ADVICE)


def _check(ws: Workspace, arrays: Iterable[np.ndarray], what: str, advice: str) -> None:
    elements = sum(array.size for array in arrays)
    check_budget(ws, elements * BYTES_PER_ELEMENT, what, advice)
