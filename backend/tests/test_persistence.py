"""Workspaces survive a restart: the journal replays to exactly the same state."""

from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error


def build_and_train_once(workspace: WorkspaceHandle) -> None:
    steps = [
        (
            "/variables",
            {
                "name": "W",
                "init": {"kind": "randn", "shape": [3, 2], "seed": 7},
                "requires_grad": True,
            },
        ),
        ("/variables", {"name": "x", "value": [[1.0], [2.0]]}),
        ("/gates", {"gate": "mul", "inputs": ["W", "W"], "output": "sq"}),
        ("/backprop", {"variable": "sq", "seed": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]}),
        ("/gates", {"gate": "add", "inputs": ["W", 1.5], "output": "shifted"}),
    ]
    for path, body in steps:
        response = workspace.post(path, body)
        assert response.status_code < 300, response.text


def test_restart_rebuilds_values_grads_tape_and_history(settings, workspace):
    build_and_train_once(workspace)
    before = workspace.get().json()

    with TestClient(create_app(settings)) as restarted:
        after = restarted.get(
            workspace.base, headers={"Authorization": f"Bearer {workspace.token}"}
        )

    assert after.status_code == 200
    assert after.json() == before
    assert [n["gate"] for n in before["tape"]] == ["add"]


def test_replayed_gradient_matches_hand_value(settings, workspace):
    build_and_train_once(workspace)
    w = next(v for v in workspace.get().json()["variables"] if v["name"] == "W")
    seed = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    for row_w, row_g, row_s in zip(w["value"], w["grad"], seed, strict=True):
        for value, grad, s in zip(row_w, row_g, row_s, strict=True):
            assert abs(grad - 2 * value * s) < 1e-12


def test_restart_keeps_tokens_and_the_viewer_still_cannot_write(settings, workspace):
    with TestClient(create_app(settings)) as restarted:
        headers = {"Authorization": f"Bearer {workspace.viewer_token}"}
        assert restarted.get(workspace.base, headers=headers).status_code == 200
        response = restarted.post(
            workspace.base + "/variables", json={"name": "a", "value": 1.0}, headers=headers
        )
        assert_error(response, 403, "read_only")


def test_failed_requests_are_not_journaled(settings, workspace):
    workspace.post("/variables", {"name": "a", "value": 1.0})
    workspace.post("/variables", {"name": "a", "value": 2.0})
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "missing"]})
    with TestClient(create_app(settings)) as restarted:
        state = restarted.get(
            workspace.base, headers={"Authorization": f"Bearer {workspace.token}"}
        ).json()
    assert [(v["name"], v["value"]) for v in state["variables"]] == [("a", 1.0)]
    assert state["history"] == []


def test_deleted_workspace_stays_deleted_after_restart(settings, workspace):
    response = workspace.client.delete(
        workspace.base, headers={"Authorization": f"Bearer {workspace.token}"}
    )
    assert response.status_code == 204
    with TestClient(create_app(settings)) as restarted:
        response = restarted.get(
            workspace.base, headers={"Authorization": f"Bearer {workspace.token}"}
        )
    assert_error(response, 404, "workspace_not_found")
