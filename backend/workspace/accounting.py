"""A workspace's memory accounting: what it holds, counted exactly now and then and bounded
in between, reported to the server's total and checked against both budgets."""

from __future__ import annotations

from backend.errors import TooLarge
from backend.workspace.memory import check_budget, held_bytes
from backend.workspace.parts import WorkspaceParts


class MemoryAccounting(WorkspaceParts):
    """How the Workspace counts the bytes it holds."""

    def recount(self) -> int:
        """Count exactly what the workspace holds (it takes a while on a long tape)."""
        self.held = held_bytes(self)
        self._report_memory()
        return self.held

    def note_allocated(self, nbytes: int) -> None:
        """An operation made arrays of about ``nbytes``: an upper bound until recount()."""
        self.held += nbytes

    def check_memory_for(self, nbytes: int, what: str) -> None:
        """Refuse (413) work that would take the workspace or server past its budget."""
        if self.server_memory is None:
            return
        try:
            check_budget(self, nbytes, what)
        except TooLarge:
            self.recount()  # the running count is an upper bound: be sure before refusing
            check_budget(self, nbytes, what)

    def _report_memory(self) -> None:
        if self.server_memory is not None:
            self.server_memory.report(self.id, self.held)
