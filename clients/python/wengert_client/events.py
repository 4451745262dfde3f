"""The live event stream: a sans-IO parser of Server-Sent Events, and the reconnecting
iterators (sync and async) that resume with ``Last-Event-ID``."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from wengert_client.transport import AsyncTransport, SyncTransport

DEFAULT_RETRY_SECONDS = 1.0


@dataclass(frozen=True)
class Event:
    """One event: its number, its type (``node_recorded``, ``backprop_done``, …) and data."""

    id: int
    type: str
    data: dict[str, Any]


@dataclass
class SseParser:
    """Turns the stream's lines into events; remembers the last id and the server's retry."""

    last_id: int | None = None
    retry_seconds: float = DEFAULT_RETRY_SECONDS
    _fields: dict[str, str] = field(default_factory=dict)

    def feed(self, line: str) -> Event | None:
        """Take one line (without its newline); an event when a blank line completes one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a keep-alive comment
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "retry" and value.isdigit():
            self.retry_seconds = int(value) / 1000
        elif name == "data" and "data" in self._fields:
            self._fields["data"] += "\n" + value
        else:
            self._fields[name] = value
        return None

    def _dispatch(self) -> Event | None:
        fields, self._fields = self._fields, {}
        if "data" not in fields:
            return None
        event_id = int(fields["id"]) if fields.get("id", "").isdigit() else self.last_id or 0
        self.last_id = event_id
        data = json.loads(fields["data"])
        return Event(event_id, fields.get("event", "message"), data)


DROPPED = (httpx.TransportError,)
"""What a dropped connection raises: the stream reconnects after these."""


def events(transport: SyncTransport, path: str, last_event_id: int | None) -> Iterator[Event]:
    """Every event from after ``last_event_id``, reconnecting when the stream drops, until
    the workspace is deleted (a ``deleted`` event) or the caller stops iterating."""
    parser = SseParser(last_id=last_event_id)
    while True:
        try:
            with transport.stream(path, parser.last_id) as lines:
                for line in lines:
                    event = parser.feed(line)
                    if event is not None:
                        yield event
                        if event.type == "deleted":
                            return
        except DROPPED:
            pass
        time.sleep(parser.retry_seconds)


async def aevents(
    transport: AsyncTransport, path: str, last_event_id: int | None
) -> AsyncIterator[Event]:
    """As ``events``, for the asyncio client."""
    parser = SseParser(last_id=last_event_id)
    while True:
        try:
            async with transport.stream(path, parser.last_id) as lines:
                async for line in lines:
                    event = parser.feed(line)
                    if event is not None:
                        yield event
                        if event.type == "deleted":
                            return
        except DROPPED:
            pass
        await asyncio.sleep(parser.retry_seconds)
