"""A workspace is stored as its newest snapshot plus the operations after it, and stays small."""

import math
import pickle
import sqlite3
import zlib

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.store import snapshots
from backend.store.interface import Snapshot
from backend.store.snapshots import format1
from backend.tests.conftest import WorkspaceHandle, create_workspace
from backend.workspace.workspace import Workspace


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", snapshot_every_operations=5)


def live_workspace(client: TestClient, handle: WorkspaceHandle):
    workspace, _ = client.app.state.registry.authorize(handle.id, handle.token)
    return workspace


def stored_rows(settings: Settings, workspace_id: str) -> tuple[list[int], list[int]]:
    """The sequence numbers of the stored snapshots and operations of a workspace."""
    with sqlite3.connect(settings.data_dir / "wengert.sqlite3") as db:
        snaps = db.execute(
            "SELECT seq FROM snapshots WHERE workspace_id = ? ORDER BY seq", (workspace_id,)
        )
        snapshots = [row[0] for row in snaps]
        ops = db.execute(
            "SELECT seq FROM operations WHERE workspace_id = ? ORDER BY seq", (workspace_id,)
        )
        return snapshots, [row[0] for row in ops]


def grow(workspace: WorkspaceHandle, count: int) -> None:
    """``count`` operations: a parameter, then gates and backprops in turn."""
    response = workspace.post(
        "/variables", {"name": "w", "value": [1.0, 2.0], "requires_grad": True}
    )
    assert response.status_code == 201, response.text
    for i in range(count - 1):
        if i % 2 == 0:
            response = workspace.post(
                "/gates", {"gate": "mul", "inputs": ["w", "w"], "output": f"sq{i}"}
            )
        else:
            response = workspace.post("/backprop", {"variable": f"sq{i - 1}"})
        assert response.status_code < 300, response.text


def test_snapshots_compact_the_journal_to_the_newest_two_and_what_follows(settings, client):
    workspace = create_workspace(client)
    grow(workspace, 23)
    live_workspace(client, workspace).journal.wait()
    snapshots, operations = stored_rows(settings, workspace.id)
    # A snapshot is asked for every 5 operations (after 5, 10, 15 and 20) and taken in the
    # background, after one or two more when the machine is busy: the two newest are kept,
    # with the operations after the older one, so a damaged newest snapshot loses nothing.
    assert len(snapshots) == 2 and 20 <= snapshots[1] <= 23 and snapshots[0] < snapshots[1]
    assert operations == list(range(snapshots[0] + 1, 24))


def test_a_restart_loads_the_snapshot_and_its_tail_to_the_same_state(settings, client):
    workspace = create_workspace(client)
    grow(workspace, 23)
    live_workspace(client, workspace).journal.wait()
    before = workspace.get().json()
    with TestClient(create_app(settings)) as restarted:
        after = restarted.get(
            workspace.base, headers={"Authorization": f"Bearer {workspace.token}"}
        )
        assert after.status_code == 200, after.text
        assert after.json() == before
        # Writes after the restart continue the journal where it ended.
        handle = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        after_restart = {"gate": "mul", "inputs": ["w", 2.0], "output": "later"}
        assert handle.post("/gates", after_restart).status_code == 201
    assert stored_rows(settings, workspace.id)[1][-1] == 24


def test_backprop_still_works_on_a_tape_loaded_from_a_snapshot(settings, client):
    """The tape's nodes, with what their gates saved, come back from the snapshot."""
    workspace = create_workspace(client)
    assert (
        workspace.post(
            "/variables", {"name": "x", "value": [3.0], "requires_grad": True}
        ).status_code
        == 201
    )
    assert workspace.post("/eval", {"source": "y = tanh(x * x)"}).status_code == 200
    live = live_workspace(client, workspace)
    with live.lock:
        live.journal.snapshot()
    with TestClient(create_app(settings)) as restarted:
        handle = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        assert [n["gate"] for n in handle.get().json()["tape"]] == ["mul", "tanh"]
        assert handle.post("/backprop", {"variable": "y"}).status_code == 200
        x = handle.get("/variables/x").json()
    # d/dx tanh(x²) = 2x (1 - tanh²(x²)) at x = 3
    assert x["grad"] == [pytest.approx(6 * (1 - math.tanh(9.0) ** 2))]


def test_a_long_training_run_keeps_about_two_snapshots_on_disk(settings):
    # A timeline of 1 MiB is full within the first 10 steps: from then on it stays that size.
    settings = settings.model_copy(update={"timeline_bytes": 2**20})
    with TestClient(create_app(settings)) as client:
        check_two_snapshots_on_disk(settings, create_workspace(client))


def check_two_snapshots_on_disk(settings: Settings, workspace: WorkspaceHandle) -> None:
    config = {
        "dataset": {"n": 200},
        "model": {"hidden": [64, 64]},
        "epochs": 1000,
        "batch_size": 20,
    }
    assert workspace.request("PUT", "/training", config).status_code == 200

    def disk_after(steps: int) -> int:
        for _ in range(steps):
            response = workspace.post("/training/step", {})  # each step is a checkpoint
            assert response.status_code == 200, response.text
        with sqlite3.connect(settings.data_dir / "wengert.sqlite3") as db:
            # What the write-ahead log holds goes into the file, as SQLite does on its own
            # every 1,000 pages: the file is what stays.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return (settings.data_dir / "wengert.sqlite3").stat().st_size

    early = disk_after(10)
    late = disk_after(60)
    # Every step is a snapshot after the configuration (operation 1): two are kept, and
    # the configuration itself is compacted away.
    assert stored_rows(settings, workspace.id) == ([1, 1], [])
    assert late <= early * 1.5, f"the store grew from {early} to {late} bytes"


def test_a_format_1_snapshot_from_before_a_part_of_the_state_was_kept_still_loads(settings, client):
    workspace = create_workspace(client)
    grow(workspace, 3)
    live = live_workspace(client, workspace)
    with live.lock:
        snapshot = snapshots.capture(live, live.journal.seq)
    older = {name: getattr(live, name) for name in Workspace.STATE if name != "touched"}
    pickled = pickle.dumps(older, protocol=5)
    body = format1.MAGIC + zlib.crc32(pickled).to_bytes(4, "big") + pickled
    restored = Workspace(live.id, settings)
    snapshots.restore(restored, Snapshot(snapshot.seq, snapshot.event_seq, body, snapshot.stats))
    assert restored.touched == {}  # a new workspace's
    assert [v.name for v in restored.variables.values()] == [
        v.name for v in live.variables.values()
    ]

    alien = pickle.dumps({**older, "something_else": 1}, protocol=5)
    body = format1.MAGIC + zlib.crc32(alien).to_bytes(4, "big") + alien
    with pytest.raises(snapshots.SnapshotUnreadable, match="another kind of state"):
        snapshots.restore(restored, Snapshot(1, 1, body, snapshot.stats))
