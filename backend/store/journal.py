"""The one place a workspace's journal is written and read.

Writing: every acknowledged operation is appended; once enough operations or bytes have
gathered since the last snapshot, a snapshot of the whole state is saved in a background
thread and the store compacts what it covers. Reading: the newest readable snapshot plus
the operations after it, replayed through the operations' own handlers. A row that
cannot be read or replayed ends the load there: the workspace keeps what came before and
says what was lost (``Damage``), instead of failing on every request.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import Future, ThreadPoolExecutor

from pydantic import BaseModel

from backend.errors import Refused
from backend.schemas import Damage, DroppedOperation, DroppedSnapshot, RepairPlan
from backend.store import snapshots
from backend.store.interface import JournalRow, Operation, Snapshot, Store
from backend.workspace.operations import REPLAY_FAILURES, replay, request_of
from backend.workspace.workspace import Workspace

logger = logging.getLogger("wengert.journal")

# Snapshots are written off the request path, one at a time: each takes its workspace's
# lock for as long as encoding lasts, and never more than one core.
_SNAPSHOTS = ThreadPoolExecutor(1, thread_name_prefix="snapshots")


class Journal:
    """Appends a workspace's operations and keeps its snapshot recent."""

    def __init__(self, store: Store, ws: Workspace, seq: int = 0) -> None:
        self.store = store
        self.ws = ws
        self.seq = seq  # the last operation stored
        self.since_snapshot = 0  # operations after the newest snapshot
        self.bytes_since_snapshot = 0
        self._scheduled: Future[None] | None = None

    def record(self, kind: str, request: BaseModel, event_seq: int) -> None:
        """Durably store one operation (the caller holds the workspace's lock)."""
        body = request.model_dump(mode="json")
        size = self.store.append(self.ws.id, self.seq + 1, Operation(kind, body, event_seq))
        self.seq += 1
        self.since_snapshot += 1
        self.bytes_since_snapshot += size
        if self._snapshot_due() and (self._scheduled is None or self._scheduled.done()):
            self._scheduled = _SNAPSHOTS.submit(self._snapshot_when_free)

    def _snapshot_due(self) -> bool:
        settings = self.ws.settings
        return (
            self.since_snapshot >= settings.snapshot_every_operations
            or self.bytes_since_snapshot >= settings.snapshot_every_bytes
        )

    def _snapshot_when_free(self) -> None:
        with self.ws.lock:
            if not self.ws.deleted and self.ws.damage is None:
                self.snapshot()

    def snapshot(self) -> None:
        """Save the whole state now (the caller holds the workspace's lock)."""
        self.store.save_snapshot(self.ws.id, snapshots.capture(self.ws, self.seq))
        self.since_snapshot = self.bytes_since_snapshot = 0

    def restore_durable(self) -> None:
        """Put the workspace (whose lock the caller holds) back to what the store holds:
        after a write failed, memory may hold a change the store does not."""
        fresh = Workspace(self.ws.id, self.ws.settings)
        load(self.store, fresh)
        self.ws.take_state_of(fresh)

    def wait(self) -> None:
        """Until a snapshot scheduled by ``record`` is saved (for tests and shutdown)."""
        if self._scheduled is not None:
            self._scheduled.result()


class Unwritten(Journal):
    """The journal of a workspace being built before it is stored (an import): operations
    are counted, nothing is written; the whole is stored once built, with its snapshot."""

    def record(self, kind: str, request: BaseModel, event_seq: int) -> None:
        self.seq += 1

    def snapshot(self) -> None:
        pass  # the workspace is stored, snapshot and all, once built


def load(store: Store, ws: Workspace) -> None:
    """Fill the new, empty ``ws`` from the store and give it its journal."""
    rows = store.operations(ws.id)
    base, snapshot_format = _restore_newest(store, ws, rows)
    tail = [row for row in rows if row.seq > base]
    with ws.without_limits():
        done = replay_rows(ws, tail)
    seq = tail[done - 1].seq if done else base
    ws.journal = Journal(store, ws, seq)
    ws.journal.since_snapshot = done
    ws.journal.bytes_since_snapshot = sum(len(row.body) for row in tail[:done])
    if done:
        ws.events.last_seq = tail[done - 1].event_seq
    if snapshot_format < snapshots.FORMAT and ws.damage is None:
        # An older format is read once: what loaded is saved again in today's.
        ws.journal.snapshot()


def _restore_newest(store: Store, ws: Workspace, rows: list[JournalRow]) -> tuple[int, int]:
    """Restore the newest snapshot the operations continue from; returns its sequence and
    its format (today's when there is none)."""
    first = rows[0].seq if rows else None
    unreadable = []
    for snapshot in store.snapshots(ws.id):
        if first is not None and first > snapshot.seq + 1:
            continue  # operations it needs were compacted: it cannot be the base
        snapshot_format = _restored(ws, snapshot)
        if snapshot_format is not None:
            # The one before it, with the operations between them, held everything: drop
            # the bad ones, so the next snapshot does not push this good one out.
            for bad in unreadable:
                store.drop_snapshot(ws.id, bad.id)
            return snapshot.seq, snapshot_format
        unreadable.append(snapshot)
    if not unreadable or first == 1:
        return 0, snapshots.FORMAT  # every operation is there to replay from the start
    last = max(rows[-1].seq if rows else 0, unreadable[0].seq)
    ws.damage = Damage(
        at=1,
        kind="snapshot",
        reason="no snapshot can be read, and the operations before them were compacted",
        lost_operations=last,
    )
    return last, snapshots.FORMAT  # nothing to replay: the rows cannot apply to an empty state


def _restored(ws: Workspace, snapshot: Snapshot) -> int | None:
    """The format of ``snapshot`` once restored into ``ws``; None when it is unreadable."""
    try:
        return snapshots.restore(ws, snapshot)
    except snapshots.SnapshotUnreadable as error:
        logger.warning("workspace %s: snapshot %d is unreadable: %s", ws.id, snapshot.seq, error)
        return None


def replay_rows(ws: Workspace, rows: list[JournalRow]) -> int:
    """Replay ``rows`` in order; returns how many succeeded (all of them unless damaged)."""
    for index, row in enumerate(rows):
        try:
            _replay_row(ws, row)
        except REPLAY_FAILURES as error:
            ws.damage = Damage(
                at=row.seq,
                kind=row.kind,
                reason=_reason(error),
                lost_operations=len(rows) - index,
            )
            logger.warning("workspace %s is damaged at operation %d: %s", ws.id, row.seq, error)
            return index
    return len(rows)


def _replay_row(ws: Workspace, row: JournalRow) -> None:
    request = request_of(row.kind, json.loads(row.body))
    with ws.savepoint():
        replay(ws, row.kind, request)


def _reason(error: Exception) -> str:
    if isinstance(error, Refused):
        return f"{error.code}: {error.message}"
    return f"{type(error).__name__}: {error}"


def repair_plan(store: Store, ws: Workspace) -> RepairPlan:
    """What ``repair`` would drop now (the caller holds the lock): the operations and the
    snapshots from the damaged operation on, which is exactly what ``drop_from`` removes.
    Everything before it loaded, and stays."""
    damage = ws.damage
    if damage is None:
        return RepairPlan(damage=None, operations=[], snapshots=[])
    operations = [
        DroppedOperation(seq=row.seq, kind=row.kind)
        for row in store.operations(ws.id, damage.at - 1)
    ]
    snapshots_lost = [
        DroppedSnapshot(seq=snapshot.seq, bytes=len(snapshot.body))
        for snapshot in reversed(store.snapshots(ws.id))
        if snapshot.seq >= damage.at
    ]
    return RepairPlan(damage=damage, operations=operations, snapshots=snapshots_lost)


def repair(store: Store, ws: Workspace) -> None:
    """Drop the damaged tail of ``ws`` (whose lock the caller holds), as ``repair_plan``
    lists it, and save what remains."""
    damage = ws.damage
    if damage is None:
        return
    store.drop_from(ws.id, damage.at)
    ws.damage = None
    ws.journal.seq = damage.at - 1
    ws.journal.snapshot()
    logger.warning("workspace %s repaired: %d operations dropped", ws.id, damage.lost_operations)
