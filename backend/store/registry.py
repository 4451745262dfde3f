"""Every workspace: created here, loaded from the store on first use, deleted, expired.

The registry's lock guards its dictionary and nothing else: loading a workspace (replaying
its journal) and waiting for a busy workspace happen outside it, so one workspace's work
never holds up a request to another.

A workspace is served only while this process holds its lease in the store (always, with
SQLite): one another process holds answers 503 (``OwnedElsewhere``), and one whose lease
was lost is forgotten here and loaded afresh once it can be taken again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

from pydantic import BaseModel

from backend.errors import NotFound, TooLarge, Unauthorized
from backend.event_payloads import Deleted
from backend.schemas import RepairPlan
from backend.settings import Settings
from backend.store import journal, snapshots
from backend.store.checks import exceeds
from backend.store.interface import OwnedElsewhere, Snapshot, Store, StoredWorkspace
from backend.store.snapshots import stats_of
from backend.training.pool import pool_of
from backend.workspace import tickets
from backend.workspace.memory import ServerMemory
from backend.workspace.stream_slots import StreamSlots
from backend.workspace.workspace import Workspace

logger = logging.getLogger("wengert.registry")


def token_hash(token: str) -> str:
    """Tokens are kept only as SHA-256 hashes."""
    return hashlib.sha256(token.encode()).hexdigest()


class Credentials(BaseModel):
    """A new workspace's id and tokens, shown once."""

    id: str
    token: str
    viewer_token: str


def _new_credentials() -> tuple[Credentials, StoredWorkspace]:
    """Fresh random tokens (192 bits each) for a new workspace, and what the store keeps."""
    credentials = Credentials(
        id=secrets.token_urlsafe(12),
        token=secrets.token_urlsafe(24),
        viewer_token=secrets.token_urlsafe(24),
    )
    stored = StoredWorkspace(
        credentials.id, token_hash(credentials.token), token_hash(credentials.viewer_token)
    )
    return credentials, stored


class WorkspaceRegistry:
    """The workspaces in memory, backed by the store."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        # One future per id: the first request for an unloaded workspace loads it, and the
        # requests that arrive meanwhile wait on that future instead of loading it again.
        self._loaded: dict[str, Future[tuple[StoredWorkspace, Workspace]]] = {}
        self._used: dict[str, float] = {}  # when each was last asked for (monotonic)
        self._lock = threading.Lock()
        self.memory = ServerMemory(settings.max_server_bytes)
        self.training_slots = threading.Semaphore(settings.training_slots)
        self.training_pool = pool_of(settings.training_workers)
        self.streams = StreamSlots(settings.max_streams_per_workspace, settings.max_streams)

    def create(self) -> Credentials:
        """Make and store a workspace with fresh random tokens (192 bits each)."""
        credentials, stored = _new_credentials()
        self._insert(stored)
        if not self.store.shared:
            self._hold(stored, self._new_workspace(stored.id))
        # With a shared store, whichever process serves it first takes it (a proxy may
        # route it elsewhere).
        return credentials

    def create_built(self, build: Callable[[Workspace], None]) -> Credentials:
        """A new workspace that ``build`` fills in memory (its lock held, its operations
        counted but not journaled), then stored with a snapshot of what it holds in one
        transaction: an error or a crash part-way leaves nothing in the store."""
        if self.store.count_workspaces() >= self.settings.max_workspaces:
            raise self._quota_reached()  # told before the work, and checked again after it
        credentials, stored = _new_credentials()
        workspace = Workspace(stored.id, self.settings)
        workspace.journal = journal.Unwritten(self.store, workspace)
        self._serve(workspace)
        try:
            with workspace.lock:
                build(workspace)
                snapshot = snapshots.capture(workspace, workspace.journal.seq)
            self._insert(stored, snapshot)
        except BaseException:
            self.memory.forget(stored.id)
            raise
        workspace.journal = journal.Journal(self.store, workspace, workspace.journal.seq)
        if self.store.shared:
            self.memory.forget(stored.id)  # served from its snapshot by whoever takes it
        else:
            self._hold(stored, workspace)
        return credentials

    def _insert(self, stored: StoredWorkspace, snapshot: Snapshot | None = None) -> None:
        # The store counts and inserts in one transaction: the quota holds across processes.
        if not self.store.create_workspace(stored, self.settings.max_workspaces, snapshot):
            raise self._quota_reached()

    def _quota_reached(self) -> TooLarge:
        return TooLarge(
            "too_many_workspaces",
            f"the server holds at most {self.settings.max_workspaces} workspaces",
        )

    def _hold(self, stored: StoredWorkspace, workspace: Workspace) -> None:
        loaded: Future[tuple[StoredWorkspace, Workspace]] = Future()
        loaded.set_result((stored, workspace))
        with self._lock:
            self._loaded[stored.id] = loaded
            self._used[stored.id] = time.monotonic()

    def authorize(self, workspace_id: str, token: str) -> tuple[Workspace, bool]:
        """The workspace and whether ``token`` may write; 404 or 401 otherwise."""
        stored, workspace = self._get(workspace_id)
        given = token_hash(token)
        if hmac.compare_digest(given, stored.token_hash):
            return workspace, True
        if hmac.compare_digest(given, stored.viewer_token_hash):
            return workspace, False
        raise Unauthorized("unauthorized", "the token does not match this workspace")

    def stream_ticket(self, workspace_id: str) -> str:
        """A short-lived read-only ticket for the workspace's event stream URL."""
        stored, _ = self._get(workspace_id)
        seconds = self.settings.stream_ticket_seconds
        return tickets.issue(workspace_id, stored.viewer_token_hash, seconds)

    def authorize_ticket(self, workspace_id: str, ticket: str) -> Workspace:
        """The workspace, read-only, for a valid stream ticket; 401 otherwise."""
        stored, workspace = self._get(workspace_id)
        lifetime = self.settings.stream_ticket_seconds
        if not tickets.is_valid(workspace_id, stored.viewer_token_hash, ticket, lifetime=lifetime):
            raise Unauthorized(
                "unauthorized",
                "the stream ticket is wrong or expired; ask POST …/events/ticket for a new one",
            )
        return workspace

    def is_loaded(self, workspace_id: str) -> bool:
        """Whether the workspace is in memory (else the next use replays it from the store)."""
        loaded = self._loaded.get(workspace_id)
        return loaded is not None and loaded.done() and self.store.holds(workspace_id)

    def damaged_workspaces(self) -> int:
        """How many loaded workspaces could not be loaded whole."""
        with self._lock:
            loaded = [future for future in self._loaded.values() if future.done()]
        return sum(
            future.exception() is None and future.result()[1].damage is not None
            for future in loaded
        )

    def delete(self, workspace: Workspace) -> None:
        """Forget the workspace, here and in the store; its subscribers get a last event.

        Waits for the workspace's own work to finish, holding no lock other workspaces need.
        """
        with workspace.lock:
            if workspace.deleted:
                return
            if workspace.training is not None:
                workspace.training.stop()
            self.store.delete_workspace(workspace.id)
            workspace.deleted = True
            self._forget(workspace.id)
            workspace.events.publish("deleted", Deleted().data())

    def _forget(self, workspace_id: str) -> None:
        with self._lock:
            self._loaded.pop(workspace_id, None)
            self._used.pop(workspace_id, None)
        self.memory.forget(workspace_id)

    def expire_idle(self, now: float | None = None) -> int:
        """Delete workspaces unchanged for longer than the configured idle expiry."""
        if not self.settings.idle_expiry_seconds:
            return 0
        cutoff = (now or time.time()) - self.settings.idle_expiry_seconds
        deleted = 0
        for workspace_id in self.store.idle_since(cutoff):
            try:
                workspace = self._get(workspace_id)[1]
            except OwnedElsewhere:
                continue  # its owner deletes it
            self.delete(workspace)
            deleted += 1
        return deleted

    def keep_leases(self) -> list[str]:
        """Renew this process's leases; give up those of workspaces unused for
        ``lease_idle_seconds`` (so a proxy that now routes them elsewhere is obeyed), and
        forget those lost. Returns the ids forgotten."""
        now = time.monotonic()
        with self._lock:
            loaded = {
                workspace_id: future.result()[1]
                for workspace_id, future in self._loaded.items()
                if future.done() and future.exception() is None
            }
            idle = [
                workspace_id
                for workspace_id, workspace in loaded.items()
                if now - self._used.get(workspace_id, now) > self.settings.lease_idle_seconds
                and not _training(workspace)
            ]
        for workspace_id in idle:
            with loaded[workspace_id].lock:  # no write of it is in flight
                self._forget(workspace_id)
        self.store.release(idle)
        lost = self.store.renew()
        for workspace_id in lost:
            logger.warning("workspace %s: another process took its lease over", workspace_id)
            self._forget(workspace_id)
        return idle + lost

    def _get(self, workspace_id: str) -> tuple[StoredWorkspace, Workspace]:
        with self._lock:
            self._used[workspace_id] = time.monotonic()
            loaded = self._loaded.get(workspace_id)
            if loaded is not None and loaded.done() and not self.store.holds(workspace_id):
                loaded = None  # the lease was lost, or lapsed: load it afresh if we may
            loading = loaded is None
            if loading:
                loaded = self._loaded[workspace_id] = Future()
        if not loading:
            return loaded.result()
        try:
            loaded.set_result(self._load(workspace_id))
        except BaseException as error:
            # Forget the failure, so a later request tries again (the workspace may exist
            # by then, or the store may be back).
            with self._lock:
                self._loaded.pop(workspace_id, None)
            loaded.set_exception(error)
        return loaded.result()

    def _load(self, workspace_id: str) -> tuple[StoredWorkspace, Workspace]:
        stored = self.store.find_workspace(workspace_id)
        if stored is None:
            raise NotFound("workspace_not_found", f"no workspace with id {workspace_id!r}")
        self.store.claim(workspace_id)  # before reading: the journal cannot change after
        workspace = Workspace(workspace_id, self.settings)
        journal.load(self.store, workspace)
        if exceeds(stats_of(workspace), self.settings):
            logger.warning(
                "workspace %s exceeds today's limits; it loads, and requests that would make "
                "it larger are refused",
                workspace_id,
            )
        if workspace.training is not None:
            workspace.training.halt_after_restart()
        self._serve(workspace)
        return stored, workspace

    def _new_workspace(self, workspace_id: str) -> Workspace:
        workspace = Workspace(workspace_id, self.settings)
        workspace.journal = journal.Journal(self.store, workspace)
        self._serve(workspace)
        return workspace

    def _serve(self, workspace: Workspace) -> None:
        """From now on the workspace's memory counts against the server's budget."""
        workspace.server_memory = self.memory
        workspace.training_slots = self.training_slots
        workspace.training_pool = self.training_pool
        workspace.recount()

    def repair_plan(self, workspace: Workspace) -> RepairPlan:
        """What ``repair`` would drop now, dropping nothing (the dry run)."""
        with workspace.lock:
            workspace.check_not_deleted()
            return journal.repair_plan(self.store, workspace)

    def repair(self, workspace: Workspace) -> None:
        """Drop what a damaged workspace lost, so it can be changed again."""
        with workspace.lock:
            workspace.check_not_deleted()
            journal.repair(self.store, workspace)


def _training(workspace: Workspace) -> bool:
    """Whether a training run is going on (it keeps the workspace's lease while it runs)."""
    return workspace.training is not None and workspace.training.run.state == "running"
