"""The asyncio client: the same calls as ``Workspace``, awaited.

Operators cannot be awaited mid-expression, so remote variables here apply gates through
awaited methods: ``c = await ws.gate("mul", a, b)``, ``await c.apply("relu")``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal, Unpack

import httpx
import numpy as np

from wengert_client import events, links, protocol, torch_compare
from wengert_client.picture import GraphPicture, PictureFormat, PictureOptions, picture_params
from wengert_client.protocol import Api, Json
from wengert_client.training import AsyncTraining
from wengert_client.transport import AsyncTransport


class AsyncVariable:
    """A variable of a remote workspace, for the asyncio client."""

    def __init__(self, workspace: AsyncWorkspace, name: str) -> None:
        self.workspace = workspace
        self.name = name

    def __repr__(self) -> str:
        return f"AsyncVariable({self.name!r})"

    async def value(self) -> np.ndarray:
        """Its value, fetched now."""
        return await self.workspace.fetch(self.name, "value")

    async def grad(self) -> np.ndarray:
        """Its gradient, fetched now."""
        return await self.workspace.fetch(self.name, "grad")

    async def apply(
        self, gate: str, *others: AsyncVariable | float, **params: Any
    ) -> AsyncVariable:
        """The catalog ``gate`` applied to this variable (first) and ``others``."""
        return await self.workspace.gate(gate, self, *others, **params)

    async def backprop(self, seed: Any = None) -> dict[str, np.ndarray]:
        """Backpropagate from this variable; every gradient it touched, by name."""
        return await self.workspace.backprop(self, seed)


class AsyncWorkspace:
    """A workspace on a Wengert server, for asyncio. Make one with ``create`` or ``open``."""

    def __init__(
        self, location: links.Location, viewer_token: str | None, client: httpx.AsyncClient | None
    ) -> None:
        self.location = location
        self.id = location.workspace_id
        self.transport = AsyncTransport(location.server, location.token, client)
        self.api = Api(self.id)
        self.url = location.page()
        self.viewer_url = None if viewer_token is None else location.page(viewer_token)
        self.training = AsyncTraining(self.transport.send, self.api)

    @classmethod
    async def create(cls, server: str, client: httpx.AsyncClient | None = None) -> AsyncWorkspace:
        """A new, empty workspace on ``server``."""
        server = server.rstrip("/")
        transport = AsyncTransport(server, "", client)
        created = await transport.send(protocol.create())
        if client is None:
            await transport.aclose()
        location = links.Location(server, created["id"], created["token"])
        return cls(location, created["viewer_token"], client)

    @classmethod
    async def open(cls, url: str, client: httpx.AsyncClient | None = None) -> AsyncWorkspace:
        """The workspace a page URL (``http://host/w/{id}#{token}``) opens, with its token."""
        ws = cls(links.parse(url), None, client)
        if (await ws.state())["access"] == "read":
            ws.viewer_url = ws.url
        return ws

    def _repr_html_(self) -> str:
        """In Jupyter, the live page embedded (read-only when the viewer URL is known)."""
        return links.embedded(self.viewer_url or self.url)

    def __getitem__(self, name: str) -> AsyncVariable:
        return AsyncVariable(self, name)

    async def aclose(self) -> None:
        """Close the connections."""
        await self.transport.aclose()

    async def __aenter__(self) -> AsyncWorkspace:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def state(self) -> Json:
        """The whole state."""
        return await self.transport.send(self.api.state())

    async def delete(self) -> None:
        """Delete the workspace."""
        await self.transport.send(self.api.delete())

    async def variable(
        self,
        name: str,
        value: Any = None,
        requires_grad: bool = False,
        *,
        init: dict[str, Any] | None = None,
        dtype: str | None = None,
    ) -> AsyncVariable:
        """A new leaf from a value or an ``init``."""
        body = protocol.variable_body(name, value, requires_grad, init, dtype)
        await self.transport.send(self.api.variable(body))
        return AsyncVariable(self, name)

    async def gate(
        self,
        name: str,
        *inputs: AsyncVariable | str | float,
        output: str | None = None,
        **params: Any,
    ) -> AsyncVariable:
        """Apply the catalog gate ``name`` to variables, names or numbers; its first output."""
        names = [_name(v) if isinstance(v, AsyncVariable | str) else float(v) for v in inputs]
        call = self.api.gate(protocol.gate_body(name, names, params, output))
        return AsyncVariable(self, protocol.outputs(await self.transport.send(call))[0])

    async def eval(
        self, source: str, again: bool = False, seed: int | None = None
    ) -> dict[str, AsyncVariable]:
        """Run a program; the variables it assigned, by name."""
        call = self.api.eval(protocol.eval_body(source, again, seed))
        names = protocol.assigned(await self.transport.send(call))
        return {name: AsyncVariable(self, name) for name in names}

    async def backprop(
        self, variable: AsyncVariable | str, seed: Any = None
    ) -> dict[str, np.ndarray]:
        """Backpropagate from ``variable``; every gradient it touched, by name."""
        body: dict[str, Json] = {"variable": _name(variable)}
        if seed is not None:
            body["seed"] = protocol.encoded(seed)
        return protocol.gradients(await self.transport.send(self.api.backprop(body)))

    async def fetch(self, name: str, which: Literal["value", "grad"]) -> np.ndarray:
        """A variable's value or gradient, as .npy."""
        return await self.transport.send(self.api.array(name, which))

    async def zero_grad(self, variables: list[AsyncVariable | str] | None = None) -> None:
        """Reset gradients to zero: of ``variables``, or of every one."""
        names = None if variables is None else [_name(v) for v in variables]
        await self.transport.send(self.api.zero_grad(names))

    @asynccontextmanager
    async def no_grad(self) -> AsyncIterator[None]:
        """Within the block nothing is recorded on the tape."""
        await self.transport.send(self.api.no_grad(True))
        try:
            yield
        finally:
            await self.transport.send(self.api.no_grad(False))

    async def optimizer_step(
        self, optimizer: str, lr: float, params: list[AsyncVariable | str], **hyper: float
    ) -> None:
        """One step of ``optimizer`` on ``params``; its state is kept."""
        body = protocol.optimizer_body(optimizer, lr, [_name(p) for p in params], **hyper)
        await self.transport.send(self.api.optimizer_step(body))

    async def export(self) -> Json:
        """The state as a JSON document."""
        return await self.transport.send(self.api.export())

    async def export_script(self, target: Literal["engine", "torch"] = "engine") -> str:
        """A Python script that rebuilds the workspace with the engine, or with PyTorch."""
        return await self.transport.send(self.api.export_script(target))

    async def graph(
        self, format: PictureFormat = "svg", **options: Unpack[PictureOptions]
    ) -> GraphPicture:
        """A picture of the graph, drawn by the server (see ``Workspace.graph``)."""
        return await self.transport.send(self.api.graph(format, picture_params(format, options)))

    async def compare_with_torch(self) -> torch_compare.TorchComparison:
        """Rebuild the graph in PyTorch, backprop, and compare each leaf's gradient."""
        return torch_compare.run(await self.export_script("torch"))

    def events(self, last_event_id: int | None = None) -> AsyncIterator[events.Event]:
        """The live events, reconnecting with ``Last-Event-ID`` when the connection drops."""
        return events.aevents(self.transport, self.api.events_path(), last_event_id)


def _name(variable: AsyncVariable | str) -> str:
    return variable if isinstance(variable, str) else variable.name
