"""A small operation runs on the event loop, except while the store is writing a snapshot
(megabytes, under the lock every append takes): then it waits in a thread, and the loop
goes on serving everyone else."""

import asyncio
import threading
from pathlib import Path

from backend.schemas import GateApply, VariableCreate
from backend.settings import Settings
from backend.store.registry import WorkspaceRegistry
from backend.store.sqlite import SqliteStore
from backend.workspace.operations import perform, perform_soon

WAIT = 10  # seconds; generous, as a failure would otherwise hang


class HeldSnapshots(SqliteStore):
    """The real SQLite store, whose snapshot writes hold its lock until a signal."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.writing = threading.Event()
        self.release = threading.Event()

    def _insert_snapshot(self, workspace_id, snapshot) -> None:
        self.writing.set()
        assert self.release.wait(WAIT)
        super()._insert_snapshot(workspace_id, snapshot)


def test_a_gate_waits_for_a_snapshot_write_off_the_event_loop(tmp_path):
    store = HeldSnapshots(tmp_path / "data")
    registry = WorkspaceRegistry(Settings(data_dir=store.path.parent), store)
    first, second = registry.create(), registry.create()
    snapshotting, _ = registry.authorize(first.id, first.token)
    scripting, _ = registry.authorize(second.id, second.token)
    perform(scripting, "create_variable", VariableCreate(name="x", value=[1.0, 2.0]))
    writer = threading.Thread(target=lambda: snapshotting.journal.snapshot(), daemon=True)
    writer.start()
    assert store.writing.wait(WAIT)

    async def meanwhile() -> None:
        gate = asyncio.ensure_future(
            perform_soon(scripting, "apply_gate", GateApply(gate="mul", inputs=["x", 2.0]))
        )
        # Were the gate journaled on the loop, the loop would stop here until the release.
        safety = threading.Timer(3.0, store.release.set)
        safety.start()
        await asyncio.sleep(0.05)
        served_while_writing = not store.release.is_set()
        store.release.set()
        safety.cancel()
        applied = await asyncio.wait_for(gate, WAIT)
        assert served_while_writing, "the event loop waited for the snapshot write"
        assert applied.outputs

    asyncio.run(meanwhile())
    writer.join(WAIT)
    assert scripting.variables["x"] is not None
