"""Attack 7 for large gates: a gate that reads and makes megabytes takes one of the
server's heavy slots, has the heavy-work time budget, and is dropped when its client goes
while it waits, so abandoned gates neither hold the slots nor change the workspace."""

from __future__ import annotations

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from backend.tests.attacks.conftest import ANSWER_WITHIN_MS, Attacked
from backend.tests.attacks.test_fault_attacks import HeavyGraph

MATRICES = "A = randn(500, 500, seed=0)\nB = randn(500, 500, seed=1)\ns = randn(3, seed=2)"
"""Two 2 MB inputs: a matmul of them reads and makes 6 MB, a large gate (a few ms of work).
And a small one."""
PRODUCT = {"gate": "matmul", "inputs": ["A", "B"], "output": "C"}


class Matrices:
    """A workspace holding the two matrices, and how to look at what it recorded."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=60)
        created = self.http.post("/api/workspaces", json={}).json()
        self.base = f"/api/workspaces/{created['id']}"
        self.token = created["token"]
        self.writer = {"Authorization": f"Bearer {self.token}"}
        answer = self.http.post(f"{self.base}/eval", json={"source": MATRICES}, headers=self.writer)
        assert answer.status_code == 200, answer.text

    def recorded(self) -> tuple[list[str], int]:
        """The variables' names and the tape's length."""
        state = self.http.get(self.base, headers=self.writer).json()
        return [v["name"] for v in state["variables"]], len(state["tape"])

    def send_gate_then_leave(self, after: float) -> None:
        """The matmul on a raw socket, its client gone after ``after`` seconds."""
        body = json.dumps(PRODUCT).encode()
        host, port = str(self.http.base_url).removeprefix("http://").rstrip("/").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(
                f"POST {self.base}/gates HTTP/1.1\r\nHost: attack\r\n"
                f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            time.sleep(after)


@pytest.mark.server_env({"WENGERT_HEAVY_WORK_SECONDS": "0.001"})
def test_a_large_gate_past_the_time_budget_is_413_and_records_nothing(attacked: Attacked):
    matrices = Matrices(attacked.url)
    before = matrices.recorded()
    with attacked.attack():
        start = time.monotonic()
        answer = matrices.http.post(f"{matrices.base}/gates", json=PRODUCT, headers=matrices.writer)
        took = (time.monotonic() - start) * 1000
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"]["code"] == "work_too_long"
    attacked.figures["attacker_ms"] = took
    assert took <= ANSWER_WITHIN_MS, f"the refusal took {took:.0f} ms"
    assert matrices.recorded() == before  # no C, no node on the tape
    small = {"gate": "mul", "inputs": ["s", 2.0], "output": "twice"}
    assert matrices.http.post(
        f"{matrices.base}/gates", json=small, headers=matrices.writer
    ).is_success


@pytest.mark.server_env({"WENGERT_HEAVY_SLOTS": "1"})
def test_a_large_gate_whose_client_left_while_it_waited_is_never_run(attacked: Attacked):
    busy, matrices = HeavyGraph(attacked.url), Matrices(attacked.url)
    before = matrices.recorded()
    with attacked.attack(), ThreadPoolExecutor(1) as pool:
        # A gradcheck of seconds holds the only heavy slot; the gate waits for it, and its
        # client goes before the slot is free.
        gradcheck = pool.submit(
            busy.http.post,
            f"{busy.base}/gradcheck",
            json={"variable": "loss", "wrt": ["W"]},
            headers=busy.writer,
        )
        time.sleep(0.3)
        matrices.send_gate_then_leave(0.3)
        assert not gradcheck.done(), "the gradcheck ended before the gate waited for its slot"
        assert gradcheck.result().status_code == 200
    time.sleep(0.5)  # the slot is free: the abandoned gate had its chance to run
    assert matrices.recorded() == before
    answer = matrices.http.post(f"{matrices.base}/gates", json=PRODUCT, headers=matrices.writer)
    assert answer.status_code == 201, answer.text  # the slot came back
