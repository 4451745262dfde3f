"""The live event stream (Server-Sent Events), and tickets that open it from a browser."""

import asyncio
import weakref
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Security
from fastapi.responses import StreamingResponse
from fastapi.security import APIKeyQuery
from pydantic import BaseModel, Field

from backend.http.deps import Authorization, ReadableWorkspace, RegistryDep, WorkspaceId, authorize
from backend.http.routes.responses import errors
from backend.workspace.stream_slots import StreamSlot
from backend.workspace.workspace import Workspace

router = APIRouter(prefix="/api/workspaces/{workspace_id}", tags=["events"])


class StreamTicket(BaseModel):
    """A read-only credential for the event stream's URL, valid for `expires_in` seconds."""

    ticket: str = Field(description="Pass as `?ticket=` to `GET …/events`.")
    expires_in: int


@router.post("/events/ticket", response_model=StreamTicket, responses=errors(401, 404))
async def stream_ticket(workspace: ReadableWorkspace, registry: RegistryDep) -> StreamTicket:
    """A short-lived ticket for clients such as EventSource that cannot send headers.

    The ticket only reads, and only this workspace's events, so the URL that carries it
    (and the access logs that record URLs) never holds a token.
    """
    ticket = await asyncio.to_thread(registry.stream_ticket, workspace.id)
    return StreamTicket(ticket=ticket, expires_in=registry.settings.stream_ticket_seconds)


Ticket = Annotated[
    str | None,
    Security(
        APIKeyQuery(
            name="ticket",
            scheme_name="StreamTicket",
            description="A ticket from `POST …/events/ticket`, for clients without headers.",
            auto_error=False,
        )
    ),
]


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **errors(401, 404, 422, 429)},
)
async def stream_events(
    registry: RegistryDep,
    workspace_id: WorkspaceId,
    authorization: Authorization = None,
    ticket: Ticket = None,
    last_event_id: Annotated[
        str,
        Header(
            alias="Last-Event-ID",
            pattern=r"^[0-9]*$",
            description="The id of the last event seen; empty or absent: none.",
        ),
    ] = "",
) -> StreamingResponse:
    """Every change as it happens, numbered by `id`; reconnect with `Last-Event-ID` to catch up.

    Authenticate with `Authorization: Bearer <token>` or with `?ticket=`. Event types:
    variable_created, node_recorded, backprop_step, backprop_done, zero_grad, no_grad,
    renamed, optimizer_step, training, deleted, and resync (reload the whole state).

    A stream that falls more than `max_stream_queue_bytes` behind is ended: reconnect with
    `Last-Event-ID`. Streams are capped per workspace and server-wide (429, `Retry-After`).
    """
    workspace = await _subscriber_access(registry, workspace_id, authorization, ticket)
    slot = registry.streams.take(workspace.id)
    stream = workspace.events.stream(int(last_event_id) if last_event_id else None)
    text = _holding_slot(stream, slot)
    # A response whose client left before it started never runs the generator's finally.
    weakref.finalize(text, slot.give_back)
    return StreamingResponse(
        text,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _subscriber_access(
    registry: RegistryDep, workspace_id: str, authorization: str | None, ticket: str | None
) -> Workspace:
    if authorization is None and ticket is not None:
        if registry.is_loaded(workspace_id):
            return registry.authorize_ticket(workspace_id, ticket)
        return await asyncio.to_thread(registry.authorize_ticket, workspace_id, ticket)
    return (await authorize(registry, workspace_id, authorization)).workspace


async def _holding_slot(stream: AsyncGenerator[str, None], slot: StreamSlot) -> AsyncIterator[str]:
    """The stream's text, its slot given back when it ends or its client goes."""
    try:
        async for text in stream:
            yield text
    finally:
        slot.give_back()
        await stream.aclose()
