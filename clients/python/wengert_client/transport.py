"""Thin transports that send a ``Call`` over httpx, one synchronous and one asyncio."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import TypeVar

import httpx

from wengert_client.protocol import Call, Reply, check

T = TypeVar("T")
TIMEOUT = httpx.Timeout(60.0, connect=10.0)
STREAM_TIMEOUT = httpx.Timeout(60.0, connect=10.0, read=60.0)
"""The event stream sends a keep-alive every 15 s, so a minute of silence is a dead link."""


def _request(client: httpx.Client | httpx.AsyncClient, call: Call[T], token: str) -> httpx.Request:
    headers = {"Accept": call.accept}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.build_request(
        call.method, call.path, json=call.body, params=call.params, headers=headers
    )


def _reply(response: httpx.Response) -> Reply:
    return Reply(response.status_code, response.headers, response.content)


def stream_headers(token: str, last_event_id: int | None) -> dict[str, str]:
    """The headers that open (or reopen, after ``last_event_id``) the event stream."""
    headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {token}"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    return headers


class SyncTransport:
    """Sends calls with an ``httpx.Client`` to ``base_url`` with ``token``."""

    def __init__(self, base_url: str, token: str, client: httpx.Client | None = None) -> None:
        self.base_url = base_url
        self.token = token
        self.client = client or httpx.Client(base_url=base_url, timeout=TIMEOUT)

    def send(self, call: Call[T]) -> T:
        """Send ``call`` and return its parsed answer (or raise its error)."""
        response = self.client.send(_request(self.client, call, self.token))
        return call.result(_reply(response))

    @contextmanager
    def stream(self, path: str, last_event_id: int | None) -> Iterator[Iterator[str]]:
        """The lines of the event stream at ``path``, opened after ``last_event_id``."""
        headers = stream_headers(self.token, last_event_id)
        with self.client.stream("GET", path, headers=headers, timeout=STREAM_TIMEOUT) as response:
            if response.status_code >= 400:
                response.read()
                check(_reply(response))
            yield response.iter_lines()

    def close(self) -> None:
        """Close the connections."""
        self.client.close()


class AsyncTransport:
    """Sends calls with an ``httpx.AsyncClient`` to ``base_url`` with ``token``."""

    def __init__(self, base_url: str, token: str, client: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url
        self.token = token
        self.client = client or httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT)

    async def send(self, call: Call[T]) -> T:
        """Send ``call`` and return its parsed answer (or raise its error)."""
        response = await self.client.send(_request(self.client, call, self.token))
        return call.result(_reply(response))

    @asynccontextmanager
    async def stream(
        self, path: str, last_event_id: int | None
    ) -> AsyncIterator[AsyncIterator[str]]:
        """The lines of the event stream at ``path``, opened after ``last_event_id``."""
        headers = stream_headers(self.token, last_event_id)
        request = self.client.stream("GET", path, headers=headers, timeout=STREAM_TIMEOUT)
        async with request as response:
            if response.status_code >= 400:
                await response.aread()
                check(_reply(response))
            yield response.aiter_lines()

    async def aclose(self) -> None:
        """Close the connections."""
        await self.client.aclose()
