"""Attacks 3 and 4: a subscriber that stops reading, and more streams than the server can
feed. The first is dropped once its queue is full and catches up by reconnecting; the
second is refused with 429 and Retry-After."""

from __future__ import annotations

import re
import socket
import time

import httpx
import pytest

from backend.tests.attacks.conftest import ANSWER_WITHIN_MS, MEMORY_SLACK, Attacked

QUEUE_BYTES = 256 * 1024


class Workspace:
    """A workspace and its writer's client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=30)
        created = self.http.post("/api/workspaces", json={}).json()
        self.id, self.token = created["id"], created["token"]
        self.base = f"/api/workspaces/{self.id}"
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def many_events(self, prefix: str, count: int) -> None:
        """One program of ``count`` gates: as many events, in one request."""
        # 64 elements: the most an event shows in full, so each event is a few KB.
        lines = ["x = randn(64, seed=0)"] if prefix == "a" else []
        lines += [f"{prefix}{i} = x * {i + 1}" for i in range(count)]
        answer = self.http.post(f"{self.base}/eval", json={"source": "\n".join(lines)})
        assert answer.status_code == 200, answer.text

    def open_stream(self, last_event_id: int | None = None) -> socket.socket:
        """An event stream on a raw socket with a small receive buffer, its answer's head
        read and nothing more."""
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        host, port = self.url.removeprefix("http://").split(":")
        sock.connect((host, int(port)))
        resume = f"Last-Event-ID: {last_event_id}\r\n" if last_event_id is not None else ""
        sock.sendall(
            f"GET {self.base}/events HTTP/1.1\r\nHost: attack\r\n"
            f"Authorization: Bearer {self.token}\r\n{resume}\r\n".encode()
        )
        return sock


def answer_head(sock: socket.socket) -> tuple[int, bytes]:
    """The status of the answer on ``sock`` and what came with its head."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(4096)
        assert chunk, "the server closed the connection before answering"
        received += chunk
    return int(received.split(b" ", 2)[1]), received


def read_until_ended(sock: socket.socket, within: float) -> bytes:
    """Everything the stream sends until the server ends it (the last, empty chunk)."""
    sock.settimeout(within)
    received = b""
    deadline = time.monotonic() + within
    while not received.endswith(b"\r\n0\r\n\r\n"):
        assert time.monotonic() < deadline, f"the server never ended the stream ({len(received)} B)"
        chunk = sock.recv(2**16)
        if not chunk:
            break
        received += chunk
    return received


@pytest.mark.server_env({"WENGERT_MAX_STREAM_QUEUE_BYTES": str(QUEUE_BYTES)})
def test_a_subscriber_that_stops_reading_is_dropped_and_catches_up_by_reconnecting(
    attacked: Attacked,
):
    workspace = Workspace(attacked.url)
    workspace.many_events("a", 10)
    stalled = workspace.open_stream()
    status, _ = answer_head(stalled)
    assert status == 200
    with attacked.attack() as window:
        # 150 × 40 events of 2 KB (12 MB): three times what the kernel's socket buffers
        # take in (4 MB) and many times the queue's cap; paced as a person's program would
        # be, so the probe measures the stalled subscriber's cost, not the writer's.
        for batch in range(150):
            workspace.many_events(f"b{batch}_", 40)
            time.sleep(0.02)
    assert window.growth <= MEMORY_SLACK
    sent = read_until_ended(stalled, within=5)
    stalled.close()
    seen = [int(n) for n in re.findall(rb"\nid: (\d+)\n", b"\n" + sent)]
    newest = workspace.http.get(workspace.base).json()["seq"]
    assert seen and seen[-1] < newest, "the stalled subscriber was sent everything"
    resumed = workspace.open_stream(last_event_id=seen[-1])
    status, head = answer_head(resumed)
    assert status == 200
    resumed.settimeout(5)
    received = head
    while not re.search(rb"id: \d+\nevent: \w+", received):
        received += resumed.recv(2**16)
    first_id, first_kind = re.search(rb"id: (\d+)\nevent: (\w+)", received).groups()
    assert first_kind == b"resync" or int(first_id) == seen[-1] + 1
    resumed.close()


@pytest.mark.server_env({"WENGERT_MAX_STREAMS_PER_WORKSPACE": "20", "WENGERT_MAX_STREAMS": "30"})
def test_streams_beyond_the_caps_are_refused_with_429_and_retry_after(attacked: Attacked):
    crowded, other, third = (Workspace(attacked.url) for _ in range(3))
    opened: list[socket.socket] = []
    with attacked.attack():
        for _ in range(20):
            opened.append(crowded.open_stream())
            assert answer_head(opened[-1])[0] == 200
        start = time.monotonic()
        refused = crowded.http.get(f"{crowded.base}/events", timeout=2)
        took = (time.monotonic() - start) * 1000
        assert refused.status_code == 429, refused.text
        assert took <= ANSWER_WITHIN_MS, f"the refusal took {took:.0f} ms"
        assert int(refused.headers["Retry-After"]) > 0
        for _ in range(10):
            opened.append(other.open_stream())
            assert answer_head(opened[-1])[0] == 200
        assert third.http.get(f"{third.base}/events", timeout=2).status_code == 429
        start = time.monotonic()
        crowded.many_events("a", 50)  # 50 events to 20 viewers
        write_ms = (time.monotonic() - start) * 1000
        assert write_ms <= 1000, f"a write to a watched workspace took {write_ms:.0f} ms"
    opened.pop(0).close()
    deadline = time.monotonic() + 5
    while (answer := crowded.open_stream()) and answer_head(answer)[0] != 200:
        answer.close()
        assert time.monotonic() < deadline, "a closed stream's slot was never given back"
        time.sleep(0.1)
    answer.close()
    for sock in opened:
        sock.close()
