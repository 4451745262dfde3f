"""Request dependencies: the registry, and the workspace resolved with its token checked once."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Request, Security
from fastapi.security import HTTPBearer
from starlette.requests import HTTPConnection

from backend.errors import Conflict, NotFound, TooBusy, Unauthorized
from backend.http.errors import ApiError
from backend.http.openapi_refusals import Kind, refuses
from backend.store.registry import WorkspaceRegistry
from backend.workspace.workspace import Workspace


async def get_registry(request: Request) -> WorkspaceRegistry:
    """The registry made in the app's lifespan."""
    return request.app.state.registry


RegistryDep = Annotated[WorkspaceRegistry, Depends(get_registry)]


def client_address(request: Request) -> str:
    """The client's address: the socket peer, or what a trusted proxy says it saw."""
    settings = request.app.state.registry.settings
    forwarded = request.headers.get("x-forwarded-for")
    if settings.trust_forwarded_for and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.client.host if request.client else "unknown"


async def creation_allowed(request: Request) -> None:
    """Spend one of the client address's workspace creations, or answer 429."""
    request.app.state.creation_limit.take(client_address(request))


CreationAllowed = Depends(creation_allowed)
WorkspaceId = Annotated[str, Path(description="Workspace id.", max_length=64)]


class WorkspaceToken(HTTPBearer):
    """The `Authorization: Bearer <token>` header, declared as the document's security scheme.

    It hands the raw header on: ``_bearer`` alone judges it, so every way of getting it wrong
    is the same 401 with a message saying how to send it.
    """

    async def __call__(self, request: HTTPConnection) -> str | None:  # type: ignore[override]
        return request.headers.get("Authorization")


Authorization = Annotated[
    str | None,
    Security(WorkspaceToken(description="The workspace token, or its viewer token to read.")),
]


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise ApiError(401, "unauthorized", "send the workspace token as 'Authorization: Bearer …'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer <token>'")
    return token.strip()


@dataclass(frozen=True)
class Access:
    """A workspace and whether the request's token may change it."""

    workspace: Workspace
    can_write: bool


async def authorize(
    registry: WorkspaceRegistry, workspace_id: str, authorization: str | None
) -> Access:
    """The workspace, for a request with its token or its viewer token.

    Runs on the event loop (it is a lookup and a hash), except the first use of a workspace
    since start-up, which replays its journal in a worker thread.
    """
    token = _bearer(authorization)
    if registry.is_loaded(workspace_id):
        return Access(*registry.authorize(workspace_id, token))
    return Access(*await asyncio.to_thread(registry.authorize, workspace_id, token))


T = TypeVar("T")

AUTHORIZED = "wengert.access"
"""Where ``TokenBeforeBody`` leaves the Access it found, so the route does not look again."""


@asynccontextmanager
async def _turn_on(
    request: Request, workspace_id: str, authorization: str | None, heavy: bool
) -> AsyncIterator[Access]:
    found = request.scope.get(AUTHORIZED)
    if found is None:
        found = await authorize(request.app.state.registry, workspace_id, authorization)
    slots = request.app.state.heavy_slots if heavy else None
    async with found.workspace.turns.turn(slots):
        yield found


def _workspace_dependency(
    grant: Callable[[Access], T], heavy: bool, refusals: tuple[Kind, ...], doc: str
) -> Callable[..., AsyncIterator[T]]:
    """A dependency giving ``grant(access)`` for the request's turn on the workspace (and a
    heavy slot when ``heavy``). Each is one function over the request, the path and the
    token: a chain of dependencies costs FastAPI tens of microseconds a link per request."""

    @refuses(Unauthorized, NotFound, TooBusy, *refusals)
    async def dependency(
        request: Request, workspace_id: WorkspaceId, authorization: Authorization = None
    ) -> AsyncIterator[T]:
        async with _turn_on(request, workspace_id, authorization, heavy) as access:
            yield grant(access)

    dependency.__doc__ = doc
    return dependency


def _access(access: Access) -> Access:
    return access


def _readable(access: Access) -> Workspace:
    return access.workspace


def _owned(access: Access) -> Workspace:
    if not access.can_write:
        raise ApiError(403, "read_only", "the viewer token can read but not change this workspace")
    return access.workspace


def _writable(access: Access) -> Workspace:
    workspace = _owned(access)
    workspace.check_not_damaged()
    return workspace


workspace_access = _workspace_dependency(
    _access,
    False,
    (),
    "The workspace and what the token may do, during the request's turn on the workspace "
    "(backend/workspace/scheduling.py): the route runs once the requests before it are done.",
)
readable_workspace = _workspace_dependency(
    _readable, False, (), "The workspace, for a request with its token or its viewer token."
)
writable_workspace = _workspace_dependency(
    _writable,
    False,
    (403, Conflict),
    "The workspace, for a request with its full token; a viewer token gets 403.",
)
owned_workspace = _workspace_dependency(
    _owned, False, (403,), "The workspace, for its owner (the full token), even when damaged."
)
heavy_readable_workspace = _workspace_dependency(
    _readable, True, (), "As readable_workspace, also waiting for one of the heavy slots."
)
heavy_writable_workspace = _workspace_dependency(
    _writable, True, (403, Conflict), "As writable_workspace, for heavy work."
)


ReadableWorkspace = Annotated[Workspace, Depends(readable_workspace)]
AccessDep = Annotated[Access, Depends(workspace_access)]
WritableWorkspace = Annotated[Workspace, Depends(writable_workspace)]
OwnedWorkspace = Annotated[Workspace, Depends(owned_workspace)]
HeavyReadableWorkspace = Annotated[Workspace, Depends(heavy_readable_workspace)]
HeavyWritableWorkspace = Annotated[Workspace, Depends(heavy_writable_workspace)]
