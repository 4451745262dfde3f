"""Memory budgets: what a workspace holds is counted exactly, refused before it is allocated
when over the workspace's or the server's budget, and given back when freed."""

import tracemalloc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import WorkspaceHandle

MIB = 2**20


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data", max_workspace_bytes=2 * MIB, max_server_bytes=3 * MIB
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def handle(client: TestClient) -> WorkspaceHandle:
    created = client.post("/api/workspaces").json()
    return WorkspaceHandle(client, created["id"], created["token"], created["viewer_token"])


def ones(workspace: WorkspaceHandle, name: str, elements: int, requires_grad: bool = False):
    body = {"name": name, "init": {"kind": "ones", "shape": [elements]}}
    return workspace.post("/variables", body | {"requires_grad": requires_grad})


def held(workspace: WorkspaceHandle) -> int:
    return workspace.get().json()["held_bytes"]


def test_held_bytes_count_values_grads_and_the_tape_once_each(client):
    workspace = handle(client)
    ones(workspace, "x", 1000, requires_grad=True)  # 8,000 bytes
    assert held(workspace) == 8000
    workspace.post("/gates", {"gate": "mul", "inputs": ["x", "x"], "output": "y"})
    # y (8,000) joins; the mul node keeps x twice (counted once) and y.
    assert held(workspace) == 16_000
    workspace.post("/gates", {"gate": "sum", "inputs": ["y"], "output": "s"})
    assert held(workspace) == 16_008  # the scalar s
    workspace.post("/backprop", {"variable": "s"})
    # The tape is empty; x, y and s keep their values and now their gradients.
    assert held(workspace) == 2 * 16_008


def test_a_variable_over_the_workspace_budget_is_refused_before_it_is_made(client):
    workspace = handle(client)
    assert ones(workspace, "a", 200_000).status_code == 201  # 1.6 MB of 2 MiB
    before = workspace.get().json()
    tracemalloc.start()
    refused = ones(workspace, "b", 100_000)  # 0.8 MB more: over
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.status_code == 413
    error = refused.json()["error"]
    assert error["code"] == "workspace_memory"
    assert error["detail"] == {"needed": 800_000, "held": 1_600_000, "limit": 2 * MIB}
    assert peak < 400_000  # the 800 kB array was never made
    assert workspace.get().json() == before


def test_workspaces_together_stay_inside_the_server_budget(client):
    first, second = handle(client), handle(client)
    assert ones(first, "a", 200_000).status_code == 201
    assert ones(second, "a", 150_000).status_code == 201  # 2.8 MB of the server's 3 MiB
    refused = ones(second, "b", 50_000)
    assert refused.status_code == 413
    assert refused.json()["error"]["code"] == "server_memory"


def test_memory_comes_back_when_a_workspace_is_deleted(client):
    first, second = handle(client), handle(client)
    ones(first, "a", 200_000)
    ones(second, "a", 150_000)
    deleted = client.delete(first.base, headers={"Authorization": f"Bearer {first.token}"})
    assert deleted.status_code == 204
    assert ones(second, "b", 50_000).status_code == 201
    assert client.app.state.registry.memory.total() == 1_600_000
