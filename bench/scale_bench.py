"""Scale-out benchmark: the same CPU-heavy mixed work through nginx on one PostgreSQL, done
by one and by two server processes.

nginx runs deploy/nginx/wengert.conf (each workspace's requests go to one process by a consistent
hash of its id). The work: 16 training runs (MLP on moons, as the playground trains, 75
epochs each) while 48 scripts apply 85 small gates each over REST, each in a workspace of
its own. The table gives the time until all of it is done, training steps/s and gates/s
over that time, and the ratio, two processes over one. The load generator, nginx and
PostgreSQL share the machine's cores with the servers.

    python bench/scale_bench.py [--epochs 75] [--gates 85]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from backend.tests.postgres import Cluster, running_cluster, start_servers
from bench.api_bench import Connection
from e2e.nginx import NginxProcess
from e2e.server import ServerProcess

TRAINING_WORKSPACES = 16
SCRIPTED_WORKSPACES = 48


@dataclass
class Workspace:
    """A workspace made through nginx: where it lives and its owner's token."""

    base: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Run:
    """One fixed batch of work and how it went."""

    seconds: float  # until the last training run finished and the last gate was answered
    steps: int
    gates: int
    server_cores: float  # CPU seconds the servers used per second: cores kept busy
    split: list[int]  # workspaces each process served


def measure(cluster: Cluster, folder: Path, processes: int, epochs: int, gates: int) -> Run:
    """``processes`` servers on a new database behind nginx do the same fixed work: every
    training workspace trains ``epochs`` epochs while every script applies ``gates`` gates."""
    with ExitStack() as stack:
        servers = start_servers(stack, cluster.new_database(), folder, processes, {})
        nginx = NginxProcess(folder / "nginx", servers).start()
        stack.callback(nginx.stop)
        with httpx.Client(base_url=nginx.url, timeout=60) as client:
            training = [create(client) for _ in range(TRAINING_WORKSPACES)]
            scripted = [create(client) for _ in range(SCRIPTED_WORKSPACES)]
            for ws in training:
                config = {"epochs": epochs}
                client.put(f"{ws.base}/training", json=config, headers=ws.auth).raise_for_status()
            for ws in scripted:
                body = {"name": "x", "value": [float(i) for i in range(64)]}
                client.post(f"{ws.base}/variables", json=body, headers=ws.auth).raise_for_status()
            split = [served(server, training + scripted) for server in servers]
            cpu_before, start = cpu_seconds(servers), time.monotonic()
            for ws in training:
                client.post(f"{ws.base}/training/start", headers=ws.auth).raise_for_status()
            asyncio.run(load(nginx.port, training, scripted, gates))
            elapsed = time.monotonic() - start
            cores = (cpu_seconds(servers) - cpu_before) / elapsed
            steps = sum(status(client, ws)["step"] for ws in training)
    return Run(elapsed, steps, gates * len(scripted), cores, split)


def create(client: httpx.Client) -> Workspace:
    """A new workspace, made through nginx (so by whichever process has fewest connections)."""
    created = client.post("/api/workspaces")
    created.raise_for_status()
    return Workspace(f"/api/workspaces/{created.json()['id']}", created.json()["token"])


def status(client: httpx.Client, ws: Workspace) -> dict:
    """The workspace's training status (its ``state`` and ``step``)."""
    return client.get(f"{ws.base}/training", headers=ws.auth).json()


def cpu_seconds(servers: list[ServerProcess]) -> float:
    """User and system CPU time the server processes have used (Linux /proc)."""
    total = 0
    for server in servers:
        fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def served(server: ServerProcess, workspaces: list[Workspace]) -> int:
    """How many of ``workspaces`` this process serves (the others answer it 503)."""
    return sum(
        httpx.get(server.url + ws.base, headers=ws.auth, timeout=30).status_code == 200
        for ws in workspaces
    )


async def load(port: int, training: list[Workspace], scripted: list[Workspace], gates: int) -> None:
    """Every script applies ``gates`` gates back to back; returns once they are answered
    and every training run is done."""
    await asyncio.gather(*(script(port, ws, gates) for ws in scripted), finished(port, training))


async def finished(port: int, training: list[Workspace]) -> None:
    """Returns once every training run is done, polling five times a second."""
    connection = await Connection.open("127.0.0.1", port)
    pending = list(training)
    while pending:
        await asyncio.sleep(0.2)
        for ws in list(pending):
            _, answer = await request(connection, port, "GET", f"{ws.base}/training", ws.token)
            if answer["state"] == "done":
                pending.remove(ws)
    connection.close()


async def script(port: int, ws: Workspace, gates: int) -> None:
    """A user's script: ``gates`` tanh gates on x, each sent once the last is answered."""
    connection = await Connection.open("127.0.0.1", port)
    gate = {"gate": "tanh", "inputs": ["x"]}
    for _ in range(gates):
        status, _ = await request(connection, port, "POST", f"{ws.base}/gates", ws.token, gate)
        if status != 201:
            raise RuntimeError(f"a gate answered {status}")
    connection.close()


async def request(
    connection: Connection, port: int, method: str, path: str, token: str, body: dict | None = None
) -> tuple[int, dict]:
    """One request on ``connection``, reopened when nginx has closed it (it does after
    keepalive_requests, 1,000, on one connection)."""
    for _ in range(2):
        try:
            if method == "GET":
                return await connection.get(path, token)
            return await connection.post(path, body or {}, token)
        except (IndexError, asyncio.IncompleteReadError, ConnectionError):
            connection.close()
            connection.reader, connection.writer = await asyncio.open_connection("127.0.0.1", port)
    raise RuntimeError(f"{method} {path}: nginx closed two connections in a row")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=75, help="per training run")
    parser.add_argument("--gates", type=int, default=85, help="per script")
    args = parser.parse_args()
    runs = {}
    with running_cluster() as cluster, tempfile.TemporaryDirectory() as workdir:
        for processes in (1, 2):
            folder = Path(workdir) / f"{processes}-processes"
            folder.mkdir()
            runs[processes] = measure(cluster, folder, processes, args.epochs, args.gates)
    print(
        "| server processes | workspaces each | seconds | training steps/s | gates/s "
        "| server cores busy |"
    )
    print("|---:|---|---:|---:|---:|---:|")
    for processes, run in runs.items():
        print(
            f"| {processes} | {' / '.join(map(str, run.split))} | {run.seconds:.1f} "
            f"| {run.steps / run.seconds:,.0f} | {run.gates / run.seconds:,.0f} "
            f"| {run.server_cores:.2f} |"
        )
    ratio = runs[1].seconds / runs[2].seconds
    verdict = "met" if ratio >= 1.5 else "not met"
    print(
        f"\nWork done per second, two processes over one: {ratio:.2f}x (target ≥ 1.5x: {verdict};"
    )
    print(f"{os.cpu_count()} cores, shared with nginx, PostgreSQL and the load generator)")


if __name__ == "__main__":
    main()
