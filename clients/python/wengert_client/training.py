"""A workspace's training run, sync and async: configure, start, pause, step, metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from wengert_client.protocol import Api, Call, Json

T = TypeVar("T")


class Training:
    """The server's training job of one workspace. Each method answers the run's status
    (``state``, ``epoch``, ``step``, ``metrics``, ``history``, …)."""

    def __init__(self, send: Callable[[Call[Any]], Any], api: Api) -> None:
        self._send = send
        self._api = api

    def configure(self, config: dict[str, Any]) -> Json:
        """Set up a run: dataset, model, loss, optimizer, batch_size, epochs, l2."""
        return self._send(self._api.training("configure", config))

    def status(self) -> Json:
        """Where the run is."""
        return self._send(self._api.training("status"))

    def start(self) -> Json:
        """Train in the background."""
        return self._send(self._api.training("start"))

    def pause(self) -> Json:
        """Stop training in the background."""
        return self._send(self._api.training("pause"))

    def step(self) -> Json:
        """One training step, now."""
        return self._send(self._api.training("step"))

    def reset(self) -> Json:
        """Back to fresh weights."""
        return self._send(self._api.training("reset"))

    @property
    def metrics(self) -> Json:
        """The latest metrics (loss, accuracy, …)."""
        return self.status()["metrics"]


class AsyncTraining:
    """As ``Training``, for the asyncio client: each method is awaited."""

    def __init__(self, send: Callable[[Call[Any]], Awaitable[Any]], api: Api) -> None:
        self._send = send
        self._api = api

    async def configure(self, config: dict[str, Any]) -> Json:
        """Set up a run: dataset, model, loss, optimizer, batch_size, epochs, l2."""
        return await self._send(self._api.training("configure", config))

    async def status(self) -> Json:
        """Where the run is."""
        return await self._send(self._api.training("status"))

    async def start(self) -> Json:
        """Train in the background."""
        return await self._send(self._api.training("start"))

    async def pause(self) -> Json:
        """Stop training in the background."""
        return await self._send(self._api.training("pause"))

    async def step(self) -> Json:
        """One training step, now."""
        return await self._send(self._api.training("step"))

    async def reset(self) -> Json:
        """Back to fresh weights."""
        return await self._send(self._api.training("reset"))

    async def metrics(self) -> Json:
        """The latest metrics (loss, accuracy, …)."""
        return (await self.status())["metrics"]
