"""The event stream in the OpenAPI document: each event's model, and the stream's schema.

FastAPI documents only what routes take and answer; events are sent on a stream, so their
models are added to ``components.schemas`` here (``ServerEvent`` is any of them, by
``type``); clients generate their event types from this. `GET …/events` describes each
Server-Sent Event as it is sent, as OpenAPI 3.2 does a stream's items (and schemathesis
reads a 3.1 document's): its `event` is the type, its `id` the number and its `data` the
event's JSON, whose schema is the model of that type.
"""

from typing import Any, get_args

from fastapi import FastAPI
from pydantic import BaseModel, TypeAdapter

from backend.event_payloads import ServerEvent
from backend.http.openapi_document import add_to_openapi

EVENTS = ("/api/workspaces/{workspace_id}/events", "get")
REF_TEMPLATE = "#/components/schemas/{model}"
NUMBER = "The event's number (its `seq`): send the last one seen as `Last-Event-ID`."


def event_schemas() -> dict[str, Any]:
    """The schema of every event model and of what they use, by name, plus ``ServerEvent``."""
    schema = TypeAdapter(ServerEvent).json_schema(mode="serialization", ref_template=REF_TEMPLATE)
    definitions = schema.pop("$defs")
    return {**definitions, "ServerEvent": schema}


def event_models() -> list[type[BaseModel]]:
    """The model of each event type the stream can send."""
    union, _ = get_args(ServerEvent)
    return list(get_args(union))


def sent_event_schema(model: type[BaseModel]) -> dict[str, Any]:
    """One Server-Sent Event of the type ``model`` describes, as the stream writes it."""
    kind = model.model_fields["type"].default
    numbered = {
        "type": "object",
        "required": ["seq"],
        "properties": {"seq": {"type": "integer", "minimum": 0, "description": NUMBER}},
    }
    data = {"allOf": [{"$ref": REF_TEMPLATE.format(model=model.__name__)}, numbered]}
    return {
        "type": "object",
        "required": ["event", "id", "data"],
        "properties": {
            "event": {"const": kind},
            "id": {"type": "string", "pattern": "^[0-9]+$", "description": NUMBER},
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": data,
            },
        },
    }


def stream_schema() -> dict[str, Any]:
    """Any Server-Sent Event the stream sends."""
    return {"oneOf": [sent_event_schema(model) for model in event_models()]}


def add_event_schemas(document: dict[str, Any]) -> None:
    """Add the event models to the document, and name them as the stream's items."""
    components = document["components"]["schemas"]
    for name, schema in event_schemas().items():
        # A model that REST routes use too is already there, as FastAPI words it.
        components.setdefault(name, schema)
    path, method = EVENTS
    stream = document["paths"][path][method]["responses"]["200"]["content"]["text/event-stream"]
    stream["schema"] = stream_schema()


def install_event_schemas(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the events the stream sends."""
    add_to_openapi(app, add_event_schemas)
