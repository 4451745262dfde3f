"""Memory budgets: the bytes a workspace holds, and the server's total across workspaces.

A workspace holds its variables' values and gradients, the arrays the nodes on its tape keep
for backward (their inputs, outputs and whatever each gate saved), and its optimizers'
state. Arrays are counted once each, by the memory they own (a view counts its base), so
a value shared by a variable and a node is not counted twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import numpy as np

from backend.errors import TooLarge


class Holder(Protocol):
    """What holds memory: a workspace's variables, tape, optimizers, count and budgets."""

    variables: dict[str, Any]
    context: Any
    optimizers: dict[str, Any]
    settings: Any
    held: int
    server_memory: ServerMemory | None


def held_bytes(ws: Holder) -> int:
    """The bytes of the distinct arrays ``ws`` keeps alive."""
    owners: dict[int, int] = {}
    for array in _arrays(ws):
        base = array
        while isinstance(base.base, np.ndarray):
            base = base.base
        owners[id(base)] = base.nbytes
    return sum(owners.values())


def _arrays(ws: Holder) -> Iterator[np.ndarray]:
    for var in ws.variables.values():
        yield var.value
        if var.raw_grad is not None:
            yield var.raw_grad
    for node in ws.context.nodes:
        for var in (*node.parents, *node.payload.outputs):
            yield var.value
        yield from _saved(vars(node.gate).values())
    for optimizer in ws.optimizers.values():
        yield from _saved(optimizer.state.values())


def _saved(values: Iterable[Any]) -> Iterator[np.ndarray]:
    """The arrays among a gate's attributes (or an optimizer's buffers), one level into lists."""
    for value in values:
        if isinstance(value, np.ndarray):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, np.ndarray))


class ServerMemory:
    """What every loaded workspace holds, as each last reported it, against the server's budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._held: dict[str, int] = {}
        self._lock = threading.Lock()

    def report(self, workspace_id: str, held: int) -> None:
        with self._lock:
            self._held[workspace_id] = held

    def forget(self, workspace_id: str) -> None:
        with self._lock:
            self._held.pop(workspace_id, None)

    def total(self) -> int:
        with self._lock:
            return sum(self._held.values())


HOLDING_ADVICE = "delete variables or run backprop to free some"


def check_budget(ws: Holder, more: int, what: str, advice: str = HOLDING_ADVICE) -> None:
    """Refuse work that would take ``ws`` or the server past its memory budget (413);
    ``advice`` tells the client what to do instead."""
    limit = ws.settings.max_workspace_bytes
    if ws.held + more > limit:
        raise TooLarge(
            "workspace_memory",
            f"{what} needs about {_mib(more)} and the workspace holds {_mib(ws.held)} "
            f"of its {_mib(limit)} budget; {advice}",
            {"needed": more, "held": ws.held, "limit": limit},
        )
    if ws.server_memory is not None:
        total, budget = ws.server_memory.total(), ws.server_memory.budget
        if total + more > budget:
            raise TooLarge(
                "server_memory",
                f"{what} needs about {_mib(more)} and the server holds {_mib(total)} "
                f"of its {_mib(budget)} budget; {advice}",
                {"needed": more, "held": total, "limit": budget},
            )


def _mib(count: int) -> str:
    return f"{count / 2**20:,.1f} MiB"
