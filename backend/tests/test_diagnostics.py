"""Never silently wrong over REST: a stale tape is refused, where NaN was born is reported,
and every backprop reports gradient health."""

import math

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import WorkspaceHandle, assert_error, create_workspace, snapshot

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _create(workspace: WorkspaceHandle, name: str, value, requires_grad: bool = True) -> None:
    body = {"name": name, "value": value, "requires_grad": requires_grad}
    assert workspace.post("/variables", body).status_code == 201


def _gate(workspace: WorkspaceHandle, gate: str, inputs: list, output: str, **extra) -> dict:
    response = workspace.post("/gates", {"gate": gate, "inputs": inputs, "output": output, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def _backprop(workspace: WorkspaceHandle, variable: str) -> dict:
    response = workspace.post("/backprop", {"variable": variable})
    assert response.status_code == 200, response.text
    return response.json()


def _variable(state: dict, name: str) -> dict:
    return next(v for v in state["variables"] if v["name"] == name)


def _stale_workspace(workspace: WorkspaceHandle) -> None:
    """w = 2, x = 3; y = w * x backpropagated (w.grad = 3); z = w * x recorded; then an SGD
    step with lr 1 sets w to -1, after z's node saved the old w."""
    _create(workspace, "w", 2.0)
    _create(workspace, "x", 3.0)
    _gate(workspace, "mul", ["w", "x"], "y")
    _backprop(workspace, "y")
    _gate(workspace, "mul", ["w", "x"], "z")
    step = {"optimizer": "sgd", "lr": 1.0, "params": ["w"]}
    assert workspace.post("/optimizer/step", step).status_code == 200


def test_backprop_after_an_optimizer_step_is_a_409_stale_tape(workspace: WorkspaceHandle) -> None:
    _stale_workspace(workspace)
    before = snapshot(workspace)
    error = assert_error(workspace.post("/backprop", {"variable": "z"}), 409, "stale_tape")
    assert error["message"] == (
        "w was changed by an optimizer step after node #2 (mul) recorded it; "
        "run the forward pass again"
    )
    assert error["detail"] == {
        "variable": "w",
        "node": 2,
        "gate": "mul",
        "changed_by": "an optimizer step",
    }
    assert snapshot(workspace) == before  # x.grad is still 2, not the wrong -1


@pytest.mark.parametrize("snapshot_every", [1000, 1], ids=["journal replayed", "snapshot"])
def test_a_restart_still_refuses_the_stale_tape(tmp_path, snapshot_every: int) -> None:
    settings = Settings(data_dir=tmp_path / "data", snapshot_every_operations=snapshot_every)
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        _stale_workspace(workspace)
        live, _ = client.app.state.registry.authorize(workspace.id, workspace.token)
        live.journal.wait()
    with TestClient(create_app(settings)) as restarted:
        workspace.client = restarted
        response = workspace.post("/backprop", {"variable": "z"})
    assert assert_error(response, 409, "stale_tape")["detail"]["node"] == 2


def test_the_state_marks_the_stale_node(workspace: WorkspaceHandle) -> None:
    _stale_workspace(workspace)
    history = workspace.get().json()["history"]
    assert [(n["id"], n["stale"]) for n in history] == [(1, True), (2, True)]


def test_the_forward_pass_run_again_backprops_with_the_new_value(
    workspace: WorkspaceHandle,
) -> None:
    _stale_workspace(workspace)
    assert workspace.post("/zero_grad", {}).status_code == 200
    _gate(workspace, "mul", ["w", "x"], "z2")
    gradients = _backprop(workspace, "z2")["gradients"]
    assert (gradients["w"], gradients["x"]) == (3.0, -1.0)


def test_a_gate_that_makes_infinity_reports_where_it_was_born(workspace: WorkspaceHandle) -> None:
    _create(workspace, "a", [1.0, 0.0])
    applied = _gate(workspace, "log", ["a"], "y", allow_nonfinite=True)
    expected = {
        "phase": "forward",
        "node": 1,
        "gate": "log",
        "variable": "y",
        "index": [1],
        "value": "-inf",
        "explanation": "log made −∞ at [1] from finite inputs: log(0) = −∞",
    }
    assert applied["node"]["anomaly"] == expected
    state = workspace.get().json()
    assert state["history"][0]["anomaly"] == expected
    assert state["anomalies"] == [expected]


def test_a_refused_non_finite_result_says_where_it_was_born(workspace: WorkspaceHandle) -> None:
    _create(workspace, "a", [0.0, 2.0])
    _create(workspace, "b", [0.0, 1.0])
    response = workspace.post("/gates", {"gate": "div", "inputs": ["a", "b"], "output": "q"})
    error = assert_error(response, 422, "non_finite")
    assert "(div made NaN at [0] from inputs without NaN: div(0, 0) = NaN)" in error["message"]


def test_an_eval_names_the_gate_that_made_nan(workspace: WorkspaceHandle) -> None:
    _create(workspace, "a", 800.0)
    response = workspace.post("/eval", {"source": "y = exp(a)"})
    error = assert_error(response, 422, "non_finite")
    assert "exp made ∞ from finite inputs: exp(800) = ∞" in error["message"]


def test_sqrt_at_zero_reports_the_backward_step_that_made_infinity(
    workspace: WorkspaceHandle,
) -> None:
    _create(workspace, "a", [4.0, 0.0])
    _gate(workspace, "sqrt", ["a"], "r")
    _gate(workspace, "sum", ["r"], "s")
    result = _backprop(workspace, "s")
    expected = {
        "phase": "backward",
        "node": 1,
        "gate": "sqrt",
        "variable": "a",
        "index": [1],
        "value": "inf",
        "explanation": "sqrt's backward gave ∞ for its input #1 at [1] although the gradient "
        "flowing in is finite; that input is 0 there",
    }
    assert result["anomaly"] == expected
    assert workspace.get().json()["anomalies"] == [expected]
    # The next clean backprop clears it.
    _gate(workspace, "mul", ["a", "a"], "sq")
    _gate(workspace, "sum", ["sq"], "t")
    assert _backprop(workspace, "t")["anomaly"] is None
    assert workspace.get().json()["anomalies"] == []


def test_backprop_reports_a_saturated_tanh_as_vanishing(workspace: WorkspaceHandle) -> None:
    _create(workspace, "a", [9.0, 10.0])
    _gate(workspace, "tanh", ["a"], "t")
    _gate(workspace, "sum", ["t"], "s")
    health = _backprop(workspace, "s")["health"]
    # tanh'(x) = sech(x)**2: 6.1e-8 at 9 and 8.2e-9 at 10.
    norm = math.hypot(1 / math.cosh(9.0) ** 2, 1 / math.cosh(10.0) ** 2)
    assert health["a"]["norm"] == pytest.approx(norm, rel=1e-6)
    assert health["a"]["warnings"] == ["vanishing"]
    assert health["a"]["zero_fraction"] == 0.0
    assert health["s"]["norm"] == 1.0 and health["s"]["warnings"] == []
    assert _variable(workspace.get().json(), "a")["health"] == health["a"]


def test_backprop_reports_a_scaled_up_chain_as_exploding(workspace: WorkspaceHandle) -> None:
    _create(workspace, "a", [1.0, 1.0])
    _gate(workspace, "mul", ["a", 1e5], "big")
    _gate(workspace, "sum", ["big"], "s")
    health = _backprop(workspace, "s")["health"]["a"]
    assert health["norm"] == pytest.approx(math.sqrt(2) * 1e5)
    assert (health["max_abs"], health["ratio"]) == (pytest.approx(1e5), pytest.approx(1e5))
    assert health["warnings"] == ["exploding"]


def test_a_dead_relu_layer_is_counted_unit_by_unit(workspace: WorkspaceHandle) -> None:
    _create(workspace, "x", [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=False)
    _create(workspace, "W", [[1.0, -1.0, 1.0], [1.0, -1.0, -1.0]])
    _gate(workspace, "matmul", ["x", "W"], "z")
    _gate(workspace, "relu", ["z"], "h")  # unit 1 is negative for every row; unit 2 too
    _gate(workspace, "sum", ["h"], "s")
    health = _backprop(workspace, "s")["health"]["h"]
    assert (health["dead_units"], health["units"]) == (2, 3)
    assert health["warnings"] == ["dead_units"]
    assert health["notes"] == [
        "2 of 3 units are zero for every row of the batch: no gradient passes them, so what "
        "feeds them stops learning"
    ]


def test_a_training_step_makes_nodes_on_its_weights_stale(workspace: WorkspaceHandle) -> None:
    config = {
        "dataset": {"kind": "moons", "n": 40, "noise": 0.1, "seed": 0, "test_fraction": 0.25},
        "model": {"hidden": [4], "activation": "relu", "features": ["x", "y"]},
        "loss": "softmax_cross_entropy",
        "optimizer": {"kind": "sgd", "lr": 0.1},
        "batch_size": 8,
        "epochs": 2,
        "l2": 0.0,
    }
    response = workspace.client.put(
        workspace.base + "/training", json=config, headers=workspace._auth(None)
    )
    assert response.status_code == 200, response.text
    _gate(workspace, "mul", ["net_W1", "net_W1"], "sq")
    _gate(workspace, "sum", ["sq"], "s")
    assert workspace.post("/training/step", {}).status_code == 200
    error = assert_error(workspace.post("/backprop", {"variable": "s"}), 409, "stale_tape")
    assert error["detail"] == {
        "variable": "net_W1",
        "node": 1,
        "gate": "mul",
        "changed_by": "a training step",
    }
