"""The embedded store: one SQLite file (stdlib sqlite3, WAL mode), one process.

What it keeps, and how it compacts, is described in ``backend/store/interface.py``. One process owns
every workspace, so its leases are held from the start and never lost.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from backend.store.interface import (
    LATEST_SNAPSHOT_STATS,
    SNAPSHOT_COLUMNS,
    JournalRow,
    Operation,
    Snapshot,
    SnapshotStats,
    StorageFull,
    StoreDamaged,
    StoredWorkspace,
    StoreUnavailable,
    StoreWriteFailed,
    WriteRefused,
    compact,
    newest_but_one,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    viewer_token_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS operations (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    event_seq INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    event_seq INTEGER NOT NULL,
    body BLOB NOT NULL,
    variables INTEGER NOT NULL,
    largest_tensor INTEGER NOT NULL,
    tape_length INTEGER NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_of_workspace ON snapshots (workspace_id, id);
CREATE TABLE IF NOT EXISTS write_checks (id INTEGER PRIMARY KEY, at REAL NOT NULL);
"""

LAST_CHANGE = """
SELECT w.id, max(w.created_at,
                 coalesce((SELECT max(at) FROM operations WHERE workspace_id = w.id), 0),
                 coalesce((SELECT max(at) FROM snapshots WHERE workspace_id = w.id), 0))
FROM workspaces w
"""

PREVIOUS_SNAPSHOT = newest_but_one("?")


class SqliteStore:
    """The SQLite file in the data directory; every method is one short transaction."""

    shared = False

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "wengert.sqlite3"
        # One connection shared under a lock: writes are serialized anyway, and reads are short.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        # Why the latest write failed, until one succeeds (then None): readiness reports it.
        self.write_failure: StoreWriteFailed | None = None
        self._snapshots_writing = 0  # counted under its own lock: the store's is held long
        self._counting = threading.Lock()
        try:
            self._open()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StoreDamaged(f"{self.path} cannot be opened: {error}") from error

    def _open(self) -> None:
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a killed process; only a power loss can drop commits.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            # Snapshots are large: without a limit the write-ahead log keeps its largest size.
            self._db.execute(f"PRAGMA journal_size_limit={64 * 1024 * 1024}")
            self._db.executescript(SCHEMA)

    def quick_check(self) -> list[str]:
        """SQLite's ``quick_check``: the problems it finds in the file, none when healthy."""
        try:
            with self._lock:
                rows = self._db.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as error:  # damage so bad the check itself cannot run
            return [str(error)]
        problems = [row[0] for row in rows]
        return [] if problems == ["ok"] else problems

    def create_workspace(
        self, stored: StoredWorkspace, limit: int, snapshot: Snapshot | None = None
    ) -> bool:
        with self._lock, self._writing(), self._transaction():
            if self._db.execute("SELECT count(*) FROM workspaces").fetchone()[0] >= limit:
                return False
            self._db.execute(
                "INSERT INTO workspaces VALUES (?, ?, ?, ?)",
                (stored.id, stored.token_hash, stored.viewer_token_hash, time.time()),
            )
            if snapshot is not None:
                self._insert_snapshot(stored.id, snapshot)
        return True

    # One process uses the file: it holds every workspace's lease, for good.
    def claim(self, workspace_id: str) -> None:
        pass

    def holds(self, workspace_id: str) -> bool:
        return True

    def renew(self) -> list[str]:
        return []

    def release(self, workspace_ids: list[str]) -> None:
        pass

    def find_workspace(self, workspace_id: str) -> StoredWorkspace | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, token_hash, viewer_token_hash FROM workspaces WHERE id = ?",
                (workspace_id,),
            ).fetchone()
        return StoredWorkspace(*row) if row else None

    def count_workspaces(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM workspaces").fetchone()[0]

    def delete_workspace(self, workspace_id: str) -> None:
        with self._lock, self._writing():
            self._db.execute("DELETE FROM workspaces WHERE id = ?", (workspace_id,))

    def append(self, workspace_id: str, seq: int, operation: Operation) -> int:
        """Durably record one operation; returns its size in bytes once it is committed."""
        body = json.dumps(operation.body, separators=(",", ":"))
        row = (workspace_id, seq, operation.kind, body, operation.event_seq, time.time())
        try:
            with self._lock, self._writing():
                self._db.execute("INSERT INTO operations VALUES (?, ?, ?, ?, ?, ?)", row)
        except sqlite3.IntegrityError as error:
            raise WriteRefused(f"workspace {workspace_id}: {error}") from error
        return len(body)

    def operations(self, workspace_id: str, after: int = 0) -> list[JournalRow]:
        """The journaled operations with a sequence number above ``after``, in order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, kind, body, event_seq FROM operations "
                "WHERE workspace_id = ? AND seq > ? ORDER BY seq",
                (workspace_id, after),
            ).fetchall()
        return [JournalRow(*row) for row in rows]

    def snapshots(self, workspace_id: str) -> list[Snapshot]:
        """The kept snapshots, newest first (at most two)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE workspace_id = ? ORDER BY id DESC",
                (workspace_id,),
            ).fetchall()
        return [Snapshot.from_row(row) for row in rows]

    def may_wait(self) -> bool:
        """While a snapshot (megabytes) is being written, an append waits for it."""
        return self._snapshots_writing > 0

    def save_snapshot(self, workspace_id: str, snapshot: Snapshot) -> None:
        """Keep ``snapshot`` and the one before it, and compact away what both cover."""
        self._count_snapshot_writes(1)
        try:
            with self._lock, self._writing(), self._transaction():
                self._insert_snapshot(workspace_id, snapshot)
                previous = self._db.execute(PREVIOUS_SNAPSHOT, (workspace_id,)).fetchone()
                compact(previous, partial(self._drop, workspace_id))
        finally:
            self._count_snapshot_writes(-1)

    def _count_snapshot_writes(self, change: int) -> None:
        with self._counting:
            self._snapshots_writing += change

    def _insert_snapshot(self, workspace_id: str, snapshot: Snapshot) -> None:
        stats = snapshot.stats
        row = (
            workspace_id,
            snapshot.seq,
            snapshot.event_seq,
            snapshot.body,
            stats.variables,
            stats.largest_tensor,
            stats.tape_length,
            time.time(),
        )
        self._db.execute(
            "INSERT INTO snapshots (workspace_id, seq, event_seq, body, variables, "
            "largest_tensor, tape_length, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )

    def drop_from(self, workspace_id: str, seq: int) -> None:
        """Forget the operations and snapshots from ``seq`` on (a damaged tail)."""
        with self._lock, self._writing(), self._transaction():
            self._drop(workspace_id, "operations", "seq >=", seq)
            self._drop(workspace_id, "snapshots", "seq >=", seq)

    def drop_snapshot(self, workspace_id: str, snapshot_id: int) -> None:
        with self._lock, self._writing():
            self._drop(workspace_id, "snapshots", "id =", snapshot_id)

    def _drop(self, workspace_id: str, table: str, condition: str, seq: int) -> None:
        self._db.execute(
            f"DELETE FROM {table} WHERE workspace_id = ? AND {condition} ?", (workspace_id, seq)
        )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # SQLite ends it itself after some errors (a full disk)
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn SQLite's failures to write into the store's, and remember the latest."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as error:
            self.write_failure = _write_failed(self.path, error)
            raise self.write_failure from error
        self.write_failure = None

    def can_write(self) -> bool:
        """True until a write fails; then only once a trial write is committed."""
        if self.write_failure is None:
            return True
        try:
            with self._lock, self._writing():
                trial = "INSERT OR REPLACE INTO write_checks VALUES (1, ?)"
                self._db.execute(trial, (time.time(),))
        except StoreWriteFailed:
            return False
        return True

    def snapshot_stats(self) -> list[SnapshotStats]:
        """The stats of every workspace's newest snapshot."""
        with self._lock:
            rows = self._db.execute(LATEST_SNAPSHOT_STATS).fetchall()
        return [SnapshotStats(*row) for row in rows]

    def count_unsnapshotted(self) -> int:
        """Workspaces with journaled operations but no snapshot (written by an older server)."""
        with self._lock:
            return self._db.execute(
                "SELECT count(DISTINCT workspace_id) FROM operations o WHERE NOT EXISTS "
                "(SELECT 1 FROM snapshots s WHERE s.workspace_id = o.workspace_id)"
            ).fetchone()[0]

    def idle_since(self, cutoff: float) -> list[str]:
        """Ids of workspaces with no change since ``cutoff`` (a Unix time)."""
        with self._lock:
            rows = self._db.execute(LAST_CHANGE).fetchall()
        return [workspace_id for workspace_id, changed in rows if changed < cutoff]

    def is_reachable(self) -> bool:
        try:
            with self._lock:
                self._db.execute("SELECT 1 FROM workspaces LIMIT 1").fetchall()
        except sqlite3.Error:
            return False
        return True

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _write_failed(path: Path, error: sqlite3.DatabaseError) -> StoreWriteFailed:
    """What a failed write means for the client: no space left, or a store not usable now."""
    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return StorageFull(f"no space is left for {path}: {error}")
    return StoreUnavailable(f"{path} cannot be written: {error}")
