"""Training data beyond two classes: k-class blobs and spirals, regression on a plane and
a Gaussian bump, and the user's own points set over REST."""

import json
import time

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error, snapshot
from backend.tests.test_training import configure, control, train_to_the_end

BASE = {
    "model": {"hidden": [16, 16], "activation": "relu", "features": ["x", "y"]},
    "loss": "softmax_cross_entropy",
    "optimizer": {"kind": "adam", "lr": 0.02},
    "batch_size": 32,
    "epochs": 30,
}
PLANE = {**BASE, "dataset": {"kind": "plane", "n": 400, "noise": 0.1}, "loss": "mse", "epochs": 20}
CUSTOM = {**BASE, "dataset": {"kind": "custom", "test_fraction": 0.25}, "epochs": 100}
# Three corners, four points each.
THREE_CLASSES = [
    [cx + dx, cy + dy, label]
    for label, (cx, cy) in enumerate([(-1, -1), (1, -1), (0, 1)])
    for dx, dy in [(0, 0), (0.2, 0), (0, 0.2), (-0.2, -0.1)]
]


def set_points(workspace: WorkspaceHandle, points: list, token: str | None = None):
    return workspace.client.put(
        workspace.base + "/training/data", json={"points": points}, headers=workspace._auth(token)
    )


@pytest.mark.parametrize(("kind", "classes"), [("blobs", 4), ("spirals", 3)])
def test_k_class_datasets_have_k_labels_and_train_past_chance(workspace, kind, classes):
    dataset = {"kind": kind, "n": 300, "noise": 0.05, "classes": classes}
    status = configure(workspace, {**BASE, "dataset": dataset})
    points = workspace.get("/training/points").json()
    assert set(points["train_labels"]) == set(range(classes)) and points["classes"] == classes
    assert status["graph"][-2]["outputs"] == ["z3"]
    assert workspace.get("/variables/net_b3").json()["shape"] == [1, classes]

    done = train_to_the_end(workspace)
    assert done["metrics"]["test_accuracy"] > 1.5 / classes, done["metrics"]
    boundary = workspace.get("/training/boundary?resolution=10").json()
    assert boundary["classes"] == classes and boundary["probabilities"] is None
    predicted = {label for row in boundary["predicted"] for label in row}
    assert len(predicted) >= 2 and predicted <= set(range(classes))
    assert all(1 / classes <= p <= 1 for row in boundary["confidence"] for p in row)


def test_two_classes_keep_the_class_one_probability(workspace):
    configure(workspace, {**BASE, "dataset": {"kind": "blobs"}})
    boundary = workspace.get("/training/boundary?resolution=6").json()
    assert boundary["classes"] == 2 and len(boundary["probabilities"]) == 6
    for p_row, class_row in zip(boundary["probabilities"], boundary["predicted"], strict=True):
        assert [int(p > 0.5) for p in p_row] == class_row


def test_more_than_two_classes_need_softmax(workspace):
    config = {**BASE, "dataset": {"kind": "blobs", "classes": 3}, "loss": "mse"}
    response = workspace.client.put(
        workspace.base + "/training", json=config, headers=workspace._auth(None)
    )
    assert "3 classes need the softmax_cross_entropy loss" in response.json()["error"]["message"]


def test_plane_regression_reaches_a_test_mse_below_005_in_seconds(workspace):
    configure(workspace, PLANE)
    started = time.monotonic()
    done = train_to_the_end(workspace)
    assert time.monotonic() - started < 10
    metrics = done["metrics"]
    assert metrics["test_mse"] < 0.05 and metrics["train_mse"] < 0.05, metrics
    assert metrics["test_accuracy"] is None and metrics["train_accuracy"] is None
    points = workspace.get("/training/points").json()
    assert points["train_labels"] == [] and len(points["train_targets"]) == 300
    boundary = workspace.get("/training/boundary?resolution=5").json()
    assert boundary["predicted"] is None and boundary["probabilities"] is None
    # Bottom-left corner low, top-right high: the plane (x + y) / 2.
    assert boundary["values"][0][0] < -0.5 < 0.5 < boundary["values"][-1][-1]


def test_a_gaussian_bump_is_high_in_the_middle(workspace):
    configure(workspace, {**PLANE, "dataset": {"kind": "gaussian", "noise": 0.0}, "epochs": 40})
    train_to_the_end(workspace)
    values = workspace.get("/training/boundary?resolution=9").json()["values"]
    assert values[4][4] > 0.6 and values[0][0] < 0.3


def test_regression_needs_the_mse_loss(workspace):
    config = {**PLANE, "loss": "softmax_cross_entropy"}
    response = workspace.client.put(
        workspace.base + "/training", json=config, headers=workspace._auth(None)
    )
    assert_error(response, 422, "invalid_request")
    assert "plane is a regression dataset" in response.json()["error"]["message"]


def test_custom_points_round_trip_and_train(workspace):
    configure(workspace, CUSTOM)
    assert_error(control(workspace, "step"), 409, "no_data")
    answer = set_points(workspace, THREE_CLASSES)
    assert answer.status_code == 200, answer.text
    assert answer.json()["reset"] is True and answer.json()["status"]["step"] == 0
    assert workspace.get("/training/data").json() == {"points": THREE_CLASSES}
    points = workspace.get("/training/points").json()
    assert len(points["train"]) == 9 and len(points["test"]) == 3

    done = train_to_the_end(workspace)
    assert done["metrics"]["train_accuracy"] >= 0.9
    boundary = workspace.get("/training/boundary?resolution=4").json()
    assert boundary["x_min"] <= -1.5 and boundary["x_max"] >= 1.5


def test_custom_points_train_one_output_per_class_present(workspace):
    configure(workspace, CUSTOM)
    assert workspace.get("/variables/net_b3").json()["shape"] == [1, 2]  # no points: two
    set_points(workspace, THREE_CLASSES)
    assert workspace.get("/variables/net_b3").json()["shape"] == [1, 3]
    assert workspace.get("/training/points").json()["classes"] == 3
    boundary = workspace.get("/training/boundary?resolution=4").json()
    assert boundary["classes"] == 3
    assert {p for row in boundary["predicted"] for p in row} <= {0, 1, 2}
    set_points(workspace, [[0.0, 0.0, 0], [1.0, 1.0, 4]])
    assert workspace.get("/variables/net_b3").json()["shape"] == [1, 5]


def test_setting_points_resets_the_run_and_is_streamed(client, workspace):
    configure(workspace, CUSTOM)
    set_points(workspace, THREE_CLASSES)
    control(workspace, "step")
    status = set_points(workspace, THREE_CLASSES[:6]).json()["status"]
    assert status["step"] == 0 and status["state"] == "idle"
    hub = client.app.state.registry.authorize(workspace.id, workspace.token)[0].events
    counts = [e.data["points"] for e in hub.missed_since(0) if e.type == "training_data"]
    assert counts == [12, 6]


@pytest.mark.parametrize(
    ("point", "field", "problem"),
    [
        ([0.0, 0.0, 6], "points.1", "whole number 0 to 5"),
        ([0.0, 0.0, 1.5], "points.1", "whole number 0 to 5"),
        ([0.0, 0.0, -1], "points.1", "whole number 0 to 5"),
        ([1e308 * 10, 0.0, 1], "points.1.0", "finite"),
        ([0.0, 1], "points.1", "at least 3"),
        ([0.0, "1", 1], "points.1.1", "number"),
    ],
)
def test_a_bad_point_is_422_naming_it_and_changes_nothing(workspace, point, field, problem):
    configure(workspace, CUSTOM)
    set_points(workspace, THREE_CLASSES[:2])
    before = snapshot(workspace)
    # Sent as text, which Python writes with Infinity where a float is infinite.
    text = json.dumps({"points": [[0, 0, 0], point]})
    response = workspace.send_json_text("PUT", "/training/data", text)
    detail = assert_error(response, 422, "invalid_request")["detail"][0]
    assert detail["field"] == field and problem in detail["problem"], detail
    assert snapshot(workspace) == before
    assert workspace.get("/training/data").json()["points"] == THREE_CLASSES[:2]


def test_a_label_the_loss_cannot_tell_is_422(workspace):
    configure(workspace, {**CUSTOM, "loss": "sigmoid_cross_entropy"})
    set_points(workspace, [[0, 0, 0], [1, 1, 1]])
    before = snapshot(workspace)
    response = set_points(workspace, [[0, 0, 0], [1, 1, 1], [0.5, 0.5, 2]])
    error = assert_error(response, 422, "bad_point")
    assert error["message"].startswith("point 2 [0.5, 0.5, 2]") and error["detail"] == {"point": 2}
    assert snapshot(workspace) == before
    assert workspace.get("/training/data").json()["points"] == [[0, 0, 0], [1, 1, 1]]


def test_too_many_points_are_refused(workspace):
    configure(workspace, CUSTOM)
    response = set_points(workspace, [[0, 0, 0]] * 5001)
    assert_error(response, 422, "invalid_request")


def test_a_viewer_cannot_set_points(workspace):
    configure(workspace, CUSTOM)
    assert_error(set_points(workspace, THREE_CLASSES, workspace.viewer_token), 403, "read_only")


def test_points_stay_through_a_new_setup(workspace):
    configure(workspace, CUSTOM)
    set_points(workspace, THREE_CLASSES)
    configure(workspace, {**CUSTOM, "model": {"hidden": [4]}})
    assert workspace.get("/training/data").json()["points"] == THREE_CLASSES


def test_a_restart_keeps_custom_data(settings, workspace):
    configure(workspace, CUSTOM)
    set_points(workspace, THREE_CLASSES)
    for _ in range(3):
        control(workspace, "step")
    with TestClient(create_app(settings)) as restarted:
        again = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        assert again.get("/training/data").json()["points"] == THREE_CLASSES
        assert len(again.get("/training/points").json()["train"]) == 9
        assert again.get("/training").json()["step"] == 3
