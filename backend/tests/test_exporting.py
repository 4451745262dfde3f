"""Export JSON / import, and the exported Python script, reproduce the workspace."""

import json
import subprocess
import sys

from backend.settings import REPO_ROOT
from backend.tests.conftest import WorkspaceHandle


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


def run_exported_script(workspace: WorkspaceHandle, tmp_path) -> dict:
    """Run the workspace's export.py in a fresh interpreter; what it prints, parsed."""
    path = tmp_path / "rebuild.py"
    path.write_text(workspace.get("/export.py").text)
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
    return {key: value for key, value in state.items() if key != "id"}


def test_export_then_import_gives_an_identical_workspace(workspace):
    build_small_model(workspace)
    document = workspace.get("/export").json()
    assert document["format"] == "wengert-workspace" and document["version"] == 1
    assert set(document["optimizer_state"]["adam:W,b"]) == {"steps", "m.0", "m.1", "v.0", "v.1"}

    created = workspace.client.post("/api/workspaces/import", json=document)
    assert created.status_code == 201
    imported = WorkspaceHandle(
        workspace.client, **{k: created.json()[k] for k in ("id", "token", "viewer_token")}
    )
    assert imported.id != workspace.id
    assert without_id(imported.get().json()) == without_id(workspace.get().json())


def test_import_of_a_broken_document_is_422_and_creates_nothing(client, workspace):
    build_small_model(workspace)
    document = workspace.get("/export").json()
    document["operations"][3]["body"]["source"] = "h = nosuchgate(W)"
    response = client.post("/api/workspaces/import", json=document)
    assert response.status_code == 422
    assert response.json()["error"]["detail"]["operation"] == 3
    assert client.app.state.registry.store.count_workspaces() == 1


def test_import_of_an_unknown_version_is_422(client):
    response = client.post("/api/workspaces/import", json={"version": 99, "operations": []})
    assert response.status_code == 422


def test_exported_script_runs_and_rebuilds_the_same_values_and_grads(workspace, tmp_path):
    build_small_model(workspace)
    assert workspace.get("/export.py").headers["content-type"].startswith("text/x-python")
    rebuilt = run_exported_script(workspace, tmp_path)
    for var in workspace.get().json()["variables"]:
        assert rebuilt[var["name"]]["value"] == var["value"], var["name"]
        assert rebuilt[var["name"]]["grad"] == var["grad"], var["name"]


def test_exported_script_includes_trained_weights(workspace, tmp_path):
    config = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 1, "batch_size": 40}
    workspace.client.put(workspace.base + "/training", json=config, headers=workspace._auth(None))
    workspace.post("/training/step", {})
    workspace.post("/gates", {"gate": "mul", "inputs": ["net_W1", 2.0], "output": "twice"})
    rebuilt = run_exported_script(workspace, tmp_path)
    state = {v["name"]: v for v in workspace.get().json()["variables"]}
    assert rebuilt["net_W1"]["value"] == state["net_W1"]["value"]
    assert rebuilt["twice"]["value"] == state["twice"]["value"]


def test_import_brings_back_a_training_run(workspace):
    config = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 2, "batch_size": 20}
    workspace.client.put(workspace.base + "/training", json=config, headers=workspace._auth(None))
    for _ in range(3):
        workspace.post("/training/step", {})
    created = workspace.client.post("/api/workspaces/import", json=workspace.get("/export").json())
    imported = WorkspaceHandle(
        workspace.client, **{k: created.json()[k] for k in ("id", "token", "viewer_token")}
    )
    assert imported.get("/training").json() == workspace.get("/training").json()
    assert without_id(imported.get().json()) == without_id(workspace.get().json())
