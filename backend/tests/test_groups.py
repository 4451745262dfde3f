"""Module groups: a gate application names its module; the state, a restart and an
export/import keep it."""

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error, snapshot
from backend.tests.test_exporting import imported_copy

PROGRAM = 'x = const([1.0, 2.0])\nw = [0.5, -1.0]\nwith group("enc"):\n    h = x * w\n'
PROGRAM += '    with group("0"):\n        y = tanh(h)\nloss = sum(y)'


def groups_of(state: dict) -> dict[str, str | None]:
    return {node["outputs"][0]: node["group"] for node in state["history"]}


@pytest.fixture
def grouped(workspace: WorkspaceHandle) -> WorkspaceHandle:
    assert workspace.post("/eval", {"source": PROGRAM}).status_code == 200
    body = {"gate": "mul", "inputs": ["loss", 2.0], "output": "out", "group": "head.fc"}
    assert workspace.post("/gates", body).status_code == 201
    return workspace


def test_gates_record_the_group_their_request_or_block_gives(grouped: WorkspaceHandle):
    expected = {"h": "enc", "y": "enc.0", "loss": None, "out": "head.fc"}
    assert groups_of(grouped.get().json()) == expected


@pytest.mark.parametrize("group", ["", "enc..0", "has space", ".enc", "a/b"])
def test_a_malformed_group_is_a_422_that_changes_nothing(grouped: WorkspaceHandle, group: str):
    before = snapshot(grouped)
    body = {"gate": "tanh", "inputs": ["w"], "group": group}
    error = assert_error(grouped.post("/gates", body), 422, "invalid_request")
    assert "group" in error["message"]
    assert snapshot(grouped) == before


def test_groups_survive_a_restart(settings, grouped: WorkspaceHandle):
    before = grouped.get().json()
    with TestClient(create_app(settings)) as restarted:
        headers = {"Authorization": f"Bearer {grouped.token}"}
        after = restarted.get(grouped.base, headers=headers).json()
    assert groups_of(after) == groups_of(before)


def test_groups_survive_an_export_and_import(grouped: WorkspaceHandle):
    assert groups_of(imported_copy(grouped).get().json()) == groups_of(grouped.get().json())
