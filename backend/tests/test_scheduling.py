"""Fair scheduling: requests wait for their workspace's turn without holding a worker thread,
queues are short (429 with Retry-After beyond them), and heavy work has slots of its own."""

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import WorkspaceHandle

WAIT = 10


def handle(client: TestClient) -> WorkspaceHandle:
    created = client.post("/api/workspaces").json()
    return WorkspaceHandle(client, created["id"], created["token"], created["viewer_token"])


@contextmanager
def busy(client: TestClient, workspace: WorkspaceHandle) -> Iterator[ThreadPoolExecutor]:
    """Hold the workspace's lock (as a training step would) and give a pool to send
    requests from; the lock is released before the pool waits for them."""
    held = client.app.state.registry.authorize(workspace.id, workspace.token)[0].lock
    pool = ThreadPoolExecutor(80)
    held.acquire()
    try:
        yield pool
    finally:
        held.release()
        pool.shutdown()


def waiting(requests: list[Future]) -> None:
    time.sleep(0.5)  # let them reach the server and queue
    assert not any(r.done() for r in requests)


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", max_queued_requests=4, heavy_slots=1)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_a_full_workspace_queue_answers_429_at_once_even_to_viewers(client):
    workspace = handle(client)
    with busy(client, workspace) as pool:
        queued = [pool.submit(workspace.get) for _ in range(4)]
        waiting(queued)
        started = time.monotonic()
        refused = workspace.get(token=workspace.viewer_token)
        assert time.monotonic() - started < 1
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert [r.result(WAIT).status_code for r in queued] == [200] * 4


def test_requests_waiting_on_a_busy_workspace_hold_no_worker_thread(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", max_queued_requests=100)
    with TestClient(create_app(settings)) as client:
        busy_one, other = handle(client), handle(client)
        other.post("/variables", {"name": "a", "value": 1.0})
        with busy(client, busy_one) as pool:
            queued = [pool.submit(busy_one.get) for _ in range(60)]  # more than the 40 threads
            waiting(queued)
            answer = pool.submit(other.get, "/variables/a").result(WAIT)
        assert answer.status_code == 200
        assert all(r.result(WAIT).status_code == 200 for r in queued)


def test_a_workspace_has_one_heavy_job_running_and_one_waiting(client):
    workspace = handle(client)
    workspace.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "b"})
    gradcheck = {"variable": "b", "wrt": ["a"]}
    with busy(client, workspace) as pool:
        heavy = [pool.submit(workspace.post, "/gradcheck", gradcheck) for _ in range(2)]
        waiting(heavy)
        refused = workspace.post("/gradcheck", gradcheck)
        light = pool.submit(workspace.get)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "2")
    assert [r.result(WAIT).status_code for r in heavy] == [200, 200]
    assert light.result(WAIT).status_code == 200


def test_heavy_work_waits_for_a_server_wide_slot_but_light_work_does_not(client):
    first, second = handle(client), handle(client)
    for workspace in (first, second):
        workspace.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
        workspace.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "b"})
    gradcheck = {"variable": "b", "wrt": ["a"]}
    with busy(client, first) as pool:
        holding = pool.submit(first.post, "/gradcheck", gradcheck)  # takes the only slot
        waiting([holding])
        second_heavy = pool.submit(second.post, "/gradcheck", gradcheck)
        waiting([second_heavy])
        light = second.post("/gates", {"gate": "mul", "inputs": ["a", 3.0], "output": "c"})
        assert light.status_code == 201
        assert not second_heavy.done()
    assert second_heavy.result(WAIT).status_code == 200
