"""The shared store: PostgreSQL (psycopg 3 and its pool), used by several server processes.

What it keeps, and how it compacts, is described in ``backend/store/interface.py``; the schema is
versioned (``schema_version``) and brought up to date at start, by one process at a time.

Each workspace is served by one process, the holder of its row in ``leases``: an owner, a
generation and an expiry, renewed every few seconds. Taking a lease over (once it expired)
adds one to its generation, and every write to a workspace locks its lease row and checks
the generation this process took, in the same statement: a process whose lease was taken
over cannot write, even a moment later, and a takeover waits for a write in flight.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from backend.store.interface import (
    LATEST_SNAPSHOT_STATS,
    SNAPSHOT_COLUMNS,
    JournalRow,
    LeaseLost,
    Operation,
    OwnedElsewhere,
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

MIGRATIONS = [
    """
    CREATE TABLE workspaces (
        id text PRIMARY KEY,
        token_hash text NOT NULL,
        viewer_token_hash text NOT NULL,
        created_at double precision NOT NULL
    );
    CREATE TABLE operations (
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        kind text NOT NULL,
        body text NOT NULL,
        event_seq bigint NOT NULL,
        at double precision NOT NULL,
        PRIMARY KEY (workspace_id, seq)
    );
    CREATE TABLE snapshots (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        event_seq bigint NOT NULL,
        body bytea NOT NULL,
        variables bigint NOT NULL,
        largest_tensor bigint NOT NULL,
        tape_length bigint NOT NULL,
        at double precision NOT NULL
    );
    CREATE INDEX snapshots_of_workspace ON snapshots (workspace_id, id);
    CREATE TABLE leases (
        workspace_id text PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        owner text NOT NULL,
        generation bigint NOT NULL,
        expires_at timestamptz NOT NULL
    );
    """,
    "CREATE TABLE write_checks (owner text PRIMARY KEY, at double precision NOT NULL)",
]
"""The schema, as ordered steps: version N is the first N applied. Only ever append."""

MIGRATION_LOCK = 0x5745_4E47  # advisory lock key: one process migrates at a time
QUOTA_LOCK = 0x5745_4E48  # one workspace creation at a time counts against the quota

# Every write names the lease it relies on: the row is locked (FOR SHARE) so a takeover
# waits for the write, and a row whose generation moved on makes the write a no-op.
FENCE = """
lease AS (SELECT 1 FROM leases WHERE workspace_id = %(id)s AND owner = %(owner)s
          AND generation = %(generation)s FOR SHARE)
"""

CLAIM = """
INSERT INTO leases (workspace_id, owner, generation, expires_at)
VALUES (%(id)s, %(owner)s, 1, now() + make_interval(secs => %(seconds)s))
ON CONFLICT (workspace_id) DO UPDATE
SET owner = EXCLUDED.owner, generation = leases.generation + 1, expires_at = EXCLUDED.expires_at
WHERE leases.expires_at < now() OR leases.owner = EXCLUDED.owner
RETURNING generation
"""

LAST_CHANGE = """
SELECT w.id, greatest(w.created_at,
                      coalesce((SELECT max(at) FROM operations WHERE workspace_id = w.id), 0),
                      coalesce((SELECT max(at) FROM snapshots WHERE workspace_id = w.id), 0))
FROM workspaces w
"""


class PostgresStore:
    """A pool of connections to one PostgreSQL database, and the leases this process holds."""

    shared = True

    def __init__(self, url: str, lease_seconds: float = 10.0, pool_size: int = 4) -> None:
        self.url = url
        self.lease_seconds = lease_seconds
        self.owner = uuid.uuid4().hex  # this process, as the leases name it
        # workspace id -> (the generation taken, until when it is ours by our own clock)
        self._leases: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()
        # Why the latest write failed, until one succeeds (then None): readiness reports it.
        self.write_failure: StoreWriteFailed | None = None
        try:
            self._pool = ConnectionPool(
                url,
                min_size=1,
                max_size=pool_size,
                # Text as UTF-8 whatever the database's encoding: in a SQL_ASCII database
                # libpq's default would hand text back as bytes.
                kwargs={"autocommit": True, "client_encoding": "UTF8"},
                open=True,
                timeout=10,
            )
            self._pool.wait(timeout=10)
            self._migrate()
        except psycopg.Error as error:  # PoolTimeout included
            if hasattr(self, "_pool"):
                self._pool.close()
            raise StoreDamaged(f"PostgreSQL at {_without_password(url)}: {error}") from error

    def _migrate(self) -> None:
        with self._pool.connection() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
            query = "SELECT coalesce(max(version), 0) FROM schema_version"
            (version,) = db.execute(query).fetchone() or (0,)
            for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
                db.execute(step)
                db.execute("INSERT INTO schema_version VALUES (%s)", (number,))

    def schema_version(self) -> int:
        return self._one("SELECT max(version) FROM schema_version")

    # Workspaces and the quota

    def create_workspace(
        self, stored: StoredWorkspace, limit: int, snapshot: Snapshot | None = None
    ) -> bool:
        with self._writing(), self._pool.connection() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (QUOTA_LOCK,))
            if db.execute("SELECT count(*) FROM workspaces").fetchone()[0] >= limit:
                return False
            db.execute(
                "INSERT INTO workspaces VALUES (%s, %s, %s, %s)",
                (stored.id, stored.token_hash, stored.viewer_token_hash, time.time()),
            )
            if snapshot is not None:
                # A new workspace nobody else knows of: no lease to fence it with yet.
                stats = snapshot.stats
                db.execute(
                    "INSERT INTO snapshots (workspace_id, seq, event_seq, body, variables, "
                    "largest_tensor, tape_length, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    (
                        stored.id,
                        snapshot.seq,
                        snapshot.event_seq,
                        snapshot.body,
                        stats.variables,
                        stats.largest_tensor,
                        stats.tape_length,
                        time.time(),
                    ),
                )
        return True

    def find_workspace(self, workspace_id: str) -> StoredWorkspace | None:
        with self._pool.connection() as db:
            row = db.execute(
                "SELECT id, token_hash, viewer_token_hash FROM workspaces WHERE id = %s",
                (workspace_id,),
            ).fetchone()
        return StoredWorkspace(*row) if row else None

    def count_workspaces(self) -> int:
        return self._one("SELECT count(*) FROM workspaces")

    def delete_workspace(self, workspace_id: str) -> None:
        self._fenced(
            workspace_id, "DELETE FROM workspaces WHERE id = %(id)s AND EXISTS (TABLE lease)"
        )
        with self._lock:
            self._leases.pop(workspace_id, None)

    # Leases

    def claim(self, workspace_id: str) -> None:
        started = time.monotonic()
        with self._pool.connection() as db:
            try:
                generation = self._claimed(db, workspace_id, started)
            except psycopg.errors.ForeignKeyViolation as error:
                raise WriteRefused(f"no workspace {workspace_id}") from error
            if generation is None:
                row = db.execute(
                    "SELECT extract(epoch FROM expires_at - now()) FROM leases "
                    "WHERE workspace_id = %s",
                    (workspace_id,),
                ).fetchone()
                raise OwnedElsewhere(workspace_id, max(float(row[0]) if row else 0.0, 0.0))

    def _claimed(
        self, db: psycopg.Connection, workspace_id: str, started: float = 0.0
    ) -> int | None:
        started = started or time.monotonic()
        params = {"id": workspace_id, "owner": self.owner, "seconds": self.lease_seconds}
        row = db.execute(CLAIM, params).fetchone()
        if row is None:
            return None
        with self._lock:
            self._leases[workspace_id] = (row[0], started + self.lease_seconds)
        return row[0]

    def holds(self, workspace_id: str) -> bool:
        with self._lock:
            lease = self._leases.get(workspace_id)
        return lease is not None and time.monotonic() < lease[1]

    def renew(self) -> list[str]:
        started = time.monotonic()
        with self._lock:
            held = dict(self._leases)
        if not held:
            return []
        with self._pool.connection() as db:
            rows = db.execute(
                "UPDATE leases SET expires_at = now() + make_interval(secs => %s) "
                "WHERE owner = %s AND workspace_id = ANY(%s) RETURNING workspace_id, generation",
                (self.lease_seconds, self.owner, list(held)),
            ).fetchall()
        renewed = {
            workspace_id for workspace_id, generation in rows if held[workspace_id][0] == generation
        }
        with self._lock:
            for workspace_id in renewed:
                if self._leases.get(workspace_id, (None,))[0] == held[workspace_id][0]:
                    self._leases[workspace_id] = (
                        held[workspace_id][0],
                        started + self.lease_seconds,
                    )
            lost = [w for w in held if w not in renewed and self._leases.get(w) == held[w]]
            for workspace_id in lost:
                del self._leases[workspace_id]
        return lost

    def release(self, workspace_ids: list[str]) -> None:
        with self._lock:
            released = {w: self._leases.pop(w)[0] for w in workspace_ids if w in self._leases}
        with self._pool.connection() as db:
            for workspace_id, generation in released.items():
                db.execute(
                    "DELETE FROM leases WHERE workspace_id = %s AND owner = %s AND generation = %s",
                    (workspace_id, self.owner, generation),
                )

    # The journal

    def append(self, workspace_id: str, seq: int, operation: Operation) -> int:
        body = json.dumps(operation.body, separators=(",", ":"))
        self._fenced(
            workspace_id,
            "INSERT INTO operations SELECT %(id)s, %(seq)s, %(kind)s, %(body)s, %(event)s, %(at)s "
            "FROM lease",
            seq=seq,
            kind=operation.kind,
            body=body,
            event=operation.event_seq,
            at=time.time(),
        )
        return len(body)

    def operations(self, workspace_id: str, after: int = 0) -> list[JournalRow]:
        with self._pool.connection() as db:
            rows = db.execute(
                "SELECT seq, kind, body, event_seq FROM operations "
                "WHERE workspace_id = %s AND seq > %s ORDER BY seq",
                (workspace_id, after),
            ).fetchall()
        return [JournalRow(*row) for row in rows]

    def snapshots(self, workspace_id: str) -> list[Snapshot]:
        with self._pool.connection() as db:
            rows = db.execute(
                f"SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE workspace_id = %s "
                "ORDER BY id DESC",
                (workspace_id,),
            ).fetchall()
        return [Snapshot.from_row(row) for row in rows]

    def may_wait(self) -> bool:
        """Every write crosses the network to the database."""
        return True

    def save_snapshot(self, workspace_id: str, snapshot: Snapshot) -> None:
        stats = snapshot.stats
        with self._writing(), self._pool.connection() as db, db.transaction():
            self._execute_fenced(
                db,
                workspace_id,
                "INSERT INTO snapshots (workspace_id, seq, event_seq, body, variables, "
                "largest_tensor, tape_length, at) SELECT %(id)s, %(seq)s, %(event)s, %(body)s, "
                "%(variables)s, %(largest)s, %(tape)s, %(at)s FROM lease",
                seq=snapshot.seq,
                event=snapshot.event_seq,
                body=snapshot.body,
                variables=stats.variables,
                largest=stats.largest_tensor,
                tape=stats.tape_length,
                at=time.time(),
            )
            previous = db.execute(newest_but_one("%s"), (workspace_id,)).fetchone()

            def drop(table: str, condition: str, bound: int) -> None:
                db.execute(
                    f"DELETE FROM {table} WHERE workspace_id = %s AND {condition} %s",
                    (workspace_id, bound),
                )

            compact(previous, drop)

    def drop_from(self, workspace_id: str, seq: int) -> None:
        with self._writing(), self._pool.connection() as db, db.transaction():
            self._execute_fenced(db, workspace_id, "SELECT 1 FROM lease")
            for table in ("operations", "snapshots"):
                db.execute(
                    f"DELETE FROM {table} WHERE workspace_id = %s AND seq >= %s",
                    (workspace_id, seq),
                )

    def drop_snapshot(self, workspace_id: str, snapshot_id: int) -> None:
        self._fenced(
            workspace_id,
            "DELETE FROM snapshots WHERE workspace_id = %(id)s AND id = %(snapshot)s "
            "AND EXISTS (TABLE lease)",
            snapshot=snapshot_id,
            must_change=False,
        )

    def _fenced(
        self, workspace_id: str, statement: str, must_change: bool = True, **params: Any
    ) -> None:
        with self._writing(), self._pool.connection() as db:
            self._execute_fenced(db, workspace_id, statement, must_change, **params)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn PostgreSQL's failures to write into the store's, and remember the latest."""
        try:
            yield
        except psycopg.errors.DiskFull as error:
            self.write_failure = StorageFull(f"PostgreSQL has no space left: {error}")
            raise self.write_failure from error
        except (psycopg.OperationalError, psycopg.InterfaceError) as error:  # pool timeout too
            self.write_failure = StoreUnavailable(f"PostgreSQL cannot be written: {error}")
            raise self.write_failure from error
        self.write_failure = None

    def can_write(self) -> bool:
        """True until a write fails; then only once a trial write is committed."""
        if self.write_failure is None:
            return True
        try:
            with self._writing(), self._pool.connection(timeout=5) as db:
                db.execute(
                    "INSERT INTO write_checks VALUES (%s, %s) "
                    "ON CONFLICT (owner) DO UPDATE SET at = excluded.at",
                    (self.owner, time.time()),
                )
        except StoreWriteFailed:
            return False
        return True

    def _execute_fenced(
        self,
        db: psycopg.Connection,
        workspace_id: str,
        statement: str,
        must_change: bool = True,
        **params: Any,
    ) -> None:
        """Run ``WITH lease AS (…) statement``; raise LeaseLost if the lease is not ours."""
        with self._lock:
            lease = self._leases.get(workspace_id)
        if lease is None:
            raise LeaseLost(f"workspace {workspace_id}: this process holds no lease on it")
        values = {"id": workspace_id, "owner": self.owner, "generation": lease[0], **params}
        cursor = db.execute(f"WITH {FENCE} {statement}", values)
        if must_change and cursor.rowcount == 0:
            with self._lock:
                if self._leases.get(workspace_id) == lease:
                    del self._leases[workspace_id]
            raise LeaseLost(f"workspace {workspace_id}: another process took its lease over")

    # Whole-store questions

    def snapshot_stats(self) -> list[SnapshotStats]:
        with self._pool.connection() as db:
            rows = db.execute(LATEST_SNAPSHOT_STATS).fetchall()
        return [SnapshotStats(*row) for row in rows]

    def count_unsnapshotted(self) -> int:
        return self._one(
            "SELECT count(DISTINCT workspace_id) FROM operations o WHERE NOT EXISTS "
            "(SELECT 1 FROM snapshots s WHERE s.workspace_id = o.workspace_id)"
        )

    def idle_since(self, cutoff: float) -> list[str]:
        with self._pool.connection() as db:
            rows = db.execute(LAST_CHANGE).fetchall()
        return [workspace_id for workspace_id, changed in rows if changed < cutoff]

    def is_reachable(self) -> bool:
        try:
            self._one("SELECT 1")
        except psycopg.Error:
            return False
        except Exception:  # the pool is closed, or timed out waiting for a connection
            return False
        return True

    def _one(self, query: str) -> Any:
        with self._pool.connection(timeout=5) as db:
            row = db.execute(query).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Give this process's leases up, so others take its workspaces at once; then close."""
        with self._lock:
            held = list(self._leases)
        with contextlib.suppress(Exception):  # the database is gone: they lapse on their own
            self.release(held)
        self._pool.close()


def _without_password(url: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info.pop("password", None)
    return " ".join(f"{key}={value}" for key, value in info.items())
