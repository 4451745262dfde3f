"""The attack suite's fixtures: a real server in a subprocess, the probe timing another
workspace while an attack runs, and the bars every attack is held to."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e.probe import Probing, reset_peak, resident_bytes
from e2e.server import ServerProcess

ANSWER_WITHIN_MS = 100
"""How soon after its request is complete the attacker must have its answer."""
PROBE_WORST_MS = 250
"""The longest the other user may wait while an attack runs."""
MEMORY_SLACK = 100 * 2**20
"""Resident memory may grow by twice what the server holds plus this."""
AFTERMATH = 0.3
"""Seconds after an attack's window in which the probe's waits still count against it."""


@dataclass
class Attack:
    """One attack's window: when it ran and how much the server's peak memory grew."""

    start: float
    end: float
    growth: int


class Attacked:
    """A running server with the probe on it; ``attack()`` times a block of attacker code."""

    def __init__(self, server: ServerProcess, probing: Probing) -> None:
        self.server, self.probing = server, probing
        self.attacks: list[Attack] = []
        self.figures: dict[str, float] = {}
        """What a test measured beyond the windows (the attacker's wait), for the README."""

    @property
    def url(self) -> str:
        return self.server.url

    def resident(self) -> int:
        return resident_bytes(self.server.process.pid)

    def attack(self) -> _AttackWindow:
        return _AttackWindow(self)


class _AttackWindow:
    def __init__(self, attacked: Attacked) -> None:
        self.attacked = attacked

    def __enter__(self) -> Attack:
        pid = self.attacked.server.process.pid
        self.before = resident_bytes(pid)
        reset_peak(pid)
        self.window = Attack(time.monotonic(), 0.0, 0)
        return self.window

    def __exit__(self, *exc_info: object) -> None:
        self.window.end = time.monotonic()
        peak = resident_bytes(self.attacked.server.process.pid, "VmHWM")
        self.window.growth = peak - self.before
        self.attacked.attacks.append(self.window)


@pytest.fixture
def attacked(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Attacked]:
    """A fresh server (extra environment from a ``server_env`` marker) with the probe on it.

    After the test, the probe's worst wait during each attack window must be within
    ``PROBE_WORST_MS``.
    """
    marker = request.node.get_closest_marker("server_env")
    env = {"WENGERT_ACCESS_LOG": "false", **(marker.args[0] if marker else {})}
    server = ServerProcess(tmp_path / "data", tmp_path / "server.log", env).start()
    try:
        with Probing(server.port) as probing:
            attacked = Attacked(server, probing)
            yield attacked
            time.sleep(AFTERMATH)  # the probe goes on timing what the attack left behind
        worsts = [probing.worst_ms(w.start, w.end + AFTERMATH) for w in attacked.attacks]
        _write_figures(request.node.nodeid, attacked, worsts)
        for worst in worsts:
            assert worst > 0, "the probe measured nothing during the attack"
            assert worst <= PROBE_WORST_MS, f"the probe waited {worst:.0f} ms during the attack"
    finally:
        server.stop()


def _write_figures(test: str, attacked: Attacked, worsts: list[float]) -> None:
    """With ATTACK_FIGURES set to a file, append one JSON line of what the test measured
    (how README's table of attacks is filled, before a change and after it)."""
    path = os.environ.get("ATTACK_FIGURES")
    if not path:
        return
    growth = max((w.growth for w in attacked.attacks), default=0)
    figures = {
        "test": test,
        "probe_worst_ms": max(worsts, default=0.0),
        "growth_mb": growth / 2**20,
    }
    with open(path, "a") as out:
        out.write(json.dumps({**figures, **attacked.figures}) + "\n")
