"""Export JSON / import, and the exported Python script, reproduce the workspace."""

import json
import subprocess
import sys

from backend.settings import REPO_ROOT
from backend.tests.conftest import WorkspaceHandle, assert_error


def build_small_model(workspace: WorkspaceHandle) -> None:
    requests = [
        (
            "/variables",
            {
                "name": "W",
                "init": {"kind": "randn", "shape": [3, 2], "seed": 1},
                "requires_grad": True,
            },
        ),
        ("/variables", {"name": "x", "init": {"kind": "uniform", "shape": [2, 1], "seed": 2}}),
        (
            "/variables",
            {"name": "b", "init": {"kind": "zeros", "shape": [3, 1]}, "requires_grad": True},
        ),
        ("/eval", {"source": "h = tanh(W @ x + b)\nloss = mean(h * h)"}),
        ("/backprop", {"variable": "loss"}),
        ("/optimizer/step", {"optimizer": "adam", "lr": 0.05, "params": ["W", "b"]}),
        ("/eval", {"source": "h = tanh(W @ x + b)"}),
    ]
    for path, body in requests:
        response = workspace.post(path, body)
        assert response.status_code < 300, response.text


def train_for(workspace: WorkspaceHandle, steps: int, config: dict) -> dict:
    """Configure a training run and take ``steps`` single steps; the status afterwards."""
    response = workspace.request("PUT", "/training", config)
    assert response.status_code == 200, response.text
    for _ in range(steps):
        response = workspace.post("/training/step", {})
        assert response.status_code == 200, response.text
    return response.json()


def imported_copy(workspace: WorkspaceHandle) -> WorkspaceHandle:
    """A new workspace imported from the export of ``workspace``."""
    document = workspace.get("/export")
    assert document.status_code == 200, document.text
    created = workspace.client.post("/api/workspaces/import", json=document.json())
    assert created.status_code == 201, created.text
    body = created.json()
    return WorkspaceHandle(workspace.client, body["id"], body["token"], body["viewer_token"])


def run_exported_script(workspace: WorkspaceHandle, tmp_path) -> dict:
    """Run the workspace's export.py in a fresh interpreter; what it prints, parsed."""
    script = workspace.get("/export.py")
    assert script.status_code == 200, script.text
    path = tmp_path / "rebuild.py"
    path.write_text(script.text)
    run = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT)},
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def without_id(state: dict) -> dict:
    """The state without what differs between two workspaces: the id and the event count."""
    return {key: value for key, value in state.items() if key not in ("id", "seq")}


def test_export_then_import_gives_an_identical_workspace(workspace):
    build_small_model(workspace)
    document = workspace.get("/export").json()
    assert document["format"] == "wengert-workspace" and document["version"] == 2
    [adam] = document["optimizers"]
    assert adam["settings"]["params"] == ["W", "b"] and adam["settings"]["lr"] == 0.05
    assert set(adam["state"]) == {"steps", "m.0", "m.1", "v.0", "v.1"}
    assert adam["state"]["steps"] == 1

    imported = imported_copy(workspace)
    assert imported.id != workspace.id
    state = imported.get().json()
    names = ["W", "x", "b", "matmul1", "add2", "mul4", "loss", "matmul6", "add7", "h@1", "h"]
    assert [v["name"] for v in state["variables"]] == names
    assert len(state["history"]) == 8
    assert [n["gate"] for n in state["tape"]] == ["matmul", "add", "tanh"]
    assert without_id(state) == without_id(workspace.get().json())


def test_import_of_a_broken_document_is_422_and_creates_nothing(client, workspace):
    build_small_model(workspace)
    document = workspace.get("/export").json()
    document["history"][2]["gate"] = "nosuchgate"
    response = client.post("/api/workspaces/import", json=document)
    error = assert_error(response, 422, "invalid_document")
    assert error["detail"] == {"error": "unknown_gate", "field": "gate", "name": "nosuchgate"}
    assert client.app.state.registry.store.count_workspaces() == 1


def test_import_of_a_version_1_document_replays_its_operations(client, workspace):
    operations = [
        {"kind": "create_variable", "body": {"name": "a", "value": 3.0, "requires_grad": True}},
        {"kind": "eval", "body": {"source": "b = a * a"}},
        {"kind": "backprop", "body": {"variable": "b"}},
    ]
    created = client.post("/api/workspaces/import", json={"version": 1, "operations": operations})
    assert created.status_code == 201, created.text
    body = created.json()
    state = WorkspaceHandle(client, body["id"], body["token"], body["viewer_token"]).get().json()
    values = {v["name"]: (v["value"], v["grad"]) for v in state["variables"]}
    assert values == {"a": (3.0, 6.0), "b": (9.0, 1.0)}


def test_import_of_an_unknown_version_is_422(client):
    response = client.post("/api/workspaces/import", json={"version": 99, "operations": []})
    error = assert_error(response, 422, "invalid_request")
    assert "this server reads export documents of version 1 and 2" in error["message"]
    assert client.app.state.registry.store.count_workspaces() == 0


def test_exported_script_runs_and_rebuilds_the_same_values_and_grads(workspace, tmp_path):
    build_small_model(workspace)
    assert workspace.get("/export.py").headers["content-type"].startswith("text/x-python")
    rebuilt = run_exported_script(workspace, tmp_path)
    variables = workspace.get().json()["variables"]
    assert set(rebuilt) == {var["name"] for var in variables}
    for var in variables:
        assert rebuilt[var["name"]]["value"] == var["value"], var["name"]
        assert rebuilt[var["name"]]["grad"] == var["grad"], var["name"]


def test_exported_script_includes_trained_weights(workspace, tmp_path):
    config = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 1, "batch_size": 40}
    assert train_for(workspace, 1, config)["step"] == 1
    twice = {"gate": "mul", "inputs": ["net_W1", 2.0], "output": "twice"}
    assert workspace.post("/gates", twice).status_code == 201
    rebuilt = run_exported_script(workspace, tmp_path)
    state = {v["name"]: v for v in workspace.get().json()["variables"]}
    assert rebuilt["net_W1"]["value"] == state["net_W1"]["value"]
    assert rebuilt["twice"]["value"] == state["twice"]["value"]


def test_import_brings_back_a_training_run(workspace):
    config = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 2, "batch_size": 20}
    trained = train_for(workspace, 3, config)
    assert (trained["state"], trained["epoch"], trained["step"]) == ("paused", 1, 3)
    assert [(entry["epoch"], entry["step"]) for entry in trained["history"]] == [(1, 2)]

    imported = imported_copy(workspace)
    status = imported.get("/training")
    assert status.status_code == 200, status.text
    assert status.json() == trained
    assert without_id(imported.get().json()) == without_id(workspace.get().json())
