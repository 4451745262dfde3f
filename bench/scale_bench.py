"""Scale-out benchmark: CPU-heavy mixed work through nginx on one PostgreSQL, with one and
with two server processes.

nginx runs deploy/nginx.conf (each workspace's requests go to one process by a consistent
hash of its id). The work: training runs in 8 workspaces (MLP on moons, as the playground
trains) while 16 scripts apply small gates flat out in 16 other workspaces over REST. The
table gives training steps/s, gates/s and each one's ratio, two processes over one. The
load generator, nginx and PostgreSQL share the machine's cores with the servers.

    python bench/scale_bench.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import math
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

TRAINING_WORKSPACES = 8
SCRIPTED_WORKSPACES = 16
WARM_UP = 3.0


@dataclass
class Workspace:
    """A workspace made through nginx: where it lives and its owner's token."""

    base: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Throughput:
    """Work done in the measured window, per second."""

    steps_per_s: float
    gates_per_s: float


def measure(cluster: Cluster, folder: Path, processes: int, seconds: float) -> Throughput:
    """``processes`` servers on a new database behind nginx, loaded for ``seconds``."""
    with ExitStack() as stack:
        servers = start_servers(stack, cluster.new_database(), folder, processes, {})
        nginx = NginxProcess(folder / "nginx", servers).start()
        stack.callback(nginx.stop)
        with httpx.Client(base_url=nginx.url, timeout=60) as client:
            training = [create(client) for _ in range(TRAINING_WORKSPACES)]
            scripted = [create(client) for _ in range(SCRIPTED_WORKSPACES)]
            for ws in training:
                config = {"epochs": None}  # train until paused
                client.put(f"{ws.base}/training", json=config, headers=ws.auth).raise_for_status()
                client.post(f"{ws.base}/training/start", headers=ws.auth).raise_for_status()
            for ws in scripted:
                body = {"name": "x", "value": [float(i) for i in range(64)]}
                client.post(f"{ws.base}/variables", json=body, headers=ws.auth).raise_for_status()
            time.sleep(WARM_UP)
            before = training_steps(client, training)
            start = time.monotonic()
            gates = asyncio.run(apply_gates(nginx.port, scripted, start + seconds))
            elapsed = time.monotonic() - start
            steps = training_steps(client, training) - before
            for ws in training:
                client.post(f"{ws.base}/training/pause", headers=ws.auth)
    return Throughput(steps / elapsed, gates / elapsed)


def create(client: httpx.Client) -> Workspace:
    created = client.post("/api/workspaces")
    created.raise_for_status()
    return Workspace(f"/api/workspaces/{created.json()['id']}", created.json()["token"])


def training_steps(client: httpx.Client, workspaces: list[Workspace]) -> int:
    return sum(
        client.get(f"{ws.base}/training", headers=ws.auth).json()["step"] for ws in workspaces
    )


async def apply_gates(port: int, workspaces: list[Workspace], deadline: float) -> int:
    """Every workspace's script applies gates back to back until ``deadline``; the count."""
    counts = await asyncio.gather(*(script(port, ws, deadline) for ws in workspaces))
    return sum(counts)


async def script(port: int, ws: Workspace, deadline: float) -> int:
    connection = await Connection.open("127.0.0.1", port)
    done = 0
    gate = {"gate": "tanh", "inputs": ["x"]}
    while time.monotonic() < deadline:
        try:
            status, _ = await connection.post(f"{ws.base}/gates", gate, ws.token)
        except (IndexError, asyncio.IncompleteReadError, ConnectionError):
            # nginx closes a client connection after keepalive_requests (1,000): reconnect.
            connection.close()
            connection = await Connection.open("127.0.0.1", port)
            continue
        if status != 201:
            raise RuntimeError(f"a gate answered {status}")
        done += 1
    connection.close()
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    results = {}
    with running_cluster() as cluster, tempfile.TemporaryDirectory() as workdir:
        for processes in (1, 2):
            folder = Path(workdir) / f"{processes}-processes"
            folder.mkdir()
            results[processes] = measure(cluster, folder, processes, args.seconds)
    one, two = results[1], results[2]
    step_ratio, gate_ratio = two.steps_per_s / one.steps_per_s, two.gates_per_s / one.gates_per_s
    print("| server processes | training steps/s | gates/s |")
    print("|---:|---:|---:|")
    for processes, result in results.items():
        print(f"| {processes} | {result.steps_per_s:,.0f} | {result.gates_per_s:,.0f} |")
    print(f"| two over one | {step_ratio:.2f}x | {gate_ratio:.2f}x |")
    overall = math.sqrt(step_ratio * gate_ratio)
    verdict = "met" if overall >= 1.5 else "not met"
    print(f"\nWork done per second, two over one (geometric mean): {overall:.2f}x")
    print(f"(target ≥ 1.5x: {verdict}; {os.cpu_count()} cores, shared with nginx, PostgreSQL and ")
    print("the load generator)")


if __name__ == "__main__":
    main()
