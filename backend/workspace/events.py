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
QUEUE_BYTES = 4 * 1024 * 1024
"""A subscriber is dropped once this many bytes of events wait to be sent to it."""


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

    def __init__(self, last_seq: int = 0, queue_bytes: int = QUEUE_BYTES) -> None:
        self.last_seq = last_seq
        self.queue_bytes = queue_bytes
        self._buffer: deque[Event] = deque()
        self._buffered_bytes = 0
        self._subscribers: dict[asyncio.AbstractEventLoop, set[Subscriber]] = {}
        self._lock = threading.Lock()

    def publish(self, kind: str, data: dict[str, Any]) -> Event:
        """Number, buffer and deliver one event; safe from any thread. The writer pays for
        one hand-over per event loop, however many subscribers there are."""
        with self._lock:
            self.last_seq += 1
            event = Event.of(self.last_seq, kind, data)
            self._buffer_event(event)
            by_loop = [(loop, list(subscribers)) for loop, subscribers in self._subscribers.items()]
        for loop, subscribers in by_loop:
            loop.call_soon_threadsafe(_deliver, subscribers, event)
        return event

    def _subscribe(self, subscriber: Subscriber) -> int:
        with self._lock:
            self._subscribers.setdefault(subscriber.loop, set()).add(subscriber)
            return self.last_seq

    def _unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            subscribers = self._subscribers.get(subscriber.loop, set())
            subscribers.discard(subscriber)
            if not subscribers:
                self._subscribers.pop(subscriber.loop, None)

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
        subscriber = Subscriber(asyncio.get_running_loop(), self.queue_bytes)
        current = self._subscribe(subscriber)
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
            async for text in _live(subscriber, sent):
                yield text
        finally:
            self._unsubscribe(subscriber)


class Subscriber:
    """One stream's queue of events not yet sent, at most ``cap`` bytes of their text: a
    subscriber that falls further behind is dropped (its queue emptied, its stream ended),
    and catches up by reconnecting with ``Last-Event-ID`` (the missed events, or a resync).
    Touched only on its event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, cap: int) -> None:
        self.loop, self.cap = loop, cap
        self.queue: deque[Event] = deque()
        self.queued_bytes = 0
        self.dropped = False
        self.ready = asyncio.Event()

    def deliver(self, event: Event) -> None:
        if self.dropped:
            return
        # An event larger than the cap still goes to a subscriber that has sent all else.
        if self.queue and self.queued_bytes + len(event.sse) > self.cap:
            self.dropped = True
            self.queue.clear()
            self.queued_bytes = 0
        else:
            self.queue.append(event)
            self.queued_bytes += len(event.sse)
        self.ready.set()

    def take(self) -> Event | None:
        """The oldest queued event; None when the queue is empty."""
        if not self.queue:
            self.ready.clear()
            return None
        event = self.queue.popleft()
        self.queued_bytes -= len(event.sse)
        return event


def _deliver(subscribers: list[Subscriber], event: Event) -> None:
    for subscriber in subscribers:
        subscriber.deliver(event)


async def _live(subscriber: Subscriber, sent: int) -> AsyncIterator[str]:
    """Queued events as they come, keep-alives while none do; ends when the workspace is
    deleted or the subscriber is dropped."""
    while not subscriber.dropped:
        event = subscriber.take()
        if event is None:
            try:
                await asyncio.wait_for(subscriber.ready.wait(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
            continue
        if event.seq > sent:
            sent = event.seq
            yield event.sse
        if event.type == "deleted":
            return
