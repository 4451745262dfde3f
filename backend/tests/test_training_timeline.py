"""A training run's timeline over REST: kept steps within a byte budget, a run at a kept
step, forks and runs, layers' histograms; all of it through a restart and a kill -9."""

from __future__ import annotations

from pathlib import Path

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import WorkspaceHandle, assert_error, create_workspace
from backend.tests.test_training import MOONS, configure, control
from backend.training.job import TrainingRun
from backend.training.schemas import TrainingConfig
from backend.training.timeline import Timeline
from e2e.server import ServerProcess

ENDLESS = {**MOONS, "epochs": None}


def steps(workspace: WorkspaceHandle, count: int) -> None:
    for _ in range(count):
        assert control(workspace, "step").status_code == 200


def kept_steps(workspace: WorkspaceHandle, query: str = "") -> list[int]:
    answer = workspace.get("/training/timeline" + query)
    assert answer.status_code == 200, answer.text
    return [entry["step"] for entry in answer.json()["steps"]]


def fork(workspace: WorkspaceHandle, body: dict) -> dict:
    answer = workspace.post("/training/fork", body)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture
def small_budget(tmp_path: Path) -> Settings:
    # 64 KiB holds ~5 steps of the default network (11 KiB each): the thinning shows quickly.
    return Settings(data_dir=tmp_path / "data", access_log=False, timeline_bytes=2**16)


def test_the_first_steps_are_all_kept_from_step_0(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 12)
    assert kept_steps(workspace) == list(range(13))


def test_a_long_run_keeps_step_0_and_the_newest_within_its_budget(small_budget):
    with TestClient(create_app(small_budget)) as client:
        workspace = create_workspace(client)
        configure(workspace, ENDLESS)
        for count in (7, 40, 113):
            steps(workspace, count - int(workspace.get("/training").json()["step"]))
            timeline = workspace.get("/training/timeline").json()
            kept = [entry["step"] for entry in timeline["steps"]]
            assert kept[0] == 0 and kept[-1] == count
            assert timeline["kept_bytes"] <= timeline["budget_bytes"] == 2**16
            assert kept == sorted(set(kept)) and len(kept) >= 3


def test_the_start_stays_kept_step_by_step_when_later_steps_thin_out(tmp_path):
    # 2 MiB holds ~185 steps of the default network (11 KiB each): half go to the start.
    settings = Settings(data_dir=tmp_path / "data", access_log=False, timeline_bytes=2**21)
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        configure(workspace, ENDLESS)
        steps(workspace, 240)
        timeline = workspace.get("/training/timeline").json()
        kept = [entry["step"] for entry in timeline["steps"]]
        assert set(range(90)) <= set(kept) and kept[-1] == 240
        assert timeline["spacing"] >= 2 and timeline["kept_bytes"] <= 2**21


def test_each_kept_step_has_its_epoch_and_metrics(workspace):
    configure(workspace, {**ENDLESS, "dataset": {**MOONS["dataset"], "n": 64}})
    steps(workspace, 3)  # 48 training points in batches of 32: an epoch every 2 steps
    entries = workspace.get("/training/timeline").json()["steps"]
    assert [e["epoch"] for e in entries] == [0, 0, 1, 1]
    assert entries[1]["metrics"]["train_loss"] is None
    assert entries[2]["metrics"]["train_loss"] is not None


def test_at_0_equals_the_initial_weights_of_an_identical_fresh_run(client, workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 5)
    at_0 = workspace.get("/training/at/0").json()
    fresh = create_workspace(client)
    status = configure(fresh, ENDLESS)
    for name in status["parameters"]:
        initial = fresh.get(f"/variables/{name}").json()["value"]
        assert at_0["parameters"][name.removeprefix("net_")] == initial
    assert at_0["gradients"] == {} and at_0["step"] == 0


def test_at_a_step_gives_that_steps_weights_and_gradients(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 3)
    at_3 = workspace.get("/training/at/3").json()
    assert at_3["parameters"]["W1"] == workspace.get("/variables/net_W1").json()["value"]
    assert at_3["gradients"]["W1"] == workspace.get("/variables/net_W1").json()["grad"]
    assert at_3["parameters"]["W1"] != workspace.get("/training/at/2").json()["parameters"]["W1"]


def test_a_step_not_kept_is_404_naming_the_nearest_kept_steps(small_budget):
    with TestClient(create_app(small_budget)) as client:
        workspace = create_workspace(client)
        configure(workspace, ENDLESS)
        steps(workspace, 30)
        kept = kept_steps(workspace)
        missing = next(step for step in range(30) if step not in kept)
        error = assert_error(workspace.get(f"/training/at/{missing}"), 404, "step_not_kept")
        before = max(s for s in kept if s < missing)
        after = min(s for s in kept if s > missing)
        assert error["detail"]["nearest"] == [before, after]
        assert str(before) in error["message"] and str(after) in error["message"]


def test_a_fork_has_exactly_the_originals_parameters_at_its_step_then_trains_on(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 8)
    at_5 = workspace.get("/training/at/5").json()
    status = fork(workspace, {"step": 5, "optimizer": {"lr": 0.1}})
    assert status["step"] == 5 and status["state"] == "paused"
    assert status["config"]["optimizer"]["lr"] == 0.1
    for name, value in at_5["parameters"].items():
        assert workspace.get(f"/variables/net_{name}").json()["value"] == value
    assert kept_steps(workspace) == [5]
    steps(workspace, 2)
    assert kept_steps(workspace) == [5, 6, 7]
    after = workspace.get("/variables/net_W1").json()["value"]
    assert after != at_5["parameters"]["W1"]
    original = workspace.get("/training/at/7?run=1").json()["parameters"]["W1"]
    assert after != original  # the new learning rate took it elsewhere


def test_a_fork_with_nothing_changed_retraces_the_original(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 6)
    fork(workspace, {"step": 3})
    steps(workspace, 3)
    for step in (4, 5, 6):
        again = workspace.get(f"/training/at/{step}").json()
        first = workspace.get(f"/training/at/{step}?run=1").json()
        assert again["parameters"] == first["parameters"]


def test_a_fork_takes_the_settings_in_force_at_its_step(workspace):
    configure(workspace, ENDLESS)  # Adam
    steps(workspace, 2)
    patched = workspace.request("PATCH", "/training", {"optimizer": {"kind": "sgd", "lr": 0.5}})
    assert patched.status_code == 200, patched.text
    steps(workspace, 2)
    status = fork(workspace, {"step": 1})
    assert status["config"]["optimizer"]["kind"] == "adam"
    assert status["config"]["optimizer"]["lr"] == 0.01
    steps(workspace, 1)
    retraced = workspace.get("/training/at/2").json()["parameters"]
    assert retraced == workspace.get("/training/at/2?run=1").json()["parameters"]


def test_the_runs_list_names_each_runs_parent_fork_step_and_history(workspace):
    configure(workspace, {**ENDLESS, "dataset": {**MOONS["dataset"], "n": 64}})
    steps(workspace, 4)
    fork(workspace, {"step": 2, "l2": 0.01})
    steps(workspace, 1)
    fork(workspace, {"step": 0, "run": 1})  # the same initial weights again
    runs = workspace.get("/training/runs").json()["runs"]
    assert [(r["id"], r["parent"], r["fork_step"], r["current"]) for r in runs] == [
        (1, None, None, False),
        (2, 1, 2, False),
        (3, 1, 0, True),
    ]
    assert [e["step"] for e in runs[0]["history"]] == [2, 4]
    assert [e["step"] for e in runs[1]["history"]] == [2]
    assert runs[1]["config"]["l2"] == 0.01 and runs[2]["config"]["l2"] == 0.0
    assert runs[2]["history"] == [] and runs[2]["kept_steps"] == 1
    initial = workspace.get("/training/at/0?run=1").json()["parameters"]
    assert workspace.get("/training/at/0").json()["parameters"] == initial


def test_the_runs_list_without_history_names_the_same_runs_with_empty_histories(workspace):
    configure(workspace, {**ENDLESS, "dataset": {**MOONS["dataset"], "n": 64}})
    steps(workspace, 4)
    fork(workspace, {"step": 2})
    whole = workspace.get("/training/runs").json()["runs"]
    short = workspace.get("/training/runs?history=false").json()["runs"]
    assert whole[0]["history"] != []
    assert [r["history"] for r in short] == [[], []]
    assert [{**r, "history": []} for r in whole] == short
    assert_error(workspace.get("/training/runs?history=maybe"), 422, "invalid_request")


def test_forking_an_unknown_run_or_step_is_404_and_changes_nothing(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 3)
    before = workspace.get("/training").json()
    assert_error(workspace.post("/training/fork", {"step": 9}), 404, "step_not_kept")
    error = assert_error(workspace.post("/training/fork", {"step": 0, "run": 7}), 404, "no_run")
    assert error["detail"] == {"runs": [1]}
    assert_error(workspace.post("/training/fork", {"step": -1}), 422, "invalid_request")
    assert workspace.get("/training").json() == before
    assert len(workspace.get("/training/runs").json()["runs"]) == 1


@pytest.mark.parametrize("path", ["/training/at/-1", "/training/at/a", "/training/at/0?run=0"])
def test_a_malformed_step_or_run_is_422(workspace, path):
    configure(workspace, ENDLESS)
    assert_error(workspace.get(path), 422, "invalid_request")


def test_a_viewer_cannot_fork(workspace):
    configure(workspace, ENDLESS)
    answer = workspace.post("/training/fork", {"step": 0}, token=workspace.viewer_token)
    assert answer.status_code == 403


def test_older_runs_go_past_the_kept_runs_limit(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", access_log=False, training_runs_kept=2)
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        configure(workspace, ENDLESS)
        steps(workspace, 1)
        for _ in range(3):
            fork(workspace, {"step": 1})
        ids = [run["id"] for run in workspace.get("/training/runs").json()["runs"]]
        assert ids == [3, 4]


def test_histograms_sum_to_each_layers_parameter_count(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 4)
    layers = workspace.get("/training/histograms?bins=12").json()["layers"]
    assert [layer["parameters"] for layer in layers] == [2 * 16 + 16, 16 * 16 + 16, 16 * 2 + 2]
    for layer in layers:
        weights, gradients = layer["weights"], layer["gradients"]
        assert weights["steps"] == [0, 1, 2, 3, 4] and gradients["steps"] == [1, 2, 3, 4]
        assert len(weights["edges"]) == 13
        for row in weights["counts"] + gradients["counts"]:
            assert len(row) == 12 and sum(row) == layer["parameters"]


def test_histograms_follow_the_weights_as_they_change(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 30)
    first_layer = workspace.get("/training/histograms").json()["layers"][0]["weights"]
    counts = np.array(first_layer["counts"])
    assert (counts[0] != counts[-1]).any()


def test_the_timeline_and_runs_survive_a_restart(settings, workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 4)
    fork(workspace, {"step": 2})
    steps(workspace, 1)
    timeline = workspace.get("/training/timeline?run=1").json()
    runs = workspace.get("/training/runs").json()
    at_3 = workspace.get("/training/at/3?run=1").json()
    histograms = workspace.get("/training/histograms").json()
    with TestClient(create_app(settings)) as restarted:
        again = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        assert again.get("/training/timeline?run=1").json() == timeline
        assert again.get("/training/runs").json() == runs
        assert again.get("/training/at/3?run=1").json() == at_3
        assert again.get("/training/histograms").json() == histograms
        steps(again, 1)
        assert kept_steps(again) == [2, 3, 4]


def test_the_timeline_and_runs_survive_a_kill_9(tmp_path):
    server = ServerProcess(tmp_path / "data", tmp_path / "server.log").start()
    try:
        created = httpx.post(f"{server.url}/api/workspaces").json()
        base = f"{server.url}/api/workspaces/{created['id']}/training"
        with httpx.Client(headers={"Authorization": f"Bearer {created['token']}"}) as http:
            assert http.put(base, json=ENDLESS).status_code == 200
            for _ in range(6):
                assert http.post(base + "/step").status_code == 200
            assert http.post(base + "/fork", json={"step": 3}).status_code == 200
            assert http.post(base + "/step").status_code == 200
            timeline = http.get(base + "/timeline?run=1").json()
            runs = http.get(base + "/runs").json()
            at_4 = http.get(base + "/at/4").json()
            server.kill()
            server = ServerProcess(tmp_path / "data", tmp_path / "server.log").start()
            base = base.replace(base.split("/api/")[0], server.url)
            assert http.get(base + "/timeline?run=1").json() == timeline
            assert http.get(base + "/runs").json() == runs
            assert http.get(base + "/at/4").json() == at_4
    finally:
        server.stop()


def test_before_a_run_is_configured_the_timeline_is_404(workspace):
    for path in ("/training/timeline", "/training/at/0", "/training/runs", "/training/histograms"):
        assert_error(workspace.get(path), 404, "no_training")


def test_the_kept_bytes_are_counted_as_steps_come_and_go():
    run = TrainingRun(TrainingConfig(**ENDLESS))
    timeline = Timeline(2**16)
    for _ in range(60):  # thinned several times over
        run.train_step()
        timeline.record(run)
        assert timeline.nbytes == sum(entry.nbytes for entry in timeline.kept) <= 2**16
    run.step -= 5  # put back to an earlier step: the steps after it go
    timeline.record(run)
    assert timeline.kept[-1].step == run.step
    assert timeline.nbytes == sum(entry.nbytes for entry in timeline.kept)
    timeline.kept = timeline.kept[:2]  # as a replica takes the worker's kept steps
    assert timeline.nbytes == sum(entry.nbytes for entry in timeline.kept)
