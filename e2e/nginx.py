"""nginx with deploy/nginx/wengert.conf in front of real server processes, on a free
loopback port, its error log in a file. The scale e2e tests and bench/scale_bench.py both
start it here."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from e2e.server import REPO_ROOT, ServerProcess, free_port


def nginx_conf(folder: Path, port: int, replicas: list[ServerProcess]) -> Path:
    """deploy/nginx/wengert.conf listening on ``port``, with a replicas.conf that lists
    ``replicas`` as deploy/nginx/run.sh lists the containers' addresses."""
    (folder / "replicas.conf").write_text(
        "".join(f"server 127.0.0.1:{r.port} max_fails=1 fail_timeout=5s;\n" for r in replicas)
    )
    site = (REPO_ROOT / "deploy" / "nginx" / "wengert.conf").read_text()
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {folder}/site.conf; }}\n"
    )
    return main


class NginxProcess:
    """nginx in the foreground, configured in ``folder``; ``url`` once started."""

    def __init__(self, folder: Path, replicas: list[ServerProcess]) -> None:
        self.folder = folder
        self.replicas = replicas
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> NginxProcess:
        self.folder.mkdir(parents=True, exist_ok=True)
        conf = nginx_conf(self.folder, self.port, self.replicas)
        self.process = subprocess.Popen(["nginx", "-p", str(self.folder), "-c", str(conf)])
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"{self.url}/healthz", timeout=1)
                return self
            except httpx.TransportError:
                log = self.folder / "error.log"
                assert time.monotonic() < deadline, log.read_text() if log.exists() else ""
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
