"""Damage to the store is contained and said: a workspace loads up to its last good point,
can be read, refuses writes until its owner repairs it; a damaged file stops the server
with a way out."""

import json
import sqlite3
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import REPO_ROOT, Settings
from backend.store.checks import open_checked
from backend.store.interface import StoreDamaged
from backend.tests.conftest import WorkspaceHandle, assert_error, create_workspace

GOOD = [
    ("/variables", {"name": "a", "value": [1.0, 2.0], "requires_grad": True}),
    ("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "b"}),
    ("/backprop", {"variable": "b"}),
]


def reopened(settings: Settings, handle: WorkspaceHandle) -> tuple[TestClient, WorkspaceHandle]:
    client = TestClient(create_app(settings))
    client.__enter__()
    return client, WorkspaceHandle(client, handle.id, handle.token, handle.viewer_token)


def journaled_workspace(settings: Settings) -> WorkspaceHandle:
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        for path, body in GOOD:
            assert workspace.post(path, body).status_code < 300
    return workspace


def store_file(settings: Settings) -> sqlite3.Connection:
    return sqlite3.connect(settings.data_dir / "wengert.sqlite3", isolation_level=None)


def append_row(settings: Settings, workspace_id: str, kind: str, body: str) -> None:
    with store_file(settings) as db:
        db.execute(
            "INSERT INTO operations VALUES (?, ?, ?, ?, ?, ?)",
            (workspace_id, 4, kind, body, 9, 0.0),
        )


CORRUPT_ROWS = {
    "bad-json": ("create_variable", '{"name": "c", "value": [1.0'),
    "unknown-kind": ("transmogrify", "{}"),
    "conflicting-name": ("create_variable", json.dumps({"name": "a", "value": 5.0})),
}


@pytest.mark.parametrize("corrupt", CORRUPT_ROWS.values(), ids=CORRUPT_ROWS.keys())
def test_a_corrupt_row_leaves_the_workspace_readable_damaged_and_repairable(settings, corrupt):
    workspace = journaled_workspace(settings)
    append_row(settings, workspace.id, *corrupt)
    client, workspace = reopened(settings, workspace)
    try:
        state = workspace.get()
        assert state.status_code == 200, state.text
        body = state.json()
        assert body["damage"]["at"] == 4 and body["damage"]["kind"] == corrupt[0]
        assert body["damage"]["lost_operations"] == 1
        assert {v["name"]: v["grad"] for v in body["variables"]} == {
            "a": [2.0, 4.0],
            "b": [1.0, 1.0],
        }
        registry = client.app.state.registry
        assert registry.is_loaded(workspace.id)  # loaded once, not again per request
        assert client.get("/readyz").json()["store"] == {"damaged_workspaces": 1}

        refused = workspace.post("/variables", {"name": "c", "value": 1.0})
        error = assert_error(refused, 409, "workspace_damaged")
        assert error["detail"]["at"] == 4
        assert workspace.get("/export").status_code == 200  # reads still work

        repaired = workspace.post("/repair", {})
        assert repaired.status_code == 200, repaired.text
        assert repaired.json()["damage"] is None
        assert workspace.post("/variables", {"name": "c", "value": 1.0}).status_code == 201
    finally:
        client.__exit__(None, None, None)
    client, workspace = reopened(settings, workspace)
    try:
        state = workspace.get().json()
        assert state["damage"] is None
        assert [v["name"] for v in state["variables"]] == ["a", "b", "c"]
    finally:
        client.__exit__(None, None, None)


def snapshotted_workspace(settings: Settings) -> tuple[WorkspaceHandle, dict]:
    """Seven variables, with snapshots (every 2 operations) saved; the workspace and its state."""
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        for i in range(7):
            created = workspace.post("/variables", {"name": f"v{i}", "value": float(i)})
            assert created.status_code == 201
        live, _ = client.app.state.registry.authorize(workspace.id, workspace.token)
        live.journal.wait()
        return workspace, workspace.get().json()


def test_a_truncated_newest_snapshot_falls_back_to_the_one_before(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", snapshot_every_operations=2)
    workspace, before = snapshotted_workspace(settings)
    with store_file(settings) as db:
        db.execute(
            "UPDATE snapshots SET body = substr(body, 1, 40) "
            "WHERE id = (SELECT max(id) FROM snapshots)"
        )
    client, workspace = reopened(settings, workspace)
    try:
        after = workspace.get().json()
        assert after == before  # nothing was lost: the older snapshot and its operations
    finally:
        client.__exit__(None, None, None)


def test_with_no_readable_snapshot_and_a_compacted_journal_the_loss_is_said(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", snapshot_every_operations=2)
    workspace, _ = snapshotted_workspace(settings)
    with store_file(settings) as db:
        db.execute("UPDATE snapshots SET body = x'00'")
    client, workspace = reopened(settings, workspace)
    try:
        state = workspace.get().json()
        assert state["damage"]["kind"] == "snapshot" and state["damage"]["lost_operations"] == 7
        assert state["variables"] == []
        assert workspace.post("/repair", {}).json()["damage"] is None
        assert workspace.post("/variables", {"name": "fresh", "value": 1.0}).status_code == 201
    finally:
        client.__exit__(None, None, None)


def test_a_file_that_is_not_a_database_stops_the_server_with_the_way_out(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "wengert.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreDamaged, match=r"\.recover"):
        open_checked(Settings(data_dir=data))
    run = subprocess.run(
        [sys.executable, "-m", "backend", "--data-dir", str(data), "--port", "1"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0
    assert "cannot be opened" in run.stderr and "sqlite3" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("page", [2, 3], ids=["the-check-finds-problems", "the-check-cannot-run"])
def test_a_damaged_page_fails_the_quick_check(settings, page):
    journaled_workspace(settings)
    path = settings.data_dir / "wengert.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    raw = bytearray(path.read_bytes())
    raw[page_size * page : page_size * (page + 1)] = b"\xff" * page_size  # overwritten
    path.write_bytes(bytes(raw))
    with pytest.raises(StoreDamaged, match=r"fails SQLite's quick_check"):
        open_checked(settings)


def test_a_training_run_whose_snapshots_are_all_unreadable_says_so(settings):
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        config = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 5, "batch_size": 20}
        assert workspace.request("PUT", "/training", config).status_code == 200
        for _ in range(3):  # each step is a checkpoint: the configuration is compacted away
            assert workspace.post("/training/step", {}).status_code == 200
    with store_file(settings) as db:
        assert db.execute("SELECT count(*) FROM operations").fetchone() == (0,)
        db.execute("UPDATE snapshots SET body = x'00'")
    client, workspace = reopened(settings, workspace)
    try:
        damage = workspace.get().json()["damage"]
        assert damage["kind"] == "snapshot" and damage["lost_operations"] == 1
    finally:
        client.__exit__(None, None, None)
