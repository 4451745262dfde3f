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

from backend.event_payloads import Resync

BUFFER_SIZE = 10_000
BUFFER_BYTES = 8 * 1024 * 1024
"""The replay buffer keeps at most this many events and this many bytes of their text."""
KEEPALIVE_SECONDS = 15.0


@dataclass(frozen=True)
class Event:
    """One change, numbered in the order it happened, with its SSE text made once."""

    seq: int
    type: str
    data: dict[str, Any]
    sse: str

    @classmethod
    def of(cls, seq: int, kind: str, data: dict[str, Any]) -> Event:
        """Encode the event once, whatever the number of subscribers who will send it."""
        payload = json.dumps({"seq": seq, "type": kind, **data})
        return cls(seq, kind, data, f"id: {seq}\nevent: {kind}\ndata: {payload}\n\n")


class EventHub:
    """Numbers and buffers a workspace's events and fans them out to subscribers."""

    def __init__(self, last_seq: int = 0) -> None:
        self.last_seq = last_seq
        self._buffer: deque[Event] = deque()
        self._buffered_bytes = 0
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Event]]] = set()
        self._lock = threading.Lock()

    def publish(self, kind: str, data: dict[str, Any]) -> Event:
        """Number, buffer and deliver one event; safe from any thread."""
        with self._lock:
            self.last_seq += 1
            event = Event.of(self.last_seq, kind, data)
            self._buffer_event(event)
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            loop.call_soon_threadsafe(queue.put_nowait, event)
        return event

    def _buffer_event(self, event: Event) -> None:
        self._buffer.append(event)
        self._buffered_bytes += len(event.sse)
        while len(self._buffer) > BUFFER_SIZE or (
            self._buffered_bytes > BUFFER_BYTES and len(self._buffer) > 1
        ):
            self._buffered_bytes -= len(self._buffer.popleft().sse)

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
                    yield Event.of(current, "resync", Resync().data()).sse
                    missed = []
                for event in missed:
                    if event.seq <= current:
                        yield event.sse
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
                yield event.sse
            if event.type == "deleted":
                return
