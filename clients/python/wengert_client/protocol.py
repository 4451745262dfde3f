"""The sans-IO core: every operation as a request to send and a way to read its answer.

Nothing here does I/O. A ``Call`` says what to send; the sync and async transports send it
and hand the ``Reply`` back to ``Call.parse``, so both clients share one implementation.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import numpy as np

from wengert_client.errors import error_for
from wengert_client.picture import GraphPicture, PictureFormat

T = TypeVar("T")
NPY = "application/x-npy"
Json = Any
"""A decoded JSON value."""


@dataclass(frozen=True)
class Reply:
    """What the server answered: status, headers (lower-case names) and body."""

    status: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Json:
        """The body as JSON."""
        return json.loads(self.content)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request and how to read a successful answer to it."""

    method: str
    path: str
    parse: Callable[[Reply], T]
    body: Json = None
    params: dict[str, str | list[str]] = field(default_factory=dict)
    accept: str = "application/json"

    def result(self, reply: Reply) -> T:
        """The parsed answer, or the error it is raised as."""
        check(reply)
        return self.parse(reply)


def check(reply: Reply) -> None:
    """Raise the exception an error answer stands for; a success passes."""
    if reply.status < 400:
        return
    try:
        body = reply.json()
    except ValueError:
        body = reply.content.decode(errors="replace")
    raise error_for(reply.status, body, reply.headers.get("retry-after"))


def as_json(reply: Reply) -> Json:
    """Parse an answer as JSON."""
    return reply.json()


def as_text(reply: Reply) -> str:
    """Parse an answer as text."""
    return reply.content.decode()


def as_nothing(reply: Reply) -> None:
    """An answer with nothing to read (204)."""


def as_picture(format: PictureFormat) -> Callable[[Reply], GraphPicture]:
    """A parser of a picture answer in ``format``."""
    return lambda reply: GraphPicture(format, reply.content)


def as_array(reply: Reply) -> np.ndarray:
    """Parse a .npy answer; pickles are refused, as a server never sends one."""
    return np.asarray(np.load(io.BytesIO(reply.content), allow_pickle=False))


def decoded(value: Json) -> np.ndarray:
    """A tensor as JSON spells it (``"nan"``, ``"inf"``, ``"-inf"`` for non-finite) as an array."""
    return np.asarray(value, dtype=object).astype(np.float64)


def encoded(value: Any) -> Json:
    """A number, nested list or array as the JSON a request carries."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    return value


class Api:
    """The calls on one workspace, by its id; paths are relative to the server. Each
    method is the call of the route it is named after (see the server's /docs)."""

    def __init__(self, workspace_id: str) -> None:
        self.base = f"/api/workspaces/{workspace_id}"

    def state(self) -> Call[Json]:
        return Call("GET", self.base, as_json)

    def delete(self) -> Call[None]:
        return Call("DELETE", self.base, as_nothing)

    def variable(self, body: dict[str, Json]) -> Call[Json]:
        return Call("POST", f"{self.base}/variables", as_json, body)

    def read(self, name: str) -> Call[Json]:
        return Call("GET", f"{self.base}/variables/{name}", as_json)

    def array(self, name: str, which: Literal["value", "grad"]) -> Call[np.ndarray]:
        path = f"{self.base}/variables/{name}"
        return Call("GET", path, as_array, params={"field": which}, accept=NPY)

    def gate(self, body: dict[str, Json]) -> Call[Json]:
        return Call("POST", f"{self.base}/gates", as_json, body)

    def eval(self, body: dict[str, Json]) -> Call[Json]:
        return Call("POST", f"{self.base}/eval", as_json, body)

    def backprop(self, body: dict[str, Json]) -> Call[Json]:
        return Call("POST", f"{self.base}/backprop", as_json, body)

    def zero_grad(self, variables: list[str] | None) -> Call[Json]:
        body = {} if variables is None else {"variables": variables}
        return Call("POST", f"{self.base}/zero_grad", as_json, body)

    def no_grad(self, enabled: bool) -> Call[Json]:
        return Call("PUT", f"{self.base}/no_grad", as_json, {"enabled": enabled})

    def gradcheck(self, body: dict[str, Json]) -> Call[Json]:
        return Call("POST", f"{self.base}/gradcheck", as_json, body)

    def optimizer_step(self, body: dict[str, Json]) -> Call[Json]:
        return Call("POST", f"{self.base}/optimizer/step", as_json, body)

    def export(self) -> Call[Json]:
        return Call("GET", f"{self.base}/export", as_json)

    def export_script(self, target: Literal["engine", "torch"]) -> Call[str]:
        return Call("GET", f"{self.base}/export.py", as_text, params={"target": target})

    def graph(
        self, format: PictureFormat, params: dict[str, str | list[str]]
    ) -> Call[GraphPicture]:
        path = f"{self.base}/graph"
        return Call("GET", path, as_picture(format), params=params, accept="*/*")

    def training(self, action: str, body: Json = None) -> Call[Json]:
        """``action``: "configure" (PUT the config), "status" (GET), or a POST of
        start, pause, step, reset."""
        path = f"{self.base}/training"
        if action == "configure":
            return Call("PUT", path, as_json, body)
        if action == "status":
            return Call("GET", path, as_json)
        return Call("POST", f"{path}/{action}", as_json)

    def events_path(self) -> str:
        return f"{self.base}/events"


def create() -> Call[Json]:
    """A new workspace: its id, tokens and URLs."""
    return Call("POST", "/api/workspaces", as_json)


def import_document(document: Json) -> Call[Json]:
    """A new workspace built from an exported document."""
    return Call("POST", "/api/workspaces/import", as_json, document)


def gates() -> Call[Json]:
    """The gate catalog."""
    return Call("GET", "/api/gates", as_json)


def variable_body(
    name: str, value: Any, requires_grad: bool, init: dict[str, Any] | None, dtype: str | None
) -> dict[str, Json]:
    """The request that creates a leaf from a ``value`` or an ``init``."""
    body: dict[str, Json] = {"name": name, "requires_grad": requires_grad}
    if init is not None:
        body["init"] = init
    else:
        body["value"] = encoded(value)
    if dtype is not None:
        body["dtype"] = dtype
    return body


def gate_body(
    gate: str,
    inputs: list[str | float],
    params: dict[str, Any],
    output: str | None,
    group: str | None = None,
) -> dict[str, Json]:
    """The request that applies ``gate`` to inputs given by name or as numbers, as part of
    the module ``group`` when one is given."""
    body: dict[str, Json] = {"gate": gate, "inputs": inputs, "params": params}
    if output is not None:
        body["output"] = output
    if group is not None:
        body["group"] = group
    return body


def eval_body(source: str, again: bool, seed: int | None) -> dict[str, Json]:
    """The request that runs a program."""
    body: dict[str, Json] = {"source": source, "again": again}
    if seed is not None:
        body["seed"] = seed
    return body


def optimizer_body(optimizer: str, lr: float, params: list[str], **hyper: float) -> dict[str, Json]:
    """The request for one optimizer step of ``params``."""
    return {"optimizer": optimizer, "lr": lr, "params": params, **hyper}


def gradients(backprop: Json) -> dict[str, np.ndarray]:
    """The gradients a backprop answered, by name, as arrays."""
    return {name: decoded(grad) for name, grad in backprop["gradients"].items()}


def assigned(result: Json) -> list[str]:
    """The names a program assigned, in order."""
    return list(result["assigned"].values())


def outputs(result: Json) -> list[str]:
    """The names of a gate's outputs."""
    return list(result["outputs"])
