"""Request dependencies: the registry, and the workspace resolved with its token checked once."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request

from backend.errors import ApiError
from backend.registry import WorkspaceRegistry
from backend.workspaces import Workspace


def get_registry(request: Request) -> WorkspaceRegistry:
    """The registry made in the app's lifespan."""
    return request.app.state.registry


RegistryDep = Annotated[WorkspaceRegistry, Depends(get_registry)]
WorkspaceId = Annotated[str, Path(description="Workspace id.", max_length=64)]
Authorization = Annotated[
    str | None, Header(description="`Bearer <token>`: the workspace or viewer token.")
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


def workspace_access(
    registry: RegistryDep, workspace_id: WorkspaceId, authorization: Authorization = None
) -> Access:
    """The workspace, for a request with its token or its viewer token."""
    return Access(*registry.authorize(workspace_id, _bearer(authorization)))


def readable_workspace(
    registry: RegistryDep, workspace_id: WorkspaceId, authorization: Authorization = None
) -> Workspace:
    """The workspace, for a request with its token or its viewer token."""
    return workspace_access(registry, workspace_id, authorization).workspace


def writable_workspace(
    registry: RegistryDep, workspace_id: WorkspaceId, authorization: Authorization = None
) -> Workspace:
    """The workspace, for a request with its full token; a viewer token gets 403."""
    workspace, can_write = registry.authorize(workspace_id, _bearer(authorization))
    if not can_write:
        raise ApiError(403, "read_only", "the viewer token can read but not change this workspace")
    return workspace


ReadableWorkspace = Annotated[Workspace, Depends(readable_workspace)]
AccessDep = Annotated[Access, Depends(workspace_access)]
WritableWorkspace = Annotated[Workspace, Depends(writable_workspace)]
