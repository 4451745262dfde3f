"""A workspace's whole state as bytes, and back: what the store keeps instead of history.

Snapshots are written in format 2 (``docs/snapshot-format.md``): a JSON document of the
variables, tape nodes (each gate by its registry name, with what it saved), history,
optimizers and training run, plus the arrays in plain binary blocks, each written once
however many objects share it; a magic line names the format and a CRC-32 covers the rest.
Nothing in it names a Python class or module, and reading it runs no pickle.

Format-1 snapshots (pickles, written by earlier releases) are read by the migration in
``format1.py`` only, and saved again in format 2 by the journal once loaded.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from backend.errors import Refused
from backend.store.interface import Snapshot, SnapshotStats
from backend.store.snapshots import container, decode, encode, format1
from backend.store.snapshots.container import SnapshotUnreadable
from backend.workspace.workspace import Workspace

__all__ = ["SnapshotUnreadable", "capture", "format_of", "restore", "stats_of"]

FORMAT = encode.FORMAT
"""The format this release writes."""

READ_FAILURES = (KeyError, IndexError, TypeError, ValueError, AttributeError, Refused)
"""What building a workspace from a damaged or foreign document raises (a training run that
today's checks refuse included)."""


def capture(ws: Workspace, seq: int) -> Snapshot:
    """The state of ``ws`` (whose lock the caller holds) after operation ``seq``."""
    with _collector_paused():
        document, arrays = encode.document_of(ws)
        body = container.pack(document, arrays)
        # Freed before the collector is back: alive, its objects would be walked by the
        # first collection after, tens of milliseconds in which no other thread runs.
        del document, arrays
    return Snapshot(seq, ws.events.last_seq, body, stats_of(ws))


def format_of(body: bytes) -> int | None:
    """The format a snapshot's bytes say they are in (None: neither 1 nor 2)."""
    if body.startswith(container.MAGIC):
        return 2
    if body.startswith(format1.MAGIC):
        return 1
    return None


def restore(ws: Workspace, snapshot: Snapshot) -> int:
    """Give the empty ``ws`` the state in ``snapshot`` and return its format; raises
    SnapshotUnreadable, changing nothing, when it cannot be read."""
    with _collector_paused():
        state = _read(snapshot.body)
        for name, value in state.items():
            setattr(ws, name, value)
        ws.index_records()
    if ws.training is not None:
        ws.training.attach(ws)
    ws.events.last_seq = snapshot.event_seq
    return format_of(snapshot.body) or FORMAT


def stats_of(ws: Workspace) -> SnapshotStats:
    """The sizes the limits are checked against, kept beside the snapshot."""
    largest = max((v.value.size for v in ws.variables.values()), default=0)
    return SnapshotStats(len(ws.variables), largest, len(ws.context.nodes))


def _read(body: bytes) -> dict[str, Any]:
    if format_of(body) == 1:
        return format1.read(body, Workspace.STATE)
    document, arrays = container.unpack(body)
    if document.get("format") != FORMAT:
        raise SnapshotUnreadable(f"it is in format {document.get('format')!r}, not {FORMAT}")
    try:
        return decode.state_of(document, arrays)
    except READ_FAILURES as error:
        raise SnapshotUnreadable(f"its document does not hold a workspace: {error}") from error


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Writing and loading make tens of thousands of objects that all stay alive until the
    end: the cycle collector would walk them again and again for nothing (it took loading
    from 45 ms to up to 550 ms for 9,000 nodes of history)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
