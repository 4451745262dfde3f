"""Limits apply to requests, not to loading: a workspace stored under higher limits loads,
and the server says at start how many exceed today's."""

import logging

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import WorkspaceHandle, assert_error, create_workspace

BIG = [
    ("/variables", {"name": "big", "init": {"kind": "ones", "shape": [50]}, "requires_grad": True}),
    ("/variables", {"name": "other", "value": 1.0}),
    ("/gates", {"gate": "mul", "inputs": ["big", 2.0], "output": "twice"}),
    ("/gates", {"gate": "mul", "inputs": ["twice", 2.0], "output": "four"}),
]


@pytest.mark.parametrize("snapshot", [True, False], ids=["from-a-snapshot", "from-the-journal"])
def test_a_workspace_over_lowered_limits_loads_and_only_new_requests_are_refused(
    tmp_path, caplog, snapshot
):
    data = tmp_path / "data"
    with TestClient(create_app(Settings(data_dir=data))) as client:
        workspace = create_workspace(client)
        for path, body in BIG:
            assert workspace.post(path, body).status_code == 201
        if snapshot:
            live, _ = client.app.state.registry.authorize(workspace.id, workspace.token)
            with live.lock:
                live.journal.snapshot()
        before = workspace.get().json()

    lowered = Settings(data_dir=data, max_tensor_elements=10, max_variables=2, max_tape_length=1)
    with caplog.at_level(logging.WARNING), TestClient(create_app(lowered)) as client:
        handle = WorkspaceHandle(client, workspace.id, workspace.token, workspace.viewer_token)
        after = handle.get()
        assert after.status_code == 200, after.text
        assert after.json() == before
        refused = handle.post("/variables", {"name": "more", "value": 1.0})
        assert_error(refused, 413, "too_many_variables")
        assert handle.post("/backprop", {"variable": "four"}).status_code == 200
    said = caplog.text
    assert ("1 stored workspaces exceed today's limits" in said) == snapshot
    assert f"workspace {workspace.id} exceeds today's limits" in said
