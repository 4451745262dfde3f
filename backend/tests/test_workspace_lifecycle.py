"""Deletion, idle expiry and readiness."""

import time

from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import assert_error, create_workspace


def test_readyz_reports_the_store_reachable(client):
    assert client.get("/readyz").json() == {"status": "ready", "store": {"damaged_workspaces": 0}}


def test_readyz_is_503_not_ready_when_the_store_is_unreachable(client):
    client.app.state.registry.store.close()
    error = assert_error(client.get("/readyz"), 503, "not_ready")
    assert error["message"] == "the store is not reachable"


def test_viewer_cannot_delete(workspace):
    response = workspace.client.delete(
        workspace.base, headers=workspace._auth(workspace.viewer_token)
    )
    assert_error(response, 403, "read_only")
    assert workspace.get().status_code == 200


def test_idle_workspaces_expire_and_active_ones_stay(client, settings):
    settings.idle_expiry_seconds = 3600
    registry = client.app.state.registry
    idle = client.post("/api/workspaces").json()
    active = client.post("/api/workspaces").json()
    client.post(
        f"/api/workspaces/{active['id']}/variables",
        json={"name": "a", "value": 1.0},
        headers={"Authorization": f"Bearer {active['token']}"},
    )
    # Pretend the idle one was created two hours ago, and the other changed just now.
    registry.store._db.execute(
        "UPDATE workspaces SET created_at = created_at - 7200 WHERE id = ?", (idle["id"],)
    )
    registry.store._db.execute(
        "UPDATE workspaces SET created_at = created_at - 7200 WHERE id = ?", (active["id"],)
    )

    assert registry.expire_idle(time.time()) == 1

    def status(created: dict) -> int:
        headers = {"Authorization": f"Bearer {created['token']}"}
        return client.get(f"/api/workspaces/{created['id']}", headers=headers).status_code

    assert status(idle) == 404
    assert status(active) == 200


def test_the_app_runs_the_expiry_loop_which_deletes_idle_workspaces(tmp_path):
    settings = Settings(data_dir=tmp_path, idle_expiry_seconds=3600, expiry_check_seconds=0.05)
    with TestClient(create_app(settings)) as client:
        idle, active = create_workspace(client), create_workspace(client)
        store = client.app.state.registry.store
        # Pretend the idle one was created two hours ago.
        store._db.execute(
            "UPDATE workspaces SET created_at = created_at - 7200 WHERE id = ?", (idle.id,)
        )
        deadline = time.monotonic() + 10  # 200 periods
        while store.find_workspace(idle.id) is not None:
            assert time.monotonic() < deadline, "the idle workspace was not deleted"
            time.sleep(0.02)
        assert_error(idle.get(), 404, "workspace_not_found")
        assert active.get().status_code == 200


def test_expiry_zero_keeps_everything(client, settings):
    settings.idle_expiry_seconds = 0
    client.post("/api/workspaces")
    assert client.app.state.registry.expire_idle(time.time() + 10**9) == 0
