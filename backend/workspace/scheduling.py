"""Fair scheduling: requests to one workspace take turns, and heavy work has slots of its own.

Requests to a workspace are serialized anyway (its lock), so a request that would only wait
for the lock waits for its turn on the event loop instead, holding no worker thread: a busy
workspace, or a viewer firing requests at it, cannot fill the thread pool that every other
workspace needs. Each workspace's queue is short; beyond it the answer is 429 with
``Retry-After``, viewer requests included. Heavy work (gradcheck, exports, training steps,
large gates) also needs one of a few server-wide slots, so it never crowds out small work,
and each workspace has at most one heavy job running and one waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from backend.errors import TooBusy

HEAVY_PER_WORKSPACE = 2
"""One heavy job running and one waiting, per workspace."""


class Turns:
    """One workspace's queue of requests: one at a time, at most ``max_waiting`` admitted."""

    def __init__(self, max_waiting: int) -> None:
        self.max_waiting = max_waiting
        self.admitted = 0
        self.heavy = 0
        self._turn = asyncio.Semaphore(1)

    @asynccontextmanager
    async def turn(self, heavy_slots: HeavySlots | None = None) -> AsyncIterator[None]:
        """Wait on the event loop for a heavy slot, when given slots, and for this
        workspace's turn; 429 at once when the workspace's queue is full."""
        self._admit(heavy=heavy_slots is not None)
        try:
            if heavy_slots is None:
                async with self._turn:
                    yield
            else:
                # The slot first: a heavy job waiting for one must not hold up the light
                # requests of its own workspace.
                async with heavy_slots.slot(), self._turn:
                    yield
        finally:
            self.admitted -= 1
            self.heavy -= heavy_slots is not None

    def _admit(self, heavy: bool) -> None:
        if self.admitted >= self.max_waiting:
            raise TooBusy(
                f"this workspace already has {self.admitted} requests waiting; slow down", 1
            )
        if heavy and self.heavy >= HEAVY_PER_WORKSPACE:
            raise TooBusy("this workspace already has a heavy job running and one waiting", 2)
        self.admitted += 1
        self.heavy += heavy


class HeavySlots:
    """The server's few slots for heavy work, with a bounded queue of jobs waiting for one."""

    def __init__(self, slots: int, max_waiting: int) -> None:
        self.max_waiting = max_waiting
        self.waiting = 0
        self._slots = asyncio.Semaphore(slots)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self.waiting >= self.max_waiting:
            raise TooBusy("the server is busy with heavy work; try again shortly", 2)
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._slots.release()
