"""Request dependencies: the registry, and the workspace resolved with its token checked once."""

import hmac
from typing import Annotated

from fastapi import Depends, Header, Path, Request

from backend.errors import ApiError
from backend.workspaces import Workspace, WorkspaceRegistry


def get_registry(request: Request) -> WorkspaceRegistry:
    """The registry made in the app's lifespan."""
    return request.app.state.registry


RegistryDep = Annotated[WorkspaceRegistry, Depends(get_registry)]


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise ApiError(401, "unauthorized", "send the workspace token as 'Authorization: Bearer …'")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthorized", "the Authorization header must be 'Bearer <token>'")
    return token.strip()


def _resolve(
    registry: WorkspaceRegistry, workspace_id: str, authorization: str | None
) -> tuple[Workspace, bool]:
    workspace = registry.get(workspace_id)
    token = _bearer(authorization).encode()
    if hmac.compare_digest(token, workspace.token.encode()):
        return workspace, True
    if hmac.compare_digest(token, workspace.viewer_token.encode()):
        return workspace, False
    raise ApiError(401, "unauthorized", "the token does not match this workspace")


def readable_workspace(
    registry: RegistryDep,
    workspace_id: Annotated[str, Path(description="Workspace id.")],
    authorization: Annotated[str | None, Header()] = None,
) -> Workspace:
    """The workspace, for a request with its token or its viewer token."""
    return _resolve(registry, workspace_id, authorization)[0]


def writable_workspace(
    registry: RegistryDep,
    workspace_id: Annotated[str, Path(description="Workspace id.")],
    authorization: Annotated[str | None, Header()] = None,
) -> Workspace:
    """The workspace, for a request with its full token; a viewer token gets 403."""
    workspace, can_write = _resolve(registry, workspace_id, authorization)
    if not can_write:
        raise ApiError(
            403, "read_only", "the viewer token can read this workspace but not change it"
        )
    return workspace


ReadableWorkspace = Annotated[Workspace, Depends(readable_workspace)]
WritableWorkspace = Annotated[Workspace, Depends(writable_workspace)]
