"""The Workspace: savepoints, size limits, what the tape holds, one lock per workspace."""

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

import engine
from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.conftest import (
    WorkspaceHandle,
    assert_error,
    create_workspace,
    snapshot,
    workspace_with,
)
from backend.workspace.workspace import Workspace


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace("w", Settings(data_dir=tmp_path))
    workspace.bind("x", workspace.context.variable(2.0, requires_grad=True))
    return workspace


def test_a_failed_savepoint_undoes_bindings_renames_and_tape(ws):
    x = ws.variables["x"]
    with pytest.raises(RuntimeError), ws.savepoint():
        ws.rename_to_version("x")
        ws.bind("x", engine.mul(x, x))
        raise RuntimeError("boom")
    assert list(ws.variables) == ["x"] and ws.variables["x"] is x and x.name == "x"
    assert ws.context.nodes == []


def test_an_inner_failure_undoes_only_the_inner_block(ws):
    x = ws.variables["x"]
    with ws.savepoint():
        ws.bind("y", x * 3.0)
        with pytest.raises(RuntimeError), ws.savepoint():
            ws.bind("z", x * 4.0)
            raise RuntimeError("boom")
    assert list(ws.variables) == ["x", "y"]
    assert len(ws.context.nodes) == 1


def test_changes_outside_a_savepoint_keep_no_undo_steps(ws):
    for i in range(100):
        ws.bind(f"v{i}", ws.context.variable(float(i)))
    assert ws._undo is None


@pytest.fixture
def short_tape(tmp_path) -> Iterator[WorkspaceHandle]:
    """A workspace whose tape holds at most 3 nodes."""
    with workspace_with(tmp_path, max_tape_length=3) as workspace:
        yield workspace


@pytest.fixture
def few_variables(tmp_path) -> Iterator[WorkspaceHandle]:
    """A workspace that holds at most 3 variables."""
    with workspace_with(tmp_path, max_variables=3) as workspace:
        yield workspace


X = {"name": "x", "value": 2.0, "requires_grad": True}
NEG_X = {"gate": "neg", "inputs": ["x"]}
NEG_V = {"gate": "neg", "inputs": ["v"]}


def test_the_node_past_the_tape_limit_is_413_tape_full_and_changes_nothing(short_tape):
    assert short_tape.post("/variables", X).status_code == 201
    for _ in range(3):
        assert short_tape.post("/gates", NEG_X).status_code == 201
    before = snapshot(short_tape)
    error = assert_error(short_tape.post("/gates", NEG_X), 413, "tape_full")
    assert error["message"] == "the tape holds at most 3 nodes; run backprop first"
    assert snapshot(short_tape) == before


def test_a_program_that_would_pass_the_tape_limit_is_413_and_changes_nothing(short_tape):
    assert short_tape.post("/variables", X).status_code == 201
    assert short_tape.post("/gates", NEG_X).status_code == 201
    before = snapshot(short_tape)
    response = short_tape.post("/eval", {"source": "y = x * x\nz = -y\nw = z + x"})
    assert assert_error(response, 413, "tape_full")["detail"] == {"line": 3, "column": 5}
    assert snapshot(short_tape) == before


def test_backprop_makes_room_on_a_full_tape(short_tape):
    short_tape.post("/variables", X)
    short_tape.post("/eval", {"source": "a = -x\nb = -a\nc = -b"})
    assert short_tape.post("/backprop", {"variable": "c"}).status_code == 200
    assert short_tape.post("/gates", NEG_X).status_code == 201


def test_the_variable_past_the_limit_is_413_too_many_variables_and_changes_nothing(few_variables):
    for name in ("a", "b", "c"):
        assert few_variables.post("/variables", {"name": name, "value": 1.0}).status_code == 201
    before = snapshot(few_variables)
    response = few_variables.post("/variables", {"name": "d", "value": 1.0})
    error = assert_error(response, 413, "too_many_variables")
    assert error["message"] == "a workspace holds at most 3 variables"
    assert snapshot(few_variables) == before


def test_gate_outputs_past_the_variable_limit_are_413_and_change_nothing(few_variables):
    few_variables.post("/variables", {"name": "v", "value": [1.0, 2.0], "requires_grad": True})
    few_variables.post("/gates", {"gate": "neg", "inputs": ["v"], "output": "w"})

    def refused(path: str, body: dict) -> None:
        before = snapshot(few_variables)
        assert_error(few_variables.post(path, body), 413, "too_many_variables")
        assert snapshot(few_variables) == before

    split = {"gate": "split", "inputs": ["v"], "params": {"sizes": 1}, "output": ["p", "q"]}
    refused("/gates", split)  # 2 + 2 > 3
    assert few_variables.post("/gates", {**NEG_V, "output": "u"}).status_code == 201
    refused("/gates", {**NEG_V, "output": "t"})
    refused("/eval", {"source": "y = -v"})


def test_tape_bytes_counts_each_array_on_the_tape_once_and_is_0_after_backprop(workspace):
    for name, value, dtype in (
        ("a", [1.0, 2.0, 3.0], "float64"),
        ("b", [4.0, 5.0, 6.0], "float64"),
        ("f", [1.0, -2.0, 3.0, -4.0], "float32"),
    ):
        body = {"name": name, "value": value, "requires_grad": True, "dtype": dtype}
        assert workspace.post("/variables", body).status_code == 201
    assert workspace.get().json()["tape_bytes"] == 0

    workspace.post("/eval", {"source": "c = a * b\nd = c * c\ng = relu(f)"})
    # a, b, c, d: 3 float64 each; c is held by two nodes, twice by the second; f, g: 4 float32.
    assert workspace.get().json()["tape_bytes"] == 4 * 3 * 8 + 2 * 4 * 4

    assert workspace.post("/backprop", {"variable": "d", "seed": [1.0] * 3}).status_code == 200
    assert workspace.get().json()["tape_bytes"] == 0


class WatchedLock:
    """Stands in for a re-entrant lock and tells how many threads wait for it."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._changed = threading.Condition()
        self._waiting = 0

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._lock.acquire(blocking=False):
            return True
        if not blocking:
            return False
        with self._changed:
            self._waiting += 1
            self._changed.notify_all()
        try:
            return self._lock.acquire(timeout=timeout)
        finally:
            with self._changed:
                self._waiting -= 1

    def release(self) -> None:
        self._lock.release()

    __enter__ = acquire

    def __exit__(self, *_: object) -> None:
        self.release()

    def wait_for_waiters(self, count: int, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self._waiting >= count, timeout)


async def use_worker_threads(count: int) -> None:
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=count))


def test_a_workspace_busy_with_slow_work_does_not_hold_up_another(client):
    """While workspace A's lock is held (as by a long training step) and more requests to A
    wait than the event loop has worker threads, workspace B still answers."""
    a, b = create_workspace(client), create_workspace(client)
    for handle in (a, b):
        assert handle.post("/variables", {"name": "x", "value": [1.0, 2.0]}).status_code == 201
    workspace_a = client.app.state.registry.authorize(a.id, a.token)[0]
    workspace_a.lock = busy = WatchedLock(workspace_a.lock)
    workers = 4  # the event loop's worker threads, so that the test can occupy them all
    client.portal.call(use_worker_threads, workers)
    with ThreadPoolExecutor(max_workers=workers + 3) as pool:
        with busy:
            waiting = [
                pool.submit(a.post, "/gates", {"gate": "neg", "inputs": ["x"]})
                for _ in range(workers)
            ]
            # A's requests take turns (backend/workspace/scheduling.py): one waits for the lock in a
            # worker thread, the others on the event loop, holding no thread.
            assert busy.wait_for_waiters(1, timeout=30)
            answers = [
                pool.submit(b.post, "/gates", {"gate": "neg", "inputs": ["x"]}),
                pool.submit(b.post, "/variables", {"name": "y", "value": 1.0}),
                pool.submit(b.get),
            ]
            assert [f.result(timeout=30).status_code for f in answers] == [201, 201, 200]
            assert not any(request.done() for request in waiting)
        assert [f.result(timeout=30).status_code for f in waiting] == [201] * workers


def test_unnamed_outputs_of_a_multi_output_gate_get_names_of_their_own(workspace):
    workspace.post("/variables", {"name": "v", "value": [1.0, 2.0, 3.0, 4.0]})
    applied = workspace.post("/gates", {"gate": "split", "inputs": ["v"], "params": {"sizes": 2}})
    assert applied.status_code == 201, applied.text
    first, second = applied.json()["outputs"]
    assert (first, second) == ("split1_0", "split1_1")
    assert workspace.get(f"/variables/{first}").json()["value"] == [1.0, 2.0]
    assert workspace.get(f"/variables/{second}").json()["value"] == [3.0, 4.0]


def test_generated_names_are_numbered_as_the_node_and_skip_taken_numbers(workspace):
    workspace.post("/variables", {"name": "v", "value": [1.0, 2.0, 3.0]})
    workspace.post("/variables", {"name": "unstack2_1", "value": 0.0})
    workspace.post("/variables", {"name": "neg3", "value": 0.0})
    assert workspace.post("/gates", {"gate": "neg", "inputs": ["v"]}).json()["outputs"] == ["neg1"]
    unstacked = workspace.post("/gates", {"gate": "unstack", "inputs": ["v"]}).json()
    assert unstacked["node"]["id"] == 2
    assert unstacked["outputs"] == ["unstack3_0", "unstack3_1", "unstack3_2"]
    assert workspace.post("/gates", {"gate": "neg", "inputs": ["v"]}).json()["outputs"] == ["neg4"]


def test_unnamed_outputs_count_toward_the_variable_limit(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", max_variables=2)
    with TestClient(create_app(settings)) as client:
        workspace = create_workspace(client)
        workspace.post("/variables", {"name": "x", "value": 1.0})
        assert workspace.post("/gates", {"gate": "neg", "inputs": ["x"]}).status_code == 201
        refused = workspace.post("/gates", {"gate": "neg", "inputs": ["x"]})
    assert (refused.status_code, refused.json()["error"]["code"]) == (413, "too_many_variables")


def test_the_state_shows_a_large_tensor_as_a_preview_costing_less_than_it_holds(workspace):
    body = {"name": "big", "init": {"kind": "arange", "shape": [100_000]}, "requires_grad": True}
    assert workspace.post("/variables", body).status_code == 201
    assert workspace.post("/variables", {"name": "small", "value": [1.0, 2.0]}).status_code == 201
    answer = workspace.get("")
    state = answer.json()
    big, small = (next(v for v in state["variables"] if v["name"] == n) for n in ("big", "small"))
    assert big["value"] is None and big["grad"] is None
    assert big["value_preview"] | {"mean": round(big["value_preview"]["mean"], 6)} == {
        "shape": [100_000],
        "values": None,
        "min": 0.0,
        "max": 99_999.0,
        "mean": 49_999.5,
    }
    assert big["grad_preview"]["max"] == 0.0
    assert small["value"] == [1.0, 2.0] and small["value_preview"] is None
    assert len(answer.content) < 100_000 * 8 / 10  # a tenth of the 800 KB it holds
    assert workspace.get("/variables/big").json()["value"] == list(range(100_000))
