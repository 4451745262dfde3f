"""Durable storage of workspaces as an operation log in SQLite (stdlib sqlite3, WAL mode).

A workspace is rebuilt by replaying its operations in order through the engine, which is
deterministic, so a restarted server (or a second replica on the same file) reproduces
values, grads, tape, history and optimizer state exactly.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
"""

IDLE_QUERY = """
SELECT w.id FROM workspaces w LEFT JOIN operations o ON o.workspace_id = w.id
GROUP BY w.id HAVING max(coalesce(o.at, w.created_at), w.created_at) < ?
"""


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


class Store:
    """The SQLite file in the data directory; every method is one short transaction."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "wengert.sqlite3"
        # One connection shared under a lock: writes are serialized anyway, and reads are short.
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a killed process; only a power loss can drop commits.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)

    def create_workspace(self, stored: StoredWorkspace) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO workspaces VALUES (?, ?, ?, ?)",
                (stored.id, stored.token_hash, stored.viewer_token_hash, time.time()),
            )

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
        with self._lock:
            self._db.execute("DELETE FROM workspaces WHERE id = ?", (workspace_id,))

    def append(self, workspace_id: str, seq: int, operation: Operation) -> None:
        """Durably record one operation; returns only once it is committed."""
        body = json.dumps(operation.body, separators=(",", ":"))
        row = (workspace_id, seq, operation.kind, body, operation.event_seq, time.time())
        with self._lock:
            self._db.execute("INSERT INTO operations VALUES (?, ?, ?, ?, ?, ?)", row)

    def operations(self, workspace_id: str) -> list[Operation]:
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, body, event_seq FROM operations WHERE workspace_id = ? ORDER BY seq",
                (workspace_id,),
            ).fetchall()
        return [Operation(kind, json.loads(body), event_seq) for kind, body, event_seq in rows]

    def idle_since(self, cutoff: float) -> list[str]:
        """Ids of workspaces with no change since ``cutoff`` (a Unix time)."""
        with self._lock:
            rows = self._db.execute(IDLE_QUERY, (cutoff,)).fetchall()
        return [row[0] for row in rows]

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
