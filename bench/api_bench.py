"""REST benchmark: apply-gate latency (p50/p99) and throughput at 1, 4 and 16 concurrent clients.

Starts a real server on loopback (a temporary data directory, SQLite journaling as in
production) and drives it with N concurrent keep-alive connections, each on its own workspace.
Then the ceiling: a bare FastAPI route (`bench/bare_app.py`: validates the same body, answers
a small JSON object) served by the same uvicorn and driven the same way at 16 clients, and
the gate route's share of its requests per second. Any answer but a 201 stops the bench.

    python bench/api_bench.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from e2e.probe import Connection
from e2e.server import ServerProcess, free_port

CONCURRENCY = (1, 4, 16)
PACED_RATES = (500, 1000)
CEILING_CLIENTS = 16
CEILING_TARGET = 0.5  # the gate route answers at least half as many requests per second
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"


async def one_client(
    host: str, port: int, count: int, latencies: list[float], interval: float = 0.0
) -> None:
    """``count`` gate applications back to back, or one every ``interval`` seconds."""
    connection = await Connection.open(host, port)
    status, created = await connection.post("/api/workspaces", {})
    base, token = f"/api/workspaces/{created['id']}", created["token"]
    variable = {"name": "x", "value": [1.0, 2.0, 3.0, 4.0], "requires_grad": True}
    await connection.post(f"{base}/variables", variable, token)
    await asyncio.sleep(random.uniform(0, interval))
    next_send = time.perf_counter()
    for i in range(count):
        next_send += interval
        start = time.perf_counter()
        status, _ = await connection.post(
            f"{base}/gates", {"gate": "mul", "inputs": ["x", float(i)]}, token
        )
        latencies.append(time.perf_counter() - start)
        if status != 201:
            raise RuntimeError(f"apply-gate answered {status}")
        await asyncio.sleep(max(0.0, next_send - time.perf_counter()))
    connection.close()


async def run_level(
    port: int, clients: int, total: int, rate: float | None = None
) -> tuple[float, float, float]:
    """p50 and p99 latency in ms and gates/s, flat out or at ``rate`` gates/s in all."""
    await one_client("127.0.0.1", port, 100, [])  # warm-up
    latencies: list[float] = []
    interval = clients / rate if rate else 0.0
    start = time.perf_counter()
    await asyncio.gather(
        *(
            one_client("127.0.0.1", port, total // clients, latencies, interval)
            for _ in range(clients)
        )
    )
    elapsed = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=100)
    return quantiles[49] * 1000, quantiles[98] * 1000, len(latencies) / elapsed


@contextmanager
def bare_route() -> Iterator[int]:
    """The bare app serving on a free port for the duration of the block; yields the port."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(BARE_APP), "--port", str(port)])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the bare app did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="gate applications per level")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        server = ServerProcess(Path(workdir) / "data", Path(workdir) / "server.log").start()
        try:
            print("| clients | load | p50 ms | p99 ms | gates/s |")
            print("|---:|---|---:|---:|---:|")
            rates = {}
            for clients in CONCURRENCY:
                p50, p99, rate = asyncio.run(run_level(server.port, clients, args.requests))
                rates[clients] = rate
                print(f"| {clients} | flat out | {p50:.2f} | {p99:.2f} | {rate:,.0f} |")
            for offered in PACED_RATES:
                p50, p99, rate = asyncio.run(run_level(server.port, 16, args.requests, offered))
                print(f"| 16 | {offered:,}/s | {p50:.2f} | {p99:.2f} | {rate:,.0f} |")
        finally:
            server.stop()
    with bare_route() as port:
        p50, p99, ceiling = asyncio.run(run_level(port, CEILING_CLIENTS, args.requests))
    print()
    print("| bare FastAPI route (ceiling) | clients | p50 ms | p99 ms | requests/s |")
    print("|---|---:|---:|---:|---:|")
    row = f"{CEILING_CLIENTS} | {p50:.2f} | {p99:.2f} | {ceiling:,.0f}"
    print(f"| validates the body, answers JSON | {row} |")
    share = rates[CEILING_CLIENTS] / ceiling
    verdict = "met" if share >= CEILING_TARGET else "NOT met"
    print(f"gate route / bare route at {CEILING_CLIENTS} clients: {share:.2f} ({verdict})")


if __name__ == "__main__":
    main()
