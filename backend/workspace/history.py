"""A workspace's history records: found by their engine node, and stale once an input
changed in place after they ran."""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import engine
from backend.workspace.parts import WorkspaceParts
from backend.workspace.views import NodeRecord


class History(WorkspaceParts):
    """How the Workspace finds its records and knows which are stale."""

    def touch(self, variables: Iterable[engine.Variable], cause: str) -> None:
        """Note that ``variables`` changed in place (their values, not their names) by
        ``cause`` ("an optimizer step"): nodes that saved them can no longer backprop."""
        newest = len(self.history)
        for var in variables:
            self.touched[var] = newest
            var.mark_changed(cause)

    def is_stale(self, record: NodeRecord) -> bool:
        """Whether an input of ``record`` changed in place after it ran."""
        return any(
            self.touched.get(var, 0) >= record.id
            for var in record.inputs
            if isinstance(var, engine.Variable)
        )

    def index_record(self, record: NodeRecord) -> None:
        """Find ``record`` by its node from now on (undone if the savepoint fails)."""
        node = record.node
        if node is not None:
            self._record_by_node[node] = record
            self._on_undo(lambda: self._record_by_node.pop(node, None))

    def index_records(self) -> None:
        """Find each record by its node again (after a snapshot is restored)."""
        self._record_by_node = weakref.WeakKeyDictionary(
            (record.node, record) for record in self.history if record.node is not None
        )

    def record_of(self, node: engine.Node) -> NodeRecord:
        """The history record of an engine node (a dict, as backprop asks once per step)."""
        return self._record_by_node[node]
