"""Isolation benchmark: attacks on a real server while a probe measures what others suffer.

A probe in a process of its own polls `/healthz` and applies a tiny gate in its own
workspace every 50 ms. Each attack runs in turn; for each, the table gives the attacker's
answer and time, the probe's worst wait while it ran, and the server's resident memory
growth (peak during the attack over resident before it). Then a classroom runs for 30 s:
40 workspaces, 20 of them training, 40 viewers on event streams, 10 people scripting small
gates at 10 per second each; the table gives small-gate and `/healthz` latencies and the
training steps done.

    python bench/isolation_bench.py [--classroom-seconds 30] [--repo PATH]

`--repo` serves the server from another checkout (an older commit, say), so two versions
are measured by the same bench.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from e2e.probe import Connection, Sample, probe, reset_peak, resident_bytes
from e2e.server import ServerProcess

PROBE_INTERVAL = 0.05
SETTLE = 0.3  # seconds after an attack still counted as its window


# The server runs with its default creation rate limit and trusts X-Forwarded-For, so each
# workspace the bench needs comes from an address of its own and the flood from one address.
SERVER_ENV = {
    "WENGERT_CREATE_BURST": "30",
    "WENGERT_CREATE_PER_MINUTE": "30",
    "WENGERT_TRUST_FORWARDED_FOR": "true",
    "WENGERT_ACCESS_LOG": "false",
}
_addresses = iter(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}" for n in range(1, 2**24))


class Workspace:
    """A workspace made over REST, for attacks written as a user's script would be."""

    def __init__(self, client: httpx.Client) -> None:
        forwarded = {"X-Forwarded-For": next(_addresses)}
        created = client.post("/api/workspaces", headers=forwarded).json()
        self.client, self.id = client, created["id"]
        self.token, self.viewer_token = created["token"], created["viewer_token"]
        self.base = f"/api/workspaces/{self.id}"

    def post(self, path: str, body: dict, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return self.client.post(self.base + path, json=body, headers=headers)

    def variable(self, name: str, shape: list[int]) -> None:
        answer = self.post("/variables", {"name": name, "init": {"kind": "ones", "shape": shape}})
        answer.raise_for_status()


# The attacks: each takes a client and returns a short description of the answer.


def padded_conv(client: httpx.Client) -> str:
    ws = Workspace(client)
    ws.variable("x", [1, 1, 1, 1])
    ws.variable("w", [1, 1, 1, 1])
    ws.variable("b", [1])
    gate = {"gate": "conv2d", "inputs": ["x", "w", "b"], "params": {"padding": 8000}}
    return answer(ws.post("/gates", gate))


def huge_pool_kernel(client: httpx.Client) -> str:
    ws = Workspace(client)
    ws.variable("x", [1, 1, 1, 1])
    gate = {"gate": "maxpool2d", "inputs": ["x"], "params": {"kernel_size": 8000, "padding": 4000}}
    return answer(ws.post("/gates", gate))


def broadcast_three_ways(client: httpx.Client) -> str:
    ws = Workspace(client)
    for name, shape in (("a", [1000, 1, 1]), ("b", [1, 1000, 1]), ("d", [1, 1, 1000])):
        ws.variable(name, shape)
    return answer(ws.post("/eval", {"source": "e = a * b * d"}))


def broadcast_outer(client: httpx.Client) -> str:
    ws = Workspace(client)
    ws.variable("a", [1_000_000, 1])
    ws.variable("b", [1, 1_000_000])
    return answer(ws.post("/gates", {"gate": "add", "inputs": ["a", "b"]}))


def literal_stack(client: httpx.Client) -> str:
    ws = Workspace(client)
    ws.variable("x", [])
    gate = {"gate": "stack", "inputs": ["x", *([1.0] * 900_000)], "params": {"axis": 0}}
    return answer(ws.post("/gates", gate))


def big_variable_with_100_viewers(client: httpx.Client) -> str:
    ws = Workspace(client)
    with Viewers(client, ws, 100):
        return answer(
            ws.post("/variables", {"name": "v", "init": {"kind": "randn", "shape": [200_000]}})
        )


def viewer_gradcheck_and_gets(client: httpx.Client) -> str:
    ws = Workspace(client)
    ws.variable("x", [60, 60])
    ws.post("/eval", {"source": "y = sum(tanh(x @ x))"}).raise_for_status()
    gradcheck = {"variable": "y", "wrt": ["x"]}

    def read() -> int:
        headers = {"Authorization": f"Bearer {ws.viewer_token}"}
        return client.get(ws.base, headers=headers).status_code

    threads = [threading.Thread(target=read) for _ in range(60)]
    check = ws.post("/gradcheck", gradcheck, ws.viewer_token)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answer(check)


def delete_busy_workspace(client: httpx.Client) -> str:
    ws = Workspace(client)
    ws.variable("x", [100, 100])
    ws.post("/eval", {"source": "y = sum(tanh(x @ x))"}).raise_for_status()
    checking = threading.Thread(target=ws.post, args=("/gradcheck", {"variable": "y"}))
    checking.start()
    time.sleep(0.05)
    deleted = client.delete(ws.base, headers={"Authorization": f"Bearer {ws.token}"})
    checking.join()
    return answer(deleted)


def create_flood(client: httpx.Client) -> str:
    flood = {"X-Forwarded-For": "203.0.113.7"}
    statuses = [client.post("/api/workspaces", headers=flood).status_code for _ in range(985)]
    return f"{statuses.count(201)}×201 {statuses.count(429)}×429"


ATTACKS: list[tuple[str, Callable[[httpx.Client], str]]] = [
    ("conv2d, 1×1 input, padding 8000", padded_conv),
    ("maxpool2d, kernel 8000", huge_pool_kernel),
    ("a * b * d, (1000,1,1)·(1,1000,1)·(1,1,1000)", broadcast_three_ways),
    ("(1e6,1) + (1,1e6)", broadcast_outer),
    ("stack of 900k literals", literal_stack),
    ("200k-element variable, 100 viewers", big_variable_with_100_viewers),
    ("viewer gradcheck + 60 GETs", viewer_gradcheck_and_gets),
    ("DELETE during a gradcheck", delete_busy_workspace),
    ("985 anonymous POST /api/workspaces", create_flood),
]


def answer(response: httpx.Response) -> str:
    if response.status_code < 400:
        return str(response.status_code)
    return f"{response.status_code} {response.json()['error']['code']}"


class Viewers:
    """``count`` event-stream subscribers on a workspace, reading until the block ends."""

    def __init__(self, client: httpx.Client, ws: Workspace, count: int) -> None:
        self.url, self.ws, self.count = str(client.base_url), ws, count
        self.stop = threading.Event()
        self.received = 0

    def __enter__(self) -> Viewers:
        self.thread = threading.Thread(target=lambda: asyncio.run(self._watch()))
        self.thread.start()
        time.sleep(1.0)  # let them connect
        return self

    def __exit__(self, *_: object) -> None:
        time.sleep(1.0)  # let the last event reach them
        self.stop.set()
        self.thread.join()

    async def _watch(self) -> None:
        port = int(self.url.rsplit(":", 1)[1])
        tasks = [asyncio.create_task(self._one(port)) for _ in range(self.count)]
        while not self.stop.is_set():
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _one(self, port: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {self.ws.base}/events HTTP/1.1\r\nHost: bench\r\n"
            f"Authorization: Bearer {self.ws.viewer_token}\r\n\r\n".encode()
        )
        try:
            while chunk := await reader.read(65536):
                self.received += len(chunk)
        finally:
            writer.close()


def run_attacks(server: ServerProcess) -> list[str]:
    rows = []
    stop = multiprocessing.Event()
    samples: multiprocessing.Queue = multiprocessing.Queue()
    prober = multiprocessing.Process(target=probe, args=(server.port, stop, samples))
    prober.start()
    time.sleep(1.0)
    windows = []
    with httpx.Client(base_url=server.url, timeout=120) as client:
        for name, attack in ATTACKS:
            before = resident_bytes(server.process.pid)
            reset_peak(server.process.pid)
            start = time.monotonic()
            try:
                outcome = attack(client)
            except httpx.HTTPError as error:
                outcome = f"failed: {type(error).__name__}"
            elapsed = time.monotonic() - start
            peak = resident_bytes(server.process.pid, "VmHWM")
            windows.append((name, outcome, start, start + elapsed, peak - before))
            time.sleep(SETTLE)
    stop.set()
    probed: list[Sample] = samples.get()
    prober.join()
    for name, outcome, start, end, growth in windows:
        worst = max(
            (max(s.health_ms, s.gate_ms) for s in probed if start - 1 <= s.start <= end + SETTLE),
            default=float("nan"),
        )
        rows.append(
            f"| {name} | {outcome} | {(end - start) * 1000:,.0f} | {worst:,.0f} | "
            f"{growth / 2**20:,.0f} |"
        )
    return rows


def classroom(server: ServerProcess, seconds: float) -> str:
    """The classroom of the issue; returns its table row."""
    return asyncio.run(_classroom(server, seconds))


async def _classroom(server: ServerProcess, seconds: float) -> str:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        rooms = [Workspace(client) for _ in range(40)]
        for ws in rooms[:20]:
            config = {"epochs": 10_000}  # runs that outlast the classroom
            client.put(f"{ws.base}/training", json=config, headers=auth(ws)).raise_for_status()
            client.post(f"{ws.base}/training/start", headers=auth(ws)).raise_for_status()
        scripted = rooms[20:30]
        for ws in scripted:
            ws.post("/variables", {"name": "x", "value": [1.0, 2.0, 3.0]}).raise_for_status()
    viewers = [asyncio.create_task(_stream(server.port, ws)) for ws in rooms]
    gate_ms: list[float] = []
    health_ms: list[float] = []
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(_script(server.port, ws, deadline, gate_ms) for ws in scripted),
        _health(server.port, deadline, health_ms),
    )
    for viewer in viewers:
        viewer.cancel()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        steps = 0
        for ws in rooms[:20]:
            client.post(f"{ws.base}/training/pause", headers=auth(ws))
            steps += client.get(f"{ws.base}/training", headers=auth(ws)).json()["step"]
    g, h = percentiles(gate_ms), percentiles(health_ms)
    return (
        f"| {g[0]:.1f} | {g[1]:.1f} | {h[0]:.1f} | {h[1]:.1f} | {steps:,} "
        f"| {steps / seconds:,.0f} |"
    )


def auth(ws: Workspace) -> dict[str, str]:
    return {"Authorization": f"Bearer {ws.token}"}


def percentiles(values: list[float]) -> tuple[float, float]:
    quantiles = statistics.quantiles(values, n=100)
    return quantiles[49], quantiles[98]


async def _stream(port: int, ws: Workspace) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {ws.base}/events HTTP/1.1\r\nHost: bench\r\n"
        f"Authorization: Bearer {ws.viewer_token}\r\n\r\n".encode()
    )
    try:
        while await reader.read(65536):
            pass
    finally:
        writer.close()


async def _script(port: int, ws: Workspace, deadline: float, latencies: list[float]) -> None:
    connection = await Connection.open("127.0.0.1", port)
    next_send = time.monotonic()
    while time.monotonic() < deadline:
        start = time.monotonic()
        status, _ = await connection.post(
            f"{ws.base}/gates", {"gate": "mul", "inputs": ["x", 2.0]}, ws.token
        )
        if status != 201:
            raise RuntimeError(f"a small gate answered {status}")
        latencies.append((time.monotonic() - start) * 1000)
        next_send += 0.1
        await asyncio.sleep(max(0.0, next_send - time.monotonic()))
    connection.close()


async def _health(port: int, deadline: float, latencies: list[float]) -> None:
    connection = await Connection.open("127.0.0.1", port)
    while time.monotonic() < deadline:
        start = time.monotonic()
        await connection.get("/healthz")
        latencies.append((time.monotonic() - start) * 1000)
        await asyncio.sleep(PROBE_INTERVAL)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classroom-seconds", type=float, default=30.0)
    parser.add_argument("--repo", type=Path, help="serve from this checkout instead")
    parser.add_argument("--classroom-only", action="store_true", help="skip the attacks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        server = ServerProcess(Path(workdir) / "data", Path(workdir) / "server.log", SERVER_ENV)
        if args.repo:
            server.repo = args.repo.resolve()
        server.start()
        try:
            # The classroom first: the flood attack may fill the server's workspace quota.
            print(
                "| small gate p50 ms | p99 ms | /healthz p50 ms | p99 ms "
                "| training steps | steps/s |"
            )
            print("|---:|---:|---:|---:|---:|---:|")
            print(classroom(server, args.classroom_seconds), flush=True)
            if args.classroom_only:
                return
            print()
            print("| attack | answer | attacker ms | probe worst ms | RSS growth MiB |")
            print("|---|---|---:|---:|---:|")
            print("\n".join(run_attacks(server)))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
