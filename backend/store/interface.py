"""Persistence behind one small interface, with two stores: SQLite (embedded, the default)
and PostgreSQL (shared by several processes, chosen by ``WENGERT_DATABASE_URL``).

A workspace is stored as its latest snapshot (its whole state, see ``backend/store/snapshots``)
plus the operations journaled after it. The previous snapshot is kept too, with the
operations between the two, so a damaged newest snapshot loses nothing; everything older
is compacted away when a snapshot is saved.

A process changes a workspace only while it holds the workspace's lease (``claim``). The
SQLite store is used by one process, which holds every lease; the PostgreSQL store keeps
leases in the database and refuses a write from a process whose lease was taken over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class StoredWorkspace:
    """A workspace's credentials (hashed) as stored."""

    id: str
    token_hash: str
    viewer_token_hash: str


@dataclass(frozen=True)
class Operation:
    """One acknowledged change: its kind, its request body, and the event sequence after it."""

    kind: str
    body: dict[str, Any]
    event_seq: int


@dataclass(frozen=True)
class JournalRow:
    """An operation as stored: its body is text, read (and maybe found damaged) by the loader."""

    seq: int
    kind: str
    body: str
    event_seq: int


@dataclass(frozen=True)
class SnapshotStats:
    """What a snapshot holds, compared with the limits without loading it."""

    variables: int
    largest_tensor: int
    tape_length: int


@dataclass(frozen=True)
class Snapshot:
    """A workspace's whole state after operation ``seq`` (training moves on between
    operations, so several snapshots may share one); ``id`` orders them, once stored."""

    seq: int
    event_seq: int
    body: bytes
    stats: SnapshotStats
    id: int | None = None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Snapshot:
        """A stored row: id, seq, event_seq, body, variables, largest_tensor, tape_length
        (the order both stores select them in, `SNAPSHOT_COLUMNS`)."""
        row_id, seq, event, body, *stats = row
        return cls(seq, event, bytes(body), SnapshotStats(*stats), row_id)


SNAPSHOT_COLUMNS = "id, seq, event_seq, body, variables, largest_tensor, tape_length"

LATEST_SNAPSHOT_STATS = """
SELECT s.variables, s.largest_tensor, s.tape_length FROM snapshots s
WHERE s.id = (SELECT max(id) FROM snapshots WHERE workspace_id = s.workspace_id)
"""
"""The size of each workspace's newest snapshot: the same SQL in both stores."""


class StoreDamaged(Exception):
    """The store cannot be opened, or fails its integrity check."""


class WriteRefused(Exception):
    """The store refused a write: the workspace is not stored, or not this process's."""


class LeaseLost(WriteRefused):
    """Another process took the workspace over: this one must not write it any more."""


class StoreWriteFailed(Exception):
    """The store could not make a write durable, and kept nothing of it; the client may
    try again after ``retry_after`` seconds."""

    retry_after = 5


class StorageFull(StoreWriteFailed):
    """No space is left where the store keeps its data (507 ``storage_full``)."""


class StoreUnavailable(StoreWriteFailed):
    """An I/O error, or a database that went away (503 ``store_unavailable``)."""


class OwnedElsewhere(Exception):
    """Another live process serves the workspace; its lease ends within ``retry_after`` s."""

    def __init__(self, workspace_id: str, retry_after: float) -> None:
        super().__init__(f"workspace {workspace_id} is served by another process")
        self.retry_after = retry_after


KEPT_SNAPSHOTS = 2
"""How many snapshots a workspace keeps: the newest, and the one before it in case the newest
cannot be read."""


def newest_but_one(placeholder: str) -> str:
    """The query for the (id, seq) of the oldest snapshot kept, in the store's placeholder
    style (``?`` or ``%s``): the one the compaction below starts from."""
    return (
        f"SELECT id, seq FROM snapshots WHERE workspace_id = {placeholder} "
        f"ORDER BY id DESC LIMIT 1 OFFSET {KEPT_SNAPSHOTS - 1}"
    )


def compact(oldest_kept: tuple[int, int] | None, drop: Callable[[str, str, int], None]) -> None:
    """The rule both stores keep when saving a snapshot: keep the newest two snapshots, and
    compact away what both cover (older snapshots, and the operations the oldest kept one
    holds). ``oldest_kept`` is that snapshot's (id, seq), None while there is one snapshot;
    ``drop(table, condition, bound)`` deletes the workspace's rows where
    ``<condition> <bound>`` holds (``"id <"``, 5)."""
    if oldest_kept is None:
        return
    snapshot_id, seq = oldest_kept
    drop("snapshots", "id <", snapshot_id)
    drop("operations", "seq <=", seq)


class Store(Protocol):
    """What the server needs of a store. Every method is one short transaction; the writes
    (``append``, ``save_snapshot``, ``drop_*``, ``delete_workspace``) raise ``LeaseLost``
    when this process no longer holds the workspace's lease, and ``StoreWriteFailed`` when
    nothing could be written (a full disk, an I/O error, a database gone)."""

    shared: bool
    """Whether other processes use the store too (then leases expire and are renewed)."""

    write_failure: StoreWriteFailed | None
    """Why the latest write failed, until a write succeeds again."""

    def may_wait(self) -> bool:
        """Whether a write now may wait long enough to hold up the event loop (behind a
        snapshot being written, or across the network): then it is made in a thread."""
        ...

    def create_workspace(
        self, stored: StoredWorkspace, limit: int, snapshot: Snapshot | None = None
    ) -> bool:
        """Store a new workspace unless ``limit`` are stored already (then False), with its
        first ``snapshot`` in the same transaction when given (an import: all or nothing). No
        process holds it yet: the first to serve it claims it (behind a proxy that routes
        workspaces by id, that need not be the process that created it)."""
        ...

    def find_workspace(self, workspace_id: str) -> StoredWorkspace | None: ...

    def count_workspaces(self) -> int: ...

    def delete_workspace(self, workspace_id: str) -> None: ...

    def claim(self, workspace_id: str) -> None:
        """Take the workspace's lease (it is free, expired or already ours); raises
        ``OwnedElsewhere`` while another process holds it."""
        ...

    def holds(self, workspace_id: str) -> bool:
        """Whether this process holds the lease and may serve the workspace."""
        ...

    def renew(self) -> list[str]:
        """Extend every lease this process holds; returns the ids of those it lost."""
        ...

    def release(self, workspace_ids: list[str]) -> None:
        """Give the leases up, so another process may serve the workspaces at once."""
        ...

    def append(self, workspace_id: str, seq: int, operation: Operation) -> int:
        """Durably record one operation; returns its size in bytes once it is committed."""
        ...

    def operations(self, workspace_id: str, after: int = 0) -> list[JournalRow]:
        """The journaled operations with a sequence number above ``after``, in order."""
        ...

    def snapshots(self, workspace_id: str) -> list[Snapshot]:
        """The kept snapshots, newest first (at most two)."""
        ...

    def save_snapshot(self, workspace_id: str, snapshot: Snapshot) -> None:
        """Keep ``snapshot`` and the one before it, and compact away what both cover."""
        ...

    def drop_from(self, workspace_id: str, seq: int) -> None:
        """Forget the operations and snapshots from ``seq`` on (a damaged tail)."""
        ...

    def drop_snapshot(self, workspace_id: str, snapshot_id: int) -> None: ...

    def snapshot_stats(self) -> list[SnapshotStats]:
        """The stats of every workspace's newest snapshot."""
        ...

    def count_unsnapshotted(self) -> int:
        """Workspaces with journaled operations but no snapshot (written by an older server)."""
        ...

    def idle_since(self, cutoff: float) -> list[str]:
        """Ids of workspaces with no change since ``cutoff`` (a Unix time)."""
        ...

    def is_reachable(self) -> bool: ...

    def can_write(self) -> bool:
        """Whether a write would be kept now: true until a write fails, then only once a
        trial write succeeds (readiness asks this)."""
        ...

    def close(self) -> None:
        """Give up this process's leases and close the connections."""
        ...
