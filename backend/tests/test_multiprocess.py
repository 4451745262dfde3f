"""Two real server processes on one PostgreSQL database: a workspace is served by the one
that holds its lease, the other answers 503, and takes it over when the owner dies."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from backend.settings import REPO_ROOT

LEASE = {"WENGERT_LEASE_SECONDS": "2", "WENGERT_LEASE_RENEW_SECONDS": "0.5"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(database_url: str, folder: Path, name: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """``python -m backend`` on a free port, its log in a file; yields its URL and process."""
    port = _free_port()
    env = {
        **os.environ,
        **LEASE,
        "WENGERT_DATABASE_URL": database_url,
        "WENGERT_DATA_DIR": str(folder / name),
        "WENGERT_ACCESS_LOG": "false",
    }
    log_path = folder / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "backend", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log_path)
        yield url, process
    finally:
        process.kill()
        process.wait(10)


def _wait_healthy(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not become healthy:\n{log_path.read_text()}")


class Writer(threading.Thread):
    """Creates variables ``v0``, ``v1``, … one after another until its server stops answering;
    remembers those acknowledged."""

    def __init__(self, url: str, auth: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.url, self.auth = url, auth
        self.acknowledged: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, headers=self.auth, timeout=5) as client:
            for i in range(100_000):
                body = {"name": f"v{i}", "value": [float(i)]}
                try:
                    response = client.post("/variables", json=body)
                except httpx.TransportError:
                    return
                assert response.status_code == 201, response.text
                self.acknowledged.append(body["name"])


def test_a_workspace_is_served_by_its_owner_and_taken_over_when_it_dies(database_url, tmp_path):
    with (
        server(database_url, tmp_path, "first") as (first, first_process),
        server(database_url, tmp_path, "second") as (second, _),
    ):
        created = httpx.post(f"{first}/api/workspaces").json()
        path = f"/api/workspaces/{created['id']}"
        auth = {"Authorization": f"Bearer {created['token']}"}

        elsewhere = httpx.get(second + path, headers=auth)
        assert elsewhere.status_code == 503, elsewhere.text
        assert elsewhere.json()["error"]["code"] == "workspace_elsewhere"
        assert 1 <= int(elsewhere.headers["Retry-After"]) <= 2

        writer = Writer(first + path, auth)
        writer.start()
        while len(writer.acknowledged) < 20 and writer.is_alive():
            time.sleep(0.02)
        first_process.send_signal(signal.SIGKILL)
        writer.join(10)
        assert not writer.is_alive() and len(writer.acknowledged) >= 20

        killed = time.monotonic()
        while (answer := httpx.get(second + path, headers=auth)).status_code == 503:
            assert time.monotonic() - killed < 10, "the second process never took over"
            time.sleep(float(answer.headers["Retry-After"]) / 4)
        assert answer.status_code == 200, answer.text
        names = [variable["name"] for variable in answer.json()["variables"]]
        assert set(writer.acknowledged) <= set(names)
        assert len(names) <= len(writer.acknowledged) + 1  # at most the one in flight

        later = httpx.post(
            f"{second}{path}/variables", headers=auth, json={"name": "after", "value": [1.0]}
        )
        assert later.status_code == 201, later.text
