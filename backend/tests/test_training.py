"""Training over REST: it learns, pauses and resumes the same run, survives restarts."""

import time

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error, snapshot, workspace_with

MOONS = {
    "dataset": {"kind": "moons", "n": 400, "noise": 0.1, "seed": 0, "test_fraction": 0.25},
    "model": {"hidden": [16, 16], "activation": "relu", "features": ["x", "y"]},
    "loss": "softmax_cross_entropy",
    "optimizer": {"kind": "adam", "lr": 0.01},
    "batch_size": 32,
    "epochs": 50,
    "l2": 0.0,
}


def configure(workspace: WorkspaceHandle, config: dict) -> dict:
    response = workspace.client.put(
        workspace.base + "/training", json=config, headers=workspace._auth(None)
    )
    assert response.status_code == 200, response.text
    return response.json()


def control(workspace: WorkspaceHandle, action: str):
    return workspace.post(f"/training/{action}", {})


def train_to_the_end(workspace: WorkspaceHandle) -> dict:
    assert control(workspace, "start").status_code == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = workspace.get("/training").json()
        if status["state"] == "done":
            return status
        time.sleep(0.05)
    raise AssertionError("training did not finish")


def weights(workspace: WorkspaceHandle) -> dict[str, list]:
    return {
        v["name"]: v["value"]
        for v in workspace.get().json()["variables"]
        if v["name"].startswith("net_")
    }


def test_moons_mlp_reaches_95_percent_test_accuracy(workspace):
    configure(workspace, MOONS)
    status = train_to_the_end(workspace)
    assert status["epoch"] == 50
    assert status["metrics"]["test_accuracy"] >= 0.95
    losses = [entry["train_loss"] for entry in status["history"]]
    assert losses[-1] < losses[0] / 5


def test_the_graph_of_one_step_is_known_before_training(workspace):
    graph = configure(workspace, MOONS)["graph"]
    gates = [node["gate"] for node in graph]
    assert gates == ["matmul", "add", "relu"] * 2 + ["matmul", "add", "softmax_cross_entropy"]
    assert graph[0]["inputs"] == ["input", "W1"]


def test_weights_are_ordinary_workspace_variables(workspace):
    status = configure(workspace, MOONS)
    assert status["parameters"] == ["net_W1", "net_b1", "net_W2", "net_b2", "net_W3", "net_b3"]
    assert control(workspace, "step").json()["step"] == 1
    w1 = workspace.get("/variables/net_W1").json()
    assert w1["shape"] == [2, 16] and w1["requires_grad"] and any(any(row) for row in w1["grad"])


def test_pause_and_resume_continue_the_same_run(client):
    def new_workspace() -> WorkspaceHandle:
        created = client.post("/api/workspaces").json()
        return WorkspaceHandle(client, created["id"], created["token"], created["viewer_token"])

    config = {**MOONS, "epochs": 400}
    paused, stepped = new_workspace(), new_workspace()
    configure(paused, config)
    configure(stepped, config)
    control(paused, "start")
    time.sleep(0.05)
    at = control(paused, "pause").json()["step"]
    assert 0 < at < 400 * 10
    for _ in range(3):
        control(paused, "step")
    for _ in range(at + 3):
        control(stepped, "step")
    assert paused.get("/training").json()["step"] == at + 3
    assert weights(paused) == weights(stepped)


def test_restart_keeps_trained_weights_and_metrics(settings, workspace):
    configure(workspace, {**MOONS, "epochs": 5})
    finished = train_to_the_end(workspace)
    trained = weights(workspace)
    with TestClient(create_app(settings)) as restarted:
        again = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        status = again.get("/training").json()
        assert status["state"] == "done" and status["epoch"] == 5
        assert status["history"] == finished["history"]
        assert weights(again) == trained


def test_restart_mid_run_resumes_paused_at_the_last_checkpoint(settings, workspace):
    configure(workspace, {**MOONS, "epochs": 3})
    for _ in range(7):
        control(workspace, "step")
    trained = weights(workspace)
    with TestClient(create_app(settings)) as restarted:
        again = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        assert again.get("/training").json()["state"] == "paused"
        assert again.get("/training").json()["step"] == 7
        assert weights(again) == trained


def test_reset_starts_over(workspace):
    first = configure(workspace, MOONS)
    control(workspace, "step")
    status = control(workspace, "reset").json()
    assert status["step"] == 0 and status["history"] == [] and status["state"] == "idle"
    assert status["parameters"] == first["parameters"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dataset": {"kind": "swirl"}}, "dataset.kind"),
        ({"model": {"hidden": [16, 0]}}, "model.hidden.1"),
        ({"batch_size": 0}, "batch_size"),
        ({"optimizer": {"kind": "adam", "lr": -1}}, "optimizer.lr"),
        ({"loss": "hinge"}, "loss"),
    ],
)
def test_bad_config_is_422_naming_the_field(workspace, change, field):
    response = workspace.client.put(
        workspace.base + "/training", json={**MOONS, **change}, headers=workspace._auth(None)
    )
    assert_error(response, 422, "invalid_request")
    assert response.json()["error"]["detail"][0]["field"] == field


def test_controlling_training_before_configuring_is_404(workspace):
    assert_error(control(workspace, "start"), 404, "no_training")
    assert_error(control(workspace, "step"), 404, "no_training")


def test_stepping_a_finished_run_is_409(workspace):
    configure(workspace, {**MOONS, "epochs": 1})
    train_to_the_end(workspace)
    assert_error(control(workspace, "step"), 409, "training_done")


def test_viewer_cannot_start_training(workspace):
    configure(workspace, MOONS)
    response = workspace.post("/training/start", {}, token=workspace.viewer_token)
    assert_error(response, 403, "read_only")


def test_boundary_and_points_cover_the_data(workspace):
    configure(workspace, MOONS)
    points = workspace.get("/training/points").json()
    assert len(points["train"]) == 300 and len(points["test"]) == 100
    boundary = workspace.get("/training/boundary?resolution=8").json()
    assert len(boundary["probabilities"]) == 8
    xs = [p[0] for p in points["train"]]
    assert boundary["x_min"] < min(xs) and boundary["x_max"] > max(xs)
    assert all(0 <= p <= 1 for row in boundary["probabilities"] for p in row)


def test_every_dataset_kind_trains(workspace):
    for kind in ("moons", "circles", "spirals", "xor", "blobs"):
        configure(workspace, {**MOONS, "dataset": {**MOONS["dataset"], "kind": kind}, "epochs": 2})
        assert control(workspace, "step").status_code == 200


def test_training_changes_are_streamed_as_events(client, workspace):
    configure(workspace, {**MOONS, "epochs": 2})
    control(workspace, "step")
    train_to_the_end(workspace)
    registry = client.app.state.registry
    hub = registry.authorize(workspace.id, workspace.token)[0].events
    states = [e.data["state"] for e in hub.missed_since(0) if e.type == "training"]
    assert states[0] == "idle" and "paused" in states and states[-1] == "done"


def test_a_configure_past_the_variable_limit_is_413_and_changes_nothing(tmp_path):
    # Each run's six weights (two layers of 16 and the output) stay, the earlier as versions.
    with workspace_with(tmp_path, max_variables=21) as workspace:
        workspace.post("/variables", {"name": "x", "value": 1.0})
        for _ in range(3):
            configure(workspace, MOONS)
        assert len(workspace.get().json()["variables"]) == 19
        before = snapshot(workspace), workspace.get("/training").json()
        other = {**MOONS, "model": {**MOONS["model"], "hidden": [8]}}
        response = workspace.client.put(
            workspace.base + "/training", json=other, headers=workspace._auth(None)
        )
        error = assert_error(response, 413, "too_many_variables")
        assert "at most 21 variables" in error["message"]
        assert (snapshot(workspace), workspace.get("/training").json()) == before
        smaller = {**MOONS, "model": {**MOONS["model"], "hidden": []}}
        assert configure(workspace, smaller)["parameters"] == ["net_W1", "net_b1"]
