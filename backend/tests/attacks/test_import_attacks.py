"""Crafted imports (issue 20: attacks 2, 9 and 11), each replayed against a real server while
the probe times another workspace: refused at once, with no memory spent on what the
document only claims, and no workspace left behind by a failure or a crash."""

from __future__ import annotations

import contextlib
import copy
import json
import sqlite3
import threading
import time
from pathlib import Path

import httpx

from backend.tests.attacks.conftest import MEMORY_SLACK, Attacked
from backend.tests.attacks.raw_http import Answer, head, send
from backend.tests.attacks.test_request_attacks import JSON, assert_refused_in_time
from e2e.server import ServerProcess

IMPORT = "/api/workspaces/import"
TRAINING = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 2, "batch_size": 20}


def post_import(attacked: Attacked, document: dict) -> Answer:
    body = json.dumps(document).encode()
    return send(attacked.server.port, head("POST", IMPORT, len(body), JSON) + body)


def string_dtype_document() -> dict:
    """207 bytes or so: one variable whose dtype is a string of a billion bytes an element."""
    variable = {"name": "a", "shape": [1], "dtype": "S1000000000", "requires_grad": False}
    variable.update(value=[1.0], grad=None, created_by=None)
    return {"version": 2, "variables": [variable], "history": []}


def trained_document(url: str) -> dict:
    """The export of a workspace with a training run three steps in."""
    created = httpx.post(f"{url}/api/workspaces", json={}).json()
    base = f"{url}/api/workspaces/{created['id']}"
    auth = {"Authorization": f"Bearer {created['token']}"}
    assert httpx.put(f"{base}/training", json=TRAINING, headers=auth).status_code == 200
    for _ in range(3):
        assert httpx.post(f"{base}/training/step", json={}, headers=auth).status_code == 200
    return httpx.get(f"{base}/export", headers=auth).json()


def with_checkpoint(document: dict, **changes) -> dict:
    changed = copy.deepcopy(document)
    changed["training"]["checkpoint"].update(changes)
    return changed


def test_four_imports_of_a_string_dtype_at_once_are_refused_without_allocating(attacked):
    document = string_dtype_document()
    answers: list[Answer] = []
    with attacked.attack() as window:
        threads = [
            threading.Thread(target=lambda: answers.append(post_import(attacked, document)))
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    attacked.figures["answer_ms"] = max(answer.wait_ms for answer in answers)
    assert len(answers) == 4
    for answer in answers:
        assert_refused_in_time(answer, 422)
        assert "S1000000000" in answer.body["error"]["message"]
    assert window.growth <= MEMORY_SLACK, f"{window.growth / 2**20:.0f} MB"


def test_strings_in_a_checkpoints_optimizer_state_are_refused_without_allocating(attacked):
    document = trained_document(attacked.url)
    state = dict(document["training"]["checkpoint"]["optimizer_state"])
    name = sorted(key for key in state if key != "steps")[0]
    # As an array of strings this is 251 elements of 4 MB each: a gigabyte.
    state[name] = ["x" * 1_000_000] + ["y"] * 250
    with attacked.attack() as window:
        answer = post_import(attacked, with_checkpoint(document, optimizer_state=state))
    attacked.figures["answer_ms"] = answer.wait_ms
    assert_refused_in_time(answer, 422)
    assert answer.body["error"]["detail"]["field"] == f"optimizer_state.{name}"
    assert window.growth <= MEMORY_SLACK, f"{window.growth / 2**20:.0f} MB"


def test_checkpoints_that_do_not_fit_their_model_are_422_and_leave_no_zombie(attacked):
    document = trained_document(attacked.url)
    checkpoint = document["training"]["checkpoint"]
    unknown = {**checkpoint["parameters"], "W9": [[1.0]]}
    journal = {
        "version": 1,
        "operations": [
            {"kind": "training_configure", "body": document["training"]["config"]},
            {"kind": "training_checkpoint", "body": {**checkpoint, "parameters": unknown}},
        ],
    }
    with attacked.attack():
        answers = [
            post_import(attacked, with_checkpoint(document, parameters=unknown)),
            post_import(attacked, journal),
            post_import(attacked, with_checkpoint(document, epoch=-5)),
        ]
        running = post_import(attacked, with_checkpoint(document, state="running"))
    attacked.figures["answer_ms"] = max(answer.wait_ms for answer in answers)
    for answer in answers:
        assert_refused_in_time(answer, 422)
    assert "parameters.W9" in answers[0].body["error"]["message"]
    assert "parameters.W9" in answers[1].body["error"]["message"]
    assert "checkpoint.epoch" in answers[2].body["error"]["message"]
    # Saved while running, restored with no loop to run it: paused, and it starts.
    assert running.status == 201, running.body
    base = f"{attacked.url}/api/workspaces/{running.body['id']}/training"
    auth = {"Authorization": f"Bearer {running.body['token']}"}
    assert httpx.get(base, headers=auth).json()["state"] == "paused"
    assert httpx.post(f"{base}/start", json={}, headers=auth).status_code == 200


def large_journal(operations: int) -> dict:
    """A version-1 document of ``operations`` variables, slow enough to replay that a crash
    lands in the middle of it."""
    values = [float(n) for n in range(2000)]
    create = [
        {"kind": "create_variable", "body": {"name": f"v{n}", "value": values}}
        for n in range(operations)
    ]
    return {"version": 1, "operations": create}


def stored_workspaces(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / "wengert.sqlite3") as db:
        return {row[0] for row in db.execute("SELECT id FROM workspaces")}


def test_kill_9_during_a_large_import_leaves_no_workspace_and_keeps_acknowledged_writes(
    tmp_path: Path,
):
    data = tmp_path / "data"
    server = ServerProcess(data, tmp_path / "server.log", {"WENGERT_ACCESS_LOG": "false"})
    server.start()
    try:
        created = httpx.post(f"{server.url}/api/workspaces", json={}).json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        variables = f"{server.url}/api/workspaces/{created['id']}/variables"
        for n in range(20):  # acknowledged writes, which must outlive the crash
            body = {"name": f"kept{n}", "value": [float(n)]}
            assert httpx.post(variables, json=body, headers=auth).status_code == 201
        body = json.dumps(large_journal(1000)).encode()  # 14 MB, seconds to import
        lasts = _time_an_import(server.url, body)
        answered: list[int] = []
        importing = threading.Thread(target=_post_import, args=(server.url, body, answered))
        importing.start()
        time.sleep(lasts * 0.6)  # the body is in and read, the replay under way
        server.kill()
        importing.join(30)
    finally:
        server.stop()
    assert not answered, "the import was done before the crash: make it larger"
    assert stored_workspaces(data) == {created["id"]}
    server = ServerProcess(data, tmp_path / "server.log", {"WENGERT_ACCESS_LOG": "false"})
    server.start()
    try:
        state = httpx.get(f"{server.url}/api/workspaces/{created['id']}", headers=auth).json()
        assert {v["name"] for v in state["variables"]} == {f"kept{n}" for n in range(20)}
    finally:
        server.stop()


def _time_an_import(url: str, body: bytes) -> float:
    """How long importing ``body`` takes here, whole (the workspace is deleted after)."""
    started = time.monotonic()
    created = httpx.post(f"{url}{IMPORT}", content=body, headers=JSON, timeout=60).json()
    lasts = time.monotonic() - started
    auth = {"Authorization": f"Bearer {created['token']}"}
    assert httpx.delete(f"{url}/api/workspaces/{created['id']}", headers=auth).status_code == 204
    return lasts


def _post_import(url: str, body: bytes, answered: list[int]) -> None:
    """POST the import; its status in ``answered``, nothing when the server died first."""
    with contextlib.suppress(httpx.TransportError):
        response = httpx.post(f"{url}{IMPORT}", content=body, headers=JSON, timeout=60)
        answered.append(response.status_code)
