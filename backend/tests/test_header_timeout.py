"""The real server closes connections whose request headers are too slow to arrive."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.settings import REPO_ROOT

TIMEOUT = 1.0
DEADLINE = 15.0  # generous: how long a test waits for what should take about TIMEOUT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """``python -m backend`` on a free port, with WENGERT_HEADER_TIMEOUT_SECONDS=TIMEOUT."""
    port = free_port()
    env = {**os.environ, "WENGERT_HEADER_TIMEOUT_SECONDS": str(TIMEOUT)}
    command = [sys.executable, "-m", "backend", "--port", str(port), "--data-dir", str(tmp_path)]
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=log, stderr=log)
    try:
        wait_until_healthy(port, log_path)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(DEADLINE)


def wait_until_healthy(port: int, log_path: Path) -> None:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not start:\n" + log_path.read_text())


def closed_by_server(connection: socket.socket) -> bool:
    """Whether the server closes ``connection`` (reading its end) before DEADLINE."""
    connection.settimeout(DEADLINE)
    try:
        return connection.recv(1024) == b""
    except TimeoutError:
        return False


def test_headers_that_stop_coming_are_cut_off_while_others_are_served(server):
    host, port = server
    with socket.create_connection(server) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        response = httpx.get(f"http://{host}:{port}/healthz", timeout=DEADLINE)
        assert response.status_code == 200
        assert closed_by_server(slow)


def test_headers_trickling_in_a_byte_at_a_time_are_cut_off(server):
    # Each byte would restart uvicorn's keep-alive timer; the header deadline does not move.
    with socket.create_connection(server) as slow:
        started, closed = time.monotonic(), False
        try:
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"y" * 10_000:
                slow.sendall(bytes([byte]))
                time.sleep(TIMEOUT / 10)
                if time.monotonic() - started > DEADLINE:
                    break
        except OSError:  # the server closed the connection while the client was writing
            closed = True
        assert closed or closed_by_server(slow)


def test_a_connection_that_sends_nothing_is_cut_off(server):
    with socket.create_connection(server) as idle:
        assert closed_by_server(idle)


def test_a_request_with_its_headers_in_time_is_answered_on_a_kept_alive_connection(server):
    host, port = server
    with httpx.Client(base_url=f"http://{host}:{port}", timeout=DEADLINE) as client:
        assert client.get("/healthz").status_code == 200
        time.sleep(TIMEOUT * 1.5)  # longer than the header timeout, within keep-alive (5 s)
        assert client.get("/healthz").status_code == 200
