"""Workspaces: create one, read its whole state, delete it."""

from fastapi import APIRouter, Response

from backend.deps import ReadableWorkspace, RegistryDep, WritableWorkspace
from backend.routes.responses import errors
from backend.schemas import WorkspaceCreated, WorkspaceState

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"])


@router.post("", status_code=201, response_model=WorkspaceCreated, responses=errors(413))
def create_workspace(registry: RegistryDep) -> WorkspaceCreated:
    """Create an empty workspace; keep its `token` to write and share `viewer_url` to watch."""
    created = registry.create()
    return WorkspaceCreated(
        **created.model_dump(),
        url=f"/w/{created.id}#{created.token}",
        viewer_url=f"/w/{created.id}#{created.viewer_token}",
    )


@router.get("/{workspace_id}", response_model=WorkspaceState, responses=errors(401, 404))
def read_workspace(workspace: ReadableWorkspace) -> WorkspaceState:
    """The whole state: variables with values and grads, the tape, the history and no-grad."""
    return workspace.state()


@router.delete("/{workspace_id}", status_code=204, responses=errors(401, 403, 404))
def delete_workspace(workspace: WritableWorkspace, registry: RegistryDep) -> Response:
    """Delete the workspace and everything in it; watchers receive a `deleted` event."""
    registry.delete(workspace)
    return Response(status_code=204)
