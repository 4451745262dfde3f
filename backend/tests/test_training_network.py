"""The network drawn over REST: every unit's tile over the plane, and weights edited by hand."""

import numpy as np
import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error, snapshot
from backend.tests.test_training import configure, control

SMALL = {
    "dataset": {"kind": "xor", "n": 60, "noise": 0.1, "seed": 3, "test_fraction": 0.25},
    "model": {"hidden": [3, 2], "activation": "tanh", "features": ["x", "y", "xy"], "seed": 1},
    "loss": "sigmoid_cross_entropy",
    "optimizer": {"kind": "sgd", "lr": 0.1},
    "batch_size": 15,
    "epochs": 3,
    "l2": 0.0,
}


def value_of(workspace: WorkspaceHandle, name: str) -> np.ndarray:
    response = workspace.get(f"/variables/{name}")
    assert response.status_code == 200, response.text
    return np.array(response.json()["value"])


def edit(workspace: WorkspaceHandle, parameter: str, index: list, value, token=None):
    body = {"parameter": parameter, "index": index, "value": value}
    return workspace.request("PUT", "/training/weights", body, token)


def test_tiles_match_a_numpy_recomputation_of_every_layer(workspace):
    configure(workspace, SMALL)
    # A hand-set weight, so the tiles cannot come from the initial weights alone.
    assert edit(workspace, "net_W1", [2, 1], 1.5).status_code == 200
    assert control(workspace, "step").status_code == 200
    drawing = workspace.get("/training/network?resolution=6").json()

    xs = np.linspace(drawing["x_min"], drawing["x_max"], 6)
    ys = np.linspace(drawing["y_min"], drawing["y_max"], 6)
    x, y = (grid.reshape(-1) for grid in np.meshgrid(xs, ys))
    h = np.stack([x, y, x * y], axis=1)
    expected = [h]
    for layer in (1, 2, 3):
        z = h @ value_of(workspace, f"net_W{layer}") + value_of(workspace, f"net_b{layer}")
        h = np.tanh(z) if layer < 3 else z
        expected.append(h)

    layers = drawing["layers"]
    assert [layer["kind"] for layer in layers] == ["input", "hidden", "hidden", "output"]
    assert layers[0]["units"] == ["x", "y", "xy"] and layers[2]["units"] == ["1", "2"]
    assert [layer["weights"] for layer in layers] == [None, "net_W1", "net_W2", "net_W3"]
    for layer, values in zip(layers, expected, strict=True):
        tiles = np.array(layer["tiles"])  # unit, row (up in y), column
        assert tiles.shape == (values.shape[1], 6, 6)
        np.testing.assert_allclose(tiles, values.T.reshape(-1, 6, 6), atol=1e-4)
    assert drawing["parameters"]["net_W1"][2][1] != 1.5  # the step moved it on
    assert drawing["step"] == 1 and drawing["activation"] == "tanh"


def test_the_tiles_cover_the_boundary_grid(workspace):
    configure(workspace, SMALL)
    drawing = workspace.get("/training/network").json()
    boundary = workspace.get("/training/boundary?resolution=20").json()
    extent = ("x_min", "x_max", "y_min", "y_max", "resolution")
    assert {key: drawing[key] for key in extent} == {key: boundary[key] for key in extent}


def test_drawing_the_network_records_nothing(workspace):
    configure(workspace, SMALL)
    workspace.post("/variables", {"name": "a", "value": 2.0})
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "net_W1"], "output": "aW"})
    before = snapshot(workspace)
    assert workspace.get("/training/network?resolution=10").status_code == 200
    assert snapshot(workspace) == before


def test_the_resolution_is_bounded(workspace):
    configure(workspace, SMALL)
    response = workspace.get("/training/network?resolution=41")
    assert_error(response, 422, "invalid_request")


def test_a_weight_edit_changes_exactly_that_element(workspace):
    configure(workspace, SMALL)
    before = {name: value_of(workspace, name) for name in ("net_W1", "net_b1", "net_W2")}
    response = edit(workspace, "net_W1", [0, 2], 0.5)
    assert response.status_code == 200, response.text
    change = response.json()
    assert change == {
        "parameter": "net_W1",
        "index": [0, 2],
        "value": 0.5,
        "previous": before["net_W1"][0, 2],
        "step": 0,
    }
    expected = before["net_W1"].copy()
    expected[0, 2] = 0.5
    np.testing.assert_array_equal(value_of(workspace, "net_W1"), expected)
    np.testing.assert_array_equal(value_of(workspace, "net_b1"), before["net_b1"])
    np.testing.assert_array_equal(value_of(workspace, "net_W2"), before["net_W2"])
    drawing = workspace.get("/training/network").json()
    assert drawing["parameters"]["net_W1"][0][2] == 0.5


def test_a_bias_edit_moves_the_unit_tile(workspace):
    configure(workspace, SMALL)
    before = np.array(workspace.get("/training/network").json()["layers"][1]["tiles"][0])
    assert edit(workspace, "net_b1", [0, 0], 2.0).status_code == 200
    after = np.array(workspace.get("/training/network").json()["layers"][1]["tiles"][0])
    assert (after > before).all()  # tanh rises everywhere when its input does


def test_a_weight_edit_survives_a_restart(settings, workspace):
    configure(workspace, SMALL)
    control(workspace, "step")
    assert edit(workspace, "net_W2", [1, 0], -0.75).status_code == 200
    edited = value_of(workspace, "net_W2")
    with TestClient(create_app(settings)) as restarted:
        again = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        assert value_of(again, "net_W2")[1, 0] == -0.75
        np.testing.assert_array_equal(value_of(again, "net_W2"), edited)
        drawing = again.get("/training/network").json()
        assert drawing["parameters"]["net_W2"][1][0] == -0.75


@pytest.mark.parametrize(
    ("parameter", "index", "value", "status", "code", "field"),
    [
        ("net_W9", [0, 0], 1.0, 422, "unknown_parameter", "parameter"),
        ("W1", [0, 0], 1.0, 422, "unknown_parameter", "parameter"),
        ("net_W1", [3, 0], 1.0, 422, "index_out_of_range", "index"),
        ("net_b1", [0, 3], 1.0, 422, "index_out_of_range", "index"),
        ("net_W1", [0, -1], 1.0, 422, "invalid_request", "index.1"),
        ("net_W1", [0, 0, 0], 1.0, 422, "invalid_request", "index"),
        ("net_W1", [0, 0], "1.0", 422, "invalid_request", "value"),
    ],
)
def test_a_bad_edit_is_refused_naming_the_field_and_changes_nothing(
    workspace, parameter, index, value, status, code, field
):
    configure(workspace, SMALL)
    before = snapshot(workspace)
    error = assert_error(edit(workspace, parameter, index, value), status, code)
    detail = error["detail"]
    problems = detail if isinstance(detail, list) else [detail]
    fields = [problem["field"] for problem in problems]
    assert field in fields
    assert snapshot(workspace) == before


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_weight_is_refused_and_changes_nothing(workspace, value):
    configure(workspace, SMALL)
    before = snapshot(workspace)
    text = f'{{"parameter": "net_W1", "index": [0, 0], "value": {value}}}'
    response = workspace.send_json_text("PUT", "/training/weights", text)
    error = assert_error(response, 422, "invalid_request")
    assert error["detail"][0]["field"] == "value"
    assert snapshot(workspace) == before


def test_editing_before_a_run_is_configured_is_404(workspace):
    assert_error(edit(workspace, "net_W1", [0, 0], 1.0), 404, "no_training")
    assert_error(workspace.get("/training/network"), 404, "no_training")


def test_a_viewer_sees_the_network_but_cannot_edit_it(workspace):
    configure(workspace, SMALL)
    assert workspace.get("/training/network", token=workspace.viewer_token).status_code == 200
    response = edit(workspace, "net_W1", [0, 0], 1.0, token=workspace.viewer_token)
    assert_error(response, 403, "read_only")


def test_a_weight_edit_is_announced_and_makes_nodes_on_it_stale(client, workspace):
    configure(workspace, SMALL)
    # mul saves its inputs for backward: a changed input makes its node stale.
    workspace.post("/gates", {"gate": "mul", "inputs": ["net_W1", "net_W1"], "output": "sq"})
    workspace.post("/gates", {"gate": "sum", "inputs": ["sq"], "output": "s"})
    assert edit(workspace, "net_W1", [1, 1], 0.25).status_code == 200
    hub = client.app.state.registry.authorize(workspace.id, workspace.token)[0].events
    edited = [e.data for e in hub.missed_since(0) if e.type == "weight_edited"]
    assert len(edited) == 1
    assert edited[0]["parameter"] == "net_W1" and edited[0]["index"] == [1, 1]
    assert edited[0]["value"] == 0.25 and edited[0]["variable"]["name"] == "net_W1"
    error = assert_error(workspace.post("/backprop", {"variable": "s"}), 409, "stale_tape")
    assert error["detail"]["changed_by"] == "a weight edit"


def test_a_weight_edit_while_training_applies_between_steps(workspace):
    configure(workspace, {**SMALL, "epochs": 10_000, "max_steps_per_second": 20})
    assert control(workspace, "start").status_code == 200
    response = edit(workspace, "net_W1", [0, 0], 3.0)
    assert response.status_code == 200, response.text
    assert workspace.get("/training").json()["state"] == "running"
    at = response.json()["step"]
    status = control(workspace, "pause").json()
    # Only the steps taken since the edit moved the weight away from it.
    if status["step"] == at:
        assert value_of(workspace, "net_W1")[0, 0] == 3.0
    else:
        assert abs(value_of(workspace, "net_W1")[0, 0] - 3.0) < 1.0
