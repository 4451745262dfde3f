"""The synchronous client: a remote workspace scripted like a library."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal, Unpack

import httpx
import numpy as np

from wengert_client import events, links, protocol, torch_compare
from wengert_client.picture import GraphPicture, PictureFormat, PictureOptions, picture_params
from wengert_client.protocol import Api, Json
from wengert_client.training import Training
from wengert_client.transport import SyncTransport
from wengert_client.variable import Variable


class Workspace:
    """A workspace on a Wengert server. Make one with ``create`` or ``open``.

    ``url`` opens it in a browser with this client's token; ``viewer_url`` read-only (known
    when this client created it, or opened a viewer URL).
    """

    def __init__(
        self, location: links.Location, viewer_token: str | None, client: httpx.Client | None
    ) -> None:
        self.location = location
        self.id = location.workspace_id
        self.transport = SyncTransport(location.server, location.token, client)
        self.api = Api(self.id)
        self.url = location.page()
        self.viewer_url = None if viewer_token is None else location.page(viewer_token)
        self.training = Training(self.transport.send, self.api)

    @classmethod
    def create(cls, server: str, client: httpx.Client | None = None) -> Workspace:
        """A new, empty workspace on ``server`` (e.g. ``http://127.0.0.1:8000``)."""
        server = server.rstrip("/")
        created = SyncTransport(server, "", client).send(protocol.create())
        return cls(
            links.Location(server, created["id"], created["token"]), created["viewer_token"], client
        )

    @classmethod
    def open(cls, url: str, client: httpx.Client | None = None) -> Workspace:
        """The workspace a page URL (``http://host/w/{id}#{token}``) opens, with its token."""
        location = links.parse(url)
        ws = cls(location, None, client)
        if ws.state()["access"] == "read":
            ws.viewer_url = ws.url
        return ws

    def __repr__(self) -> str:
        return f"Workspace({self.url!r})"

    def _repr_html_(self) -> str:
        """In Jupyter, the live page embedded (read-only when the viewer URL is known)."""
        return links.embedded(self.viewer_url or self.url)

    def __getitem__(self, name: str) -> Variable:
        return Variable(self, name)

    def close(self) -> None:
        """Close the connections."""
        self.transport.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def state(self) -> Json:
        """The whole state: variables, tape, history, no_grad, access, …"""
        return self.transport.send(self.api.state())

    def delete(self) -> None:
        """Delete the workspace; watchers get a ``deleted`` event."""
        self.transport.send(self.api.delete())

    def variable(
        self,
        name: str,
        value: Any = None,
        requires_grad: bool = False,
        *,
        init: dict[str, Any] | None = None,
        dtype: str | None = None,
    ) -> Variable:
        """A new leaf from a number, nested list or array, or from ``init`` (e.g.
        ``{"kind": "randn", "shape": [3, 4], "seed": 0}``)."""
        body = protocol.variable_body(name, value, requires_grad, init, dtype)
        self.transport.send(self.api.variable(body))
        return Variable(self, name)

    def gate(
        self,
        name: str,
        *inputs: Variable | str | float,
        output: str | None = None,
        group: str | None = None,
        **params: Any,
    ) -> Variable:
        """Apply the catalog gate ``name``: ``ws.gate("conv2d", x, w, b, stride=2)``. A
        multi-output gate's first output is returned; use ``gate_outputs`` for all.
        ``group`` names the module the node belongs to (``"encoder.layer1"``)."""
        return self.gate_outputs(name, *inputs, output=output, group=group, **params)[0]

    def gate_outputs(
        self,
        name: str,
        *inputs: Variable | str | float,
        output: str | None = None,
        group: str | None = None,
        **params: Any,
    ) -> list[Variable]:
        """Apply the catalog gate ``name`` to variables, names or numbers; every output."""
        names = [_name(v) if isinstance(v, Variable | str) else float(v) for v in inputs]
        body = protocol.gate_body(name, names, params, output, group)
        result = self.transport.send(self.api.gate(body))
        return [Variable(self, out) for out in protocol.outputs(result)]

    def eval(
        self, source: str, again: bool = False, seed: int | None = None
    ) -> dict[str, Variable]:
        """Run a program (``"h = tanh(W @ x + b)"``); the variables it assigned, by name."""
        result = self.transport.send(self.api.eval(protocol.eval_body(source, again, seed)))
        return {name: Variable(self, name) for name in protocol.assigned(result)}

    def backprop(self, variable: Variable | str, seed: Any = None) -> dict[str, np.ndarray]:
        """Backpropagate from ``variable``; every gradient it touched, by name."""
        body: dict[str, Json] = {"variable": _name(variable)}
        if seed is not None:
            body["seed"] = protocol.encoded(seed)
        return protocol.gradients(self.transport.send(self.api.backprop(body)))

    def fetch(self, name: str, which: Literal["value", "grad"]) -> np.ndarray:
        """A variable's value or gradient, as .npy."""
        return self.transport.send(self.api.array(name, which))

    def zero_grad(self, variables: list[Variable | str] | None = None) -> None:
        """Reset gradients to zero: of ``variables``, or of every one."""
        names = None if variables is None else [_name(v) for v in variables]
        self.transport.send(self.api.zero_grad(names))

    def set_no_grad(self, enabled: bool) -> None:
        """Turn no-grad mode on or off: while on, nothing is recorded on the tape."""
        self.transport.send(self.api.no_grad(enabled))

    @contextmanager
    def no_grad(self) -> Iterator[None]:
        """Within the block nothing is recorded on the tape, as ``torch.no_grad()``."""
        self.set_no_grad(True)
        try:
            yield
        finally:
            self.set_no_grad(False)

    def gradcheck(self, wrt: list[Variable | str], variable: Variable | str | None = None) -> Json:
        """Finite differences against the analytic gradient of ``variable`` (default: the
        last backprop's root) for each of ``wrt``."""
        body: dict[str, Json] = {"wrt": [_name(v) for v in wrt]}
        if variable is not None:
            body["variable"] = _name(variable)
        return self.transport.send(self.api.gradcheck(body))

    def optimizer_step(
        self, optimizer: str, lr: float, params: list[Variable | str], **hyper: float
    ) -> None:
        """One step of ``optimizer`` (sgd, momentum, adam) on ``params``; its state is kept."""
        body = protocol.optimizer_body(optimizer, lr, [_name(p) for p in params], **hyper)
        self.transport.send(self.api.optimizer_step(body))

    def export(self) -> Json:
        """The state as a JSON document; ``Workspace.import_document`` makes a copy."""
        return self.transport.send(self.api.export())

    def export_script(self, target: Literal["engine", "torch"] = "engine") -> str:
        """A Python script that rebuilds the workspace with the engine, or with PyTorch."""
        return self.transport.send(self.api.export_script(target))

    def graph(
        self, format: PictureFormat = "svg", **options: Unpack[PictureOptions]
    ) -> GraphPicture:
        """A picture of the graph, drawn by the server (nothing to install here): in a
        notebook it shows inline; ``.text`` or ``.data`` to keep it. Options: ``theme``,
        ``include``, ``around`` with ``depth`` (a neighbourhood), ``fold`` (module groups
        as one card each), ``scale`` (a PNG's size)."""
        return self.transport.send(self.api.graph(format, picture_params(format, options)))

    def trace_torch(self, module: Any, *example_inputs: Any) -> Variable | tuple[Variable, ...]:
        """Rebuild a PyTorch ``module`` here as gates, run on ``example_inputs`` (needs
        ``wengert-client[torch]``). Each parameter becomes a leaf that requires grad, named
        by its qualified name with ``.`` as ``_`` (``fc1.weight`` → ``fc1_weight``); each
        input a leaf named as ``forward``'s argument; each gate records its module as its
        group. Returns the output (a tuple for several). An operation without a Wengert
        gate raises ``UnsupportedOperation`` naming it and where it is, before anything
        is created; a request the server refuses midway (a memory limit) leaves what was
        made before it, as each leaf and gate is its own request."""
        from wengert_client.tracing.build import build  # torch is optional: imported here
        from wengert_client.tracing.trace import plan_module

        plan = plan_module(module, example_inputs)
        outputs = build(self, plan)
        return outputs[0] if plan.single_output else tuple(outputs)

    def compare_with_torch(self) -> torch_compare.TorchComparison:
        """Rebuild the graph in PyTorch, backprop, and compare each leaf's gradient."""
        return torch_compare.run(self.export_script("torch"))

    def events(self, last_event_id: int | None = None) -> Iterator[events.Event]:
        """The live events, after ``last_event_id`` (or from now); reconnects when the
        connection drops, resuming with ``Last-Event-ID``; ends when the workspace is deleted."""
        return events.events(self.transport, self.api.events_path(), last_event_id)

    @classmethod
    def import_document(
        cls, server: str, document: Json, client: httpx.Client | None = None
    ) -> Workspace:
        """A new workspace on ``server`` built from an exported document."""
        server = server.rstrip("/")
        created = SyncTransport(server, "", client).send(protocol.import_document(document))
        return cls(
            links.Location(server, created["id"], created["token"]), created["viewer_token"], client
        )


def _name(variable: Variable | str) -> str:
    return variable if isinstance(variable, str) else variable.name
