"""The live event stream of a workspace: numbered events, a replay buffer, many subscribers.

Events are published from worker threads (where requests run) and consumed by SSE
responses on the event loop, so hand-over goes through ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

BUFFER_SIZE = 10_000
KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True)
class Event:
    """One change, numbered in the order it happened."""

    seq: int
    type: str
    data: dict[str, Any]

    def to_sse(self) -> str:
        payload = json.dumps({"seq": self.seq, "type": self.type, **self.data})
        return f"id: {self.seq}\nevent: {self.type}\ndata: {payload}\n\n"


class EventHub:
    """Numbers and buffers a workspace's events and fans them out to subscribers."""

    def __init__(self, last_seq: int = 0) -> None:
        self.last_seq = last_seq
        self._buffer: deque[Event] = deque(maxlen=BUFFER_SIZE)
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Event]]] = set()
        self._lock = threading.Lock()

    def publish(self, kind: str, data: dict[str, Any]) -> Event:
        """Number, buffer and deliver one event; safe from any thread."""
        with self._lock:
            self.last_seq += 1
            event = Event(self.last_seq, kind, data)
            self._buffer.append(event)
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            loop.call_soon_threadsafe(queue.put_nowait, event)
        return event

    def missed_since(self, last_seen: int) -> list[Event] | None:
        """Buffered events after ``last_seen``; None when some are no longer buffered."""
        with self._lock:
            if last_seen > self.last_seq:
                return None
            missed = [e for e in self._buffer if e.seq > last_seen]
        expected = self.last_seq - last_seen
        return missed if len(missed) == expected else None

    async def stream(self, last_seen: int | None) -> AsyncIterator[str]:
        """SSE text: what was missed since ``last_seen``, then live events, with keep-alives.

        When the missed events can't be replayed (buffer overrun, or a server restart), a
        ``resync`` event tells the client to reload the whole state.
        """
        queue: asyncio.Queue[Event] = asyncio.Queue()
        subscriber = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.add(subscriber)
            current = self.last_seq
        try:
            yield "retry: 1000\n\n"
            sent = current if last_seen is None else last_seen
            if last_seen is not None and last_seen != current:
                missed = self.missed_since(last_seen)
                if missed is None:
                    yield Event(current, "resync", {}).to_sse()
                    missed = []
                for event in missed:
                    if event.seq <= current:
                        yield event.to_sse()
                sent = current
            async for text in self._live(queue, sent):
                yield text
        finally:
            with self._lock:
                self._subscribers.discard(subscriber)

    async def _live(self, queue: asyncio.Queue[Event], sent: int) -> AsyncIterator[str]:
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if event.seq > sent:
                sent = event.seq
                yield event.to_sse()
            if event.type == "deleted":
                return
