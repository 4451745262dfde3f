"""The other user: a probe in a process of its own that times a tiny request on another
workspace every 50 ms while an attack runs, and the server's resident memory."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path

PROBE_INTERVAL = 0.05


class Connection:
    """A minimal keep-alive HTTP/1.1 client, so the load generator costs little CPU
    next to the server on a 2-core machine (httpx costs more per request than the server)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        return cls(*await asyncio.open_connection(host, port))

    async def post(self, path: str, body: dict, token: str | None = None) -> tuple[int, dict]:
        payload = json.dumps(body).encode()
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        head = (
            f"POST {path} HTTP/1.1\r\nHost: bench\r\n{auth}"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        self.writer.write(head.encode() + payload)
        return await self._answer()

    async def get(self, path: str, token: str | None = None) -> tuple[int, dict]:
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n{auth}\r\n".encode())
        return await self._answer()

    async def _answer(self) -> tuple[int, dict]:
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        return int(status_line.split()[1]), json.loads(data) if data else {}

    def close(self) -> None:
        self.writer.close()


@dataclass
class Sample:
    """One probe round: when it started, and how long `/healthz` and a tiny gate took."""

    start: float
    health_ms: float
    gate_ms: float


def probe(port: int, stop, out: multiprocessing.Queue, ready=None) -> None:
    """The other user: every 50 ms, `/healthz` and a tiny gate in a workspace of its own;
    ``ready`` (an Event) is set once the first round is done."""
    out.put(asyncio.run(_probe(port, stop, ready)))


async def _probe(port: int, stop, ready=None) -> list[Sample]:
    connection = await Connection.open("127.0.0.1", port)
    _, created = await connection.post("/api/workspaces", {})
    base, token = f"/api/workspaces/{created['id']}", created["token"]
    await connection.post(f"{base}/variables", {"name": "x", "value": [1.0, 2.0]}, token)
    samples = []
    while not stop.is_set():
        start = time.monotonic()
        try:
            await connection.get("/healthz")
            health = time.monotonic()
            await connection.post(f"{base}/gates", {"gate": "mul", "inputs": ["x", 2.0]}, token)
        except (OSError, asyncio.IncompleteReadError, IndexError):
            # A test killed and restarted the server: no round to time, connect again.
            connection = await _reconnect(port, stop)
            if connection is None:
                break
            continue
        done = time.monotonic()
        samples.append(Sample(start, (health - start) * 1000, (done - health) * 1000))
        if ready is not None:
            ready.set()
        await asyncio.sleep(max(0.0, PROBE_INTERVAL - (done - start)))
    return samples


async def _reconnect(port: int, stop) -> Connection | None:
    """A new connection once the server listens again; None if the probe is stopped first."""
    while not stop.is_set():
        try:
            return await Connection.open("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(PROBE_INTERVAL)
    return None


def resident_bytes(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} for process {pid}")


def reset_peak(pid: int) -> None:
    """Start a new peak-memory measurement (Linux: writing 5 to clear_refs resets VmHWM)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


class Probing:
    """The probe running in a separate process while the ``with`` block runs.

    ``worst_ms(start, end)`` is the probe's longest wait (``/healthz`` or the tiny gate) among
    the rounds that ran at some time between ``start`` and ``end`` (``time.monotonic()``
    values).
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.samples: list[Sample] = []

    def __enter__(self) -> Probing:
        self._stop = multiprocessing.Event()
        ready = multiprocessing.Event()
        self._out: multiprocessing.Queue = multiprocessing.Queue()
        self._process = multiprocessing.Process(
            target=probe, args=(self.port, self._stop, self._out, ready)
        )
        self._process.start()
        # Until the probe is measuring: on a loaded machine its start alone can take over a
        # second, and an attack before it would be timed by no one.
        if not ready.wait(30):
            raise RuntimeError("the probe did not start measuring within 30 s")
        time.sleep(0.2)  # a few rounds in
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self.samples = self._out.get(timeout=60)
        self._process.join(timeout=10)

    def worst_ms(self, start: float, end: float) -> float:
        # A round that began before the window and waited through it counts too.
        waits = [
            max(s.health_ms, s.gate_ms)
            for s in self.samples
            if start <= s.start + (s.health_ms + s.gate_ms) / 1000 and s.start <= end
        ]
        return max(waits, default=0.0)
