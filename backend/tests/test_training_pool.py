"""Runs trained by the worker pool: commands reach the worker, a killed worker's run goes on
from the replica with nothing answered lost, and the server's shutdown (or death) takes the
workers with it. The server tests run the real server and find its workers with `ps`."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import WorkspaceHandle
from backend.tests.test_training import configure, control
from backend.tests.test_training_controls import ONE_STEP_EPOCHS, adjust, wait_for
from backend.training.job import TrainingRun
from backend.training.schemas import TrainingConfig
from backend.training.timeline import Timeline
from backend.training.worker import HeldRun
from e2e.server import ServerProcess

ENDLESS = {**ONE_STEP_EPOCHS, "epochs": None, "optimizer": {"kind": "sgd", "lr": 0.05}}


def test_a_progress_the_follower_missed_still_gives_the_replica_its_history():
    run, replica = (TrainingRun(TrainingConfig(**ONE_STEP_EPOCHS)) for _ in range(2))
    held = HeldRun(1, run, Timeline(2**20))
    held.step(0.0)  # every step ends an epoch: one history entry each
    missed = held.progress()
    held.step(0.0)
    held.progress().merged_after(missed).run.apply_history(replica)
    assert [entry.epoch for entry in replica.history] == [1, 2]


def test_a_started_run_trains_in_a_worker_process(client, workspace):
    configure(workspace, ENDLESS)
    control(workspace, "start")
    wait_for(workspace, lambda s: s["step"] > 20, "step 20")
    pids = client.app.state.registry.training_pool.worker_pids()
    assert pids and os.getpid() not in pids
    assert all(_alive(pid) for pid in pids)
    control(workspace, "pause")


def test_a_paused_run_takes_no_step_after_the_answer(workspace):
    configure(workspace, ENDLESS)
    control(workspace, "start")
    wait_for(workspace, lambda s: s["step"] > 20, "step 20")
    paused = control(workspace, "pause").json()
    time.sleep(0.6)  # more than two progress intervals of the worker
    assert paused["state"] == "paused"
    assert workspace.get("/training").json()["step"] == paused["step"]


def test_a_new_stop_reaches_the_run_in_its_worker(workspace):
    # At 40 epochs a second the worker is at most a few epochs ahead of the replica read here
    # (0.25 s behind), so the new stop is still ahead of it when it arrives.
    configure(workspace, {**ENDLESS, "max_steps_per_second": 40})
    control(workspace, "start")
    running = wait_for(workspace, lambda s: s["epoch"] > 10, "epoch 10")
    stop = running["epoch"] + 60
    assert adjust(workspace, {"epochs": stop}).status_code == 200
    done = wait_for(workspace, lambda s: s["state"] == "done", "the new stop")
    assert done["epoch"] == stop  # the worker stopped there: it had the setting


def test_a_weight_edit_reaches_the_run_in_its_worker(workspace):
    configure(workspace, ENDLESS)
    control(workspace, "start")
    assert adjust(workspace, {"optimizer": {"lr": 1e-9}}).status_code == 200
    edited = _edit(workspace, 5.0)
    # Steps after the edit come from the worker once it took the edit in: had it missed
    # it, the replica would wait for it forever, or show the old weight again.
    wait_for(workspace, lambda s: s["step"] > edited["step"] + 50, "50 steps after the edit")
    assert _w1_00(workspace) == pytest.approx(5.0, abs=1e-5)
    control(workspace, "pause")


def test_with_no_workers_a_run_trains_in_a_thread_of_the_server(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", training_workers=0)
    with TestClient(create_app(settings)) as client:
        created = client.post("/api/workspaces").json()
        workspace = WorkspaceHandle(client, created["id"], created["token"], "")
        configure(workspace, ENDLESS)
        control(workspace, "start")
        wait_for(workspace, lambda s: s["step"] > 20, "step 20")
        registry = client.app.state.registry
        trainer = registry.authorize(workspace.id, workspace.token)[0].training
        assert registry.training_pool is None and trainer.remote is None
        assert f"training-{workspace.id}" in [t.name for t in threading.enumerate()]
        assert control(workspace, "pause").json()["state"] == "paused"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"WENGERT_ACCESS_LOG": "false", "WENGERT_TRAINING_WORKERS": "2"}
    server = ServerProcess(tmp_path / "data", tmp_path / "server.log", env).start()
    yield server
    server.stop()


@pytest.fixture
def remote(server: ServerProcess) -> Iterator[WorkspaceHandle]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        created = http.post("/api/workspaces").json()
        yield WorkspaceHandle(http, created["id"], created["token"], created["viewer_token"])


def test_a_run_goes_on_from_its_replica_when_its_worker_is_killed(server, remote):
    configure(remote, ENDLESS)
    control(remote, "start")
    wait_for(remote, lambda s: s["step"] > 100, "step 100")
    assert adjust(remote, {"optimizer": {"lr": 1e-9}}).status_code == 200
    answered = _edit(remote, 5.0)
    workers = _workers(server)
    assert len(workers) == 2
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    seen = _watch(remote, lambda s: s["step"] > answered["step"] + 200)
    assert min(s["step"] for s in seen) >= answered["step"]  # nothing answered went back
    assert seen[-1]["state"] == "running"
    assert seen[-1]["config"]["optimizer"]["lr"] == 1e-9
    assert _w1_00(remote) == pytest.approx(5.0, abs=1e-5)
    restarted = _workers(server)
    assert len(restarted) == 2 and not set(restarted) & set(workers)
    control(remote, "pause")


def test_stopping_the_server_stops_its_workers(server, remote):
    configure(remote, ENDLESS)
    control(remote, "start")
    wait_for(remote, lambda s: s["step"] > 20, "step 20")
    workers = _workers(server)
    assert len(workers) == 2
    server.stop()
    _wait_gone(workers)


def test_workers_of_a_killed_server_exit_by_themselves(server, remote):
    configure(remote, ENDLESS)
    control(remote, "start")
    wait_for(remote, lambda s: s["step"] > 20, "step 20")
    workers = _workers(server)
    assert len(workers) == 2
    server.kill()
    _wait_gone(workers)


def _edit(workspace: WorkspaceHandle, value: float) -> dict:
    body = {"parameter": "net_W1", "index": [0, 0], "value": value}
    response = workspace.request("PUT", "/training/weights", body)
    assert response.status_code == 200, response.text
    return response.json()


def _w1_00(workspace: WorkspaceHandle) -> float:
    return workspace.get("/variables/net_W1").json()["value"][0][0]


def _watch(workspace: WorkspaceHandle, until: Callable[[dict], bool]) -> list[dict]:
    """Every status read until ``until`` holds (60 s at most)."""
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen.append(workspace.get("/training").json())
        if until(seen[-1]):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"the run never got there; last seen at step {seen[-1]['step']}")


def _workers(server: ServerProcess) -> list[int]:
    """The server's training workers, as `ps` lists its children (spawned processes)."""
    assert server.process is not None
    listing = subprocess.run(
        ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(server.process.pid)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [int(line.split()[0]) for line in listing.splitlines() if "spawn_main" in line]


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _wait_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if _alive(pid)], "a worker outlived its server"
