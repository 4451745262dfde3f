"""A real Wengert server in a subprocess on a free loopback port, its log in a file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Tests and benchmarks create every workspace from one address, far faster than a person.
GENEROUS_CREATION = {"WENGERT_CREATE_BURST": "100000", "WENGERT_CREATE_PER_MINUTE": "100000"}


class ServerProcess:
    """``python -m backend`` on ``data_dir``; start it, stop it, or kill it with SIGKILL.

    ``env`` adds to (or overrides) this process's environment.
    """

    def __init__(self, data_dir: Path, log: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.log = log
        self.env = {**os.environ, **GENEROUS_CREATION, **(env or {})}
        self.repo = REPO_ROOT
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> ServerProcess:
        command = [sys.executable, "-m", "backend", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--data-dir", str(self.data_dir)]
        with self.log.open("a") as log_file:
            self.process = subprocess.Popen(
                command, cwd=self.repo, stdout=log_file, stderr=subprocess.STDOUT, env=self.env
            )
        self._wait_until_healthy()
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not become healthy:\n{self.log.read_text()}")
