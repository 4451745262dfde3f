"""Attacks 5 and 7: answers outgrowing what the workspace holds, and heavy work nobody
waits for. A viewer's GET of a workspace's state costs about what the workspace holds, not
thirty times more as JSON text; a gradcheck stops when its client goes or its time
budget runs out, giving its heavy slot back."""

from __future__ import annotations

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from backend.tests.attacks.conftest import ANSWER_WITHIN_MS, MEMORY_SLACK, Attacked

TENSORS = 5
ELEMENTS = 1_000_000  # the largest tensor allowed: 8 MB each, 40 MB in all


def test_viewers_reading_a_large_workspace_cost_about_what_it_holds(attacked: Attacked):
    http = httpx.Client(base_url=attacked.url, timeout=60)
    created = http.post("/api/workspaces", json={}).json()
    base = f"/api/workspaces/{created['id']}"
    writer = {"Authorization": f"Bearer {created['token']}"}
    for index in range(TENSORS):
        init = {"kind": "randn", "shape": [ELEMENTS], "seed": index}
        body = {"name": f"W{index}", "init": init, "requires_grad": True}
        assert http.post(f"{base}/variables", json=body, headers=writer).status_code == 201
    held = http.get(base, headers=writer).json()["held_bytes"]
    viewer = {"Authorization": f"Bearer {created['viewer_token']}"}
    # Every element can be had by name. Read before the attack: a full 8 MB variable is a
    # legitimate heavy answer that would be counted in the attack's aftermath.
    full = http.get(f"{base}/variables/W0", headers=viewer).json()
    assert len(full["value"]) == ELEMENTS
    with attacked.attack() as window, ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: http.get(base, headers=viewer), range(8)))
    assert all(answer.status_code == 200 for answer in answers)
    assert all(len(answer.content) < held / 100 for answer in answers)
    assert window.growth <= 2 * held + MEMORY_SLACK, f"grew {window.growth / 2**20:.0f} MB"


def test_reading_the_largest_tensor_whole_does_not_stall_others(attacked: Attacked):
    http = httpx.Client(base_url=attacked.url, timeout=60)
    created = http.post("/api/workspaces", json={}).json()
    base = f"/api/workspaces/{created['id']}"
    writer = {"Authorization": f"Bearer {created['token']}"}
    init = {"kind": "randn", "shape": [ELEMENTS], "seed": 0}
    body = {"name": "W", "init": init, "requires_grad": True}
    assert http.post(f"{base}/variables", json=body, headers=writer).status_code == 201
    viewer = {"Authorization": f"Bearer {created['viewer_token']}"}
    with attacked.attack():
        answer = http.get(f"{base}/variables/W", headers=viewer)
    assert answer.status_code == 200 and len(answer.json()["value"]) == ELEMENTS


class HeavyGraph:
    """A workspace whose gradcheck takes seconds: 20,000 elements (the most one may
    perturb), each run twice through a few gates."""

    PROGRAM = "W = randn(20000, seed=0)\nh = tanh(W * 2.0)\nloss = sum(h * h + W)"

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=60)
        created = self.http.post("/api/workspaces", json={}).json()
        self.base = f"/api/workspaces/{created['id']}"
        self.writer = {"Authorization": f"Bearer {created['token']}"}
        self.viewer_token = created["viewer_token"]
        answer = self.http.post(
            f"{self.base}/eval", json={"source": self.PROGRAM}, headers=self.writer
        )
        assert answer.status_code == 200, answer.text

    def gradcheck_then_leave(self, after: float) -> None:
        """A viewer asks for the gradcheck on a raw socket and goes away after ``after`` s."""
        body = json.dumps({"variable": "loss", "wrt": ["W"]}).encode()
        host, port = str(self.http.base_url).removeprefix("http://").rstrip("/").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(
                f"POST {self.base}/gradcheck HTTP/1.1\r\nHost: attack\r\n"
                f"Authorization: Bearer {self.viewer_token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            time.sleep(after)


@pytest.mark.server_env({"WENGERT_HEAVY_SLOTS": "1"})
def test_a_gradcheck_whose_client_left_gives_its_heavy_slot_back(attacked: Attacked):
    abandoned, other = HeavyGraph(attacked.url), HeavyGraph(attacked.url)
    with attacked.attack():
        abandoned.gradcheck_then_leave(after=0.5)
        start = time.monotonic()
        exported = other.http.get(f"{other.base}/export", headers=other.writer)
        waited = time.monotonic() - start
    assert exported.status_code == 200
    assert waited < 1.5, f"another workspace's export waited {waited:.1f} s for the heavy slot"


@pytest.mark.server_env({"WENGERT_HEAVY_WORK_SECONDS": "1"})
def test_a_gradcheck_past_the_time_budget_is_413_and_frees_its_slot(attacked: Attacked):
    graph = HeavyGraph(attacked.url)
    with attacked.attack():
        start = time.monotonic()
        answer = graph.http.post(
            f"{graph.base}/gradcheck", json={"variable": "loss", "wrt": ["W"]}, headers=graph.writer
        )
        took = time.monotonic() - start
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["code"] == "work_too_long"
    assert took < 1 + ANSWER_WITHIN_MS / 1000 + 0.5, f"the refusal came after {took:.1f} s"
    assert graph.http.get(f"{graph.base}/export", headers=graph.writer).status_code == 200


@pytest.mark.server_env({"WENGERT_HEAVY_WORK_SECONDS": "0.01"})
def test_an_export_past_the_time_budget_is_413_and_frees_its_slot(attacked: Attacked):
    http = httpx.Client(base_url=attacked.url, timeout=60)
    created = http.post("/api/workspaces", json={}).json()
    base = f"/api/workspaces/{created['id']}"
    viewer = {"Authorization": f"Bearer {created['viewer_token']}"}
    writer = {"Authorization": f"Bearer {created['token']}"}
    for index in range(50):  # 50 × 20,000 elements: far more than 10 ms to write out
        init = {"kind": "randn", "shape": [20_000], "seed": index}
        body = {"name": f"W{index}", "init": init}
        assert http.post(f"{base}/variables", json=body, headers=writer).status_code == 201
    with attacked.attack() as window:
        for path in ("/export", "/export.py"):
            answer = http.get(f"{base}{path}", headers=viewer)
            assert answer.status_code == 413, answer.text
            assert answer.json()["error"]["code"] == "work_too_long"
    assert window.growth <= MEMORY_SLACK
    assert http.get(f"{base}/variables/W0", headers=viewer).status_code == 200
