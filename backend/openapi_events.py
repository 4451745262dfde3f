"""The event stream in the OpenAPI document: each event's model, and the stream's schema.

FastAPI documents only what routes take and answer; events are sent on a stream, so their
models are added to ``components.schemas`` here, and `GET …/events` says its items are
``ServerEvent`` (one of them, by ``type``). Clients generate their event types from this.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import TypeAdapter

from backend.event_payloads import ServerEvent

EVENTS = ("/api/workspaces/{workspace_id}/events", "get")
REF_TEMPLATE = "#/components/schemas/{model}"


def event_schemas() -> dict[str, Any]:
    """The schema of every event model and of what they use, by name, plus ``ServerEvent``."""
    schema = TypeAdapter(ServerEvent).json_schema(mode="serialization", ref_template=REF_TEMPLATE)
    definitions = schema.pop("$defs")
    return {**definitions, "ServerEvent": schema}


def add_event_schemas(document: dict[str, Any]) -> None:
    """Add the event models to the document, and name them as the stream's items."""
    components = document["components"]["schemas"]
    for name, schema in event_schemas().items():
        # A model that REST routes use too is already there, as FastAPI words it.
        components.setdefault(name, schema)
    path, method = EVENTS
    stream = document["paths"][path][method]["responses"]["200"]["content"]["text/event-stream"]
    stream["schema"] = {"$ref": REF_TEMPLATE.format(model="ServerEvent")}


def install_event_schemas(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the events the stream sends."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = build()
        if first:
            add_event_schemas(document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
