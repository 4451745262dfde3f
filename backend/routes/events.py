"""The live event stream (Server-Sent Events)."""

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from backend.deps import RegistryDep, WorkspaceId, workspace_access
from backend.errors import ApiError
from backend.routes.responses import errors

router = APIRouter(prefix="/api/workspaces/{workspace_id}", tags=["events"])


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **errors(401, 404, 422)},
)
async def stream_events(
    registry: RegistryDep,
    workspace_id: WorkspaceId,
    authorization: Annotated[str | None, Header()] = None,
    token: Annotated[
        str | None,
        Query(description="The token, for clients such as EventSource that cannot set headers."),
    ] = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Every change as it happens, numbered by `id`; reconnect with `Last-Event-ID` to catch up.

    Event types: variable_created, node_recorded, backprop_step, backprop_done, zero_grad,
    no_grad, renamed, optimizer_step, deleted, and resync (reload the whole state).
    """
    if authorization is None and token is not None:
        authorization = f"Bearer {token}"
    workspace = (await workspace_access(registry, workspace_id, authorization)).workspace
    last_seen = _event_id(last_event_id)
    return StreamingResponse(
        workspace.events.stream(last_seen),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _event_id(header: str | None) -> int | None:
    if header is None or header == "":
        return None
    if not header.isdigit():
        raise ApiError(422, "invalid_event_id", f"Last-Event-ID must be a number, not {header!r}")
    return int(header)
