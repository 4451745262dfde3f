"""A workspace's whole state as bytes, and back: what the store keeps instead of history.

The state is pickled in one piece (protocol 5), so arrays shared between variables, tape
nodes and gates stay shared, and a gate's saved tensors come back exactly as backward
needs them. Only the server's own store is read this way; an imported document is built
from its contents instead (see ``backend/state_document.py``). The unpickler still finds
only the engine's, the backend's and NumPy's classes, so a damaged or tampered row cannot
name anything else.
"""

from __future__ import annotations

import gc
import io
import pickle
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from backend.store import Snapshot, SnapshotStats
from backend.workspaces import Workspace

MAGIC = b"wengert-snapshot-1\n"
ALLOWED_MODULES = ("engine", "backend", "numpy", "collections")
ALLOWED_BUILTINS = {"set", "frozenset", "slice", "complex", "range", "bytearray"}


class SnapshotUnreadable(Exception):
    """A snapshot that is truncated, altered or written in an unknown format."""


def capture(ws: Workspace, seq: int) -> Snapshot:
    """The state of ``ws`` (whose lock the caller holds) after operation ``seq``."""
    state = {name: getattr(ws, name) for name in Workspace.STATE}
    body = pickle.dumps(state, protocol=5)
    checked = MAGIC + zlib.crc32(body).to_bytes(4, "big") + body
    return Snapshot(seq, ws.events.last_seq, checked, stats_of(ws))


def restore(ws: Workspace, snapshot: Snapshot) -> None:
    """Give the empty ``ws`` the state in ``snapshot``; raises SnapshotUnreadable, changing
    nothing, when it cannot be read."""
    state = _read(snapshot.body)
    for name, value in state.items():
        setattr(ws, name, value)
    ws.index_records()
    if ws.training is not None:
        ws.training.ws = ws
    ws.events.last_seq = snapshot.event_seq


def stats_of(ws: Workspace) -> SnapshotStats:
    largest = max((v.value.size for v in ws.variables.values()), default=0)
    return SnapshotStats(len(ws.variables), largest, len(ws.context.nodes))


def _read(body: bytes) -> dict[str, Any]:
    if not body.startswith(MAGIC):
        raise SnapshotUnreadable("it does not start as a Wengert snapshot")
    checksum, pickled = body[len(MAGIC) : len(MAGIC) + 4], body[len(MAGIC) + 4 :]
    if zlib.crc32(pickled).to_bytes(4, "big") != checksum:
        raise SnapshotUnreadable("its checksum does not match (truncated or altered)")
    try:
        with _collector_paused():
            state = _Unpickler(io.BytesIO(pickled)).load()
    except Exception as error:  # a matching checksum over bytes this code cannot read
        raise SnapshotUnreadable(f"it cannot be unpickled: {error}") from error
    # A snapshot from before a part of the state was kept lacks it: that part starts as a
    # new workspace's. A part this server does not know is another server's state.
    if not isinstance(state, dict) or not set(state) <= set(Workspace.STATE):
        raise SnapshotUnreadable("it holds another kind of state than this server keeps")
    return state


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Unpickling makes tens of thousands of objects that all stay alive: the cycle
    collector would walk them again and again for nothing (it took loading from 45 ms to
    up to 550 ms for 9,000 nodes of history)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        top = module.split(".")[0]
        if top in ALLOWED_MODULES or (module == "builtins" and name in ALLOWED_BUILTINS):
            return super().find_class(module, name)
        if module == "copyreg" and name == "_reconstructor":
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a snapshot may not name {module}.{name}")
