"""Workspaces: create one and read its whole state."""

from fastapi import APIRouter

from backend.deps import ReadableWorkspace, RegistryDep
from backend.routes.responses import errors
from backend.schemas import WorkspaceCreated, WorkspaceState

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"])


@router.post("", status_code=201, response_model=WorkspaceCreated, responses=errors(413))
def create_workspace(registry: RegistryDep) -> WorkspaceCreated:
    """Create an empty workspace; keep its `token` to write and share `viewer_url` to watch."""
    workspace = registry.create()
    return WorkspaceCreated(
        id=workspace.id,
        token=workspace.token,
        viewer_token=workspace.viewer_token,
        url=f"/w/{workspace.id}#{workspace.token}",
        viewer_url=f"/w/{workspace.id}#{workspace.viewer_token}",
    )


@router.get("/{workspace_id}", response_model=WorkspaceState, responses=errors(401, 404))
def read_workspace(workspace: ReadableWorkspace) -> WorkspaceState:
    """The whole state: variables with values and grads, the tape, the history and no-grad."""
    return workspace.state()
