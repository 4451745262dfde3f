"""A workspace's request lifecycle: an operation run under the lock, journaled and announced
when it succeeds, undone by a savepoint when it fails; deleted and damaged workspaces refused."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from pydantic import BaseModel

from backend.errors import Conflict, NotFound
from backend.event_payloads import EventPayload
from backend.store.interface import StoreUnavailable, StoreWriteFailed
from backend.workspace.parts import WorkspaceParts

logger = logging.getLogger("wengert.workspaces")


class Lifecycle(WorkspaceParts):
    """How the Workspace carries out, journals, announces and undoes operations."""

    def perform(
        self, kind: str, request: BaseModel, handler: Callable[..., Any], undoable: bool = False
    ) -> Any:
        """Run ``handler(self, request)`` under the lock; when it succeeds, journal the
        operation and publish its events. A handler validates before it changes anything.
        When the journal cannot be written, the change is undone: by a savepoint when the
        handler is ``undoable`` (all it changes registers an undo), else by reading the
        workspace back from the store."""
        with self.lock:
            self.check_not_deleted()
            self.check_not_damaged()
            self._restore_if_behind()
            self._pending = []
            with self.savepoint() if undoable else nullcontext():
                result = handler(self, request)
                self._journal(kind, request, undoable)
            for event in self._pending:
                self.events.publish(event.type, event.data())
            self._report_memory()
            return result

    def _journal(self, kind: str, request: BaseModel, undoable: bool) -> None:
        if self.journal is None:
            return
        try:
            self.journal.record(kind, request, self.events.last_seq + len(self._pending))
        except StoreWriteFailed:
            # The handler changed memory already: put back what the store holds, so the
            # client told "nothing changed" sees nothing changed, now and after a restart.
            self._pending = []
            if not undoable:  # else the savepoint around the handler undoes it
                self._behind_store = True
                self._restore_if_behind()
            raise

    def _restore_if_behind(self) -> None:
        """After a failed write, hold what the store holds again (tried until it can be read)."""
        if not self._behind_store:
            return
        try:
            self.journal.restore_durable()
        except Exception as error:  # the store cannot even be read: refuse until it can
            logger.warning("workspace %s cannot be read back from the store: %s", self.id, error)
            raise StoreUnavailable(f"workspace {self.id} cannot be read back: {error}") from error
        self._behind_store = False

    def replay(self, request: BaseModel, handler: Callable[..., Any]) -> None:
        """Re-apply a journaled operation silently (when loading from the store)."""
        handler(self, request)
        self._pending = []

    @contextmanager
    def without_limits(self) -> Iterator[None]:
        """Within the block nothing is refused for its size (replaying the journal)."""
        settings = self.settings
        self.settings = settings.without_request_limits()
        try:
            yield
        finally:
            self.settings = settings

    def journal_may_wait(self) -> bool:
        """Whether journaling an operation now may hold up the caller (see ``Store.may_wait``)."""
        return self.journal is not None and self.journal.store.may_wait()

    def save_snapshot(self) -> None:
        """Store the whole state now (a training checkpoint); the caller holds the lock."""
        if self.journal is not None and self.damage is None and not self.deleted:
            self.journal.snapshot()

    def check_not_damaged(self) -> None:
        """A damaged workspace can be read, not changed, until its owner repairs it."""
        if self.damage is not None:
            raise Conflict(
                "workspace_damaged",
                f"the workspace {self.id!r} could not be loaded whole (operation "
                f"{self.damage.at}: {self.damage.reason}); POST …/repair drops what was lost",
                self.damage.model_dump(),
            )

    def check_not_deleted(self) -> None:
        """A request that waited for the lock while the workspace was deleted gets a 404."""
        if self.deleted:
            raise NotFound("workspace_not_found", f"the workspace {self.id!r} was deleted")

    def announce(self, event: EventPayload) -> None:
        """Queue an event to publish once the current operation succeeds."""
        self._pending.append(event)

    def _on_undo(self, step: Callable[[], Any]) -> None:
        if self._undo is not None:
            self._undo.append(step)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo everything done inside the block if it raises, so a failure changes nothing.

        Appends are undone by length; other changes register an undo step as they happen.
        Savepoints nest: an inner failure undoes only the inner block.
        """
        outermost = self._undo is None
        if outermost:
            self._undo = []
        nodes, history = len(self.context.nodes), len(self.history)
        pending, undo = len(self._pending), len(self._undo)
        try:
            yield
        except BaseException:
            while len(self.context.nodes) > nodes:
                self.context.nodes.pop().on_tape = False
            del self.history[history:]
            del self._pending[pending:]
            while len(self._undo) > undo:
                self._undo.pop()()
            raise
        finally:
            if outermost:
                self._undo = None
