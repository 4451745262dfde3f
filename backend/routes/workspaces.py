"""Workspaces: create one, read its whole state, delete it."""

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse

from backend.deps import (
    AccessDep,
    CreationAllowed,
    HeavyReadableWorkspace,
    RegistryDep,
    WritableWorkspace,
)
from backend.exporting import ExportDocument, export_document, import_document
from backend.python_export import python_script
from backend.registry import Credentials
from backend.routes.responses import errors, rendered
from backend.schemas import WorkspaceCreated, WorkspaceState
from backend.workspaces import Workspace

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"])


@router.post(
    "",
    status_code=201,
    response_model=WorkspaceCreated,
    responses=errors(413, 429),
    dependencies=[CreationAllowed],
)
def create_workspace(registry: RegistryDep) -> WorkspaceCreated:
    """Create an empty workspace; keep its `token` to write and share `viewer_url` to watch."""
    return _created(registry.create())


def _created(credentials: Credentials) -> WorkspaceCreated:
    return WorkspaceCreated(
        **credentials.model_dump(),
        url=f"/w/{credentials.id}#{credentials.token}",
        viewer_url=f"/w/{credentials.id}#{credentials.viewer_token}",
    )


@router.get("/{workspace_id}", response_model=WorkspaceState, responses=errors(401, 404))
def read_workspace(access: AccessDep) -> Response:
    """The whole state: variables with values and grads, the tape, the history and no-grad.

    `access` says what the token used may do: `write`, or `read` for the viewer token.
    """
    return rendered(access.workspace.state("write" if access.can_write else "read"))


@router.delete("/{workspace_id}", status_code=204, responses=errors(401, 403, 404))
def delete_workspace(workspace: WritableWorkspace, registry: RegistryDep) -> Response:
    """Delete the workspace and everything in it; watchers receive a `deleted` event."""
    registry.delete(workspace)
    return Response(status_code=204)


@router.get(
    "/{workspace_id}/export",
    response_model=ExportDocument,
    responses=errors(401, 404, 429),
)
def export_workspace(workspace: HeavyReadableWorkspace, registry: RegistryDep) -> Response:
    """A versioned JSON document; `POST /api/workspaces/import` rebuilds the workspace from it."""
    return rendered(export_document(workspace, registry))


@router.get(
    "/{workspace_id}/export.py",
    response_model=None,
    responses={
        200: {
            "description": "The script.",
            "content": {"text/x-python": {"schema": {"type": "string"}}},
        },
        **errors(401, 404, 429),
    },
)
def export_script(workspace: HeavyReadableWorkspace, registry: RegistryDep) -> PlainTextResponse:
    """A runnable Python script that rebuilds the same graph with the `engine` API."""
    operations = registry.store.operations(workspace.id)
    shadow = Workspace(workspace.id, workspace.settings, journal=None)
    script = python_script(workspace.id, operations, shadow)
    return PlainTextResponse(
        script,
        media_type="text/x-python",
        headers={"Content-Disposition": f'attachment; filename="{workspace.id}.py"'},
    )


@router.post(
    "/import",
    status_code=201,
    response_model=WorkspaceCreated,
    responses=errors(413, 422, 429),
    dependencies=[CreationAllowed],
)
def import_workspace(registry: RegistryDep, document: ExportDocument) -> WorkspaceCreated:
    """Create a new workspace from an export document by replaying its operations."""
    return _created(import_document(document, registry))
