"""The registry on PostgreSQL: a stopped server gives its workspaces up, an idle workspace's
lease is given up, and a workspace whose lease was taken over is no longer served here."""

import time

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.store.interface import OwnedElsewhere
from backend.store.postgres import PostgresStore
from backend.store.registry import WorkspaceRegistry
from backend.tests.conftest import assert_error, create_workspace
from backend.tests.test_persistence import build_and_train_once


def test_a_stopped_server_gives_its_workspaces_to_the_next_at_once(database_url, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    with TestClient(create_app(settings)) as first:
        workspace = create_workspace(first)
        build_and_train_once(workspace)
        before = workspace.get().json()
    with TestClient(create_app(settings)) as second:
        auth = {"Authorization": f"Bearer {workspace.token}"}
        after = second.get(workspace.base, headers=auth)
    assert after.status_code == 200, after.text
    assert after.json() == before


def registry(database_url: str, tmp_path, **leases: float) -> WorkspaceRegistry:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, **leases)
    return WorkspaceRegistry(settings, PostgresStore(database_url, settings.lease_seconds))


def test_an_idle_workspace_is_given_up_and_a_busy_one_kept(database_url, tmp_path):
    owner = registry(database_url, tmp_path, lease_idle_seconds=0.2)
    idle, busy = owner.create(), owner.create()
    owner.authorize(idle.id, idle.token)
    time.sleep(0.3)
    owner.authorize(busy.id, busy.token)
    assert owner.keep_leases() == [idle.id]
    other = PostgresStore(database_url)
    other.claim(idle.id)
    with pytest.raises(OwnedElsewhere):
        other.claim(busy.id)
    other.close()
    owner.store.close()


def test_a_workspace_taken_over_is_refused_here_and_not_written(database_url, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, lease_seconds=0.3)
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        assert workspace.get().status_code == 200  # this process serves it from now on
        time.sleep(0.4)  # the lease lapses unrenewed (renewals come every 3 s)
        thief = PostgresStore(database_url, lease_seconds=30)
        thief.claim(workspace.id)
        refused = workspace.post("/variables", {"name": "a", "value": [1.0]})
        assert_error(refused, 503, "workspace_elsewhere")
        assert refused.headers["Retry-After"] and thief.operations(workspace.id) == []
        thief.close()
