"""Workspaces: create one, read its whole state, delete it."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse

from backend.export.documents import ExportDocument, import_document
from backend.export.python_script import python_script
from backend.export.state_document import StateDocument, document_of
from backend.export.torch_script import torch_script
from backend.http.answer_budget import check_export
from backend.http.deps import (
    AccessDep,
    CreationAllowed,
    HeavyReadableWorkspace,
    OwnedWorkspace,
    RegistryDep,
)
from backend.http.heavy import run_heavy
from backend.http.routes.responses import errors, rendered
from backend.schemas import RepairPlan, WorkspaceCreated, WorkspaceState
from backend.store.registry import Credentials
from backend.workspace.workspace import Workspace

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
def delete_workspace(workspace: OwnedWorkspace, registry: RegistryDep) -> Response:
    """Delete the workspace and everything in it; watchers receive a `deleted` event."""
    registry.delete(workspace)
    return Response(status_code=204)


@router.get("/{workspace_id}/repair", response_model=RepairPlan, responses=errors(401, 403, 404))
def plan_repair(workspace: OwnedWorkspace, registry: RegistryDep) -> Response:
    """The dry run of `POST …/repair`: exactly the journaled operations and stored snapshots
    it would drop now (from the first operation that could not be loaded on), dropping
    nothing. Empty lists and a null `damage` for a sound workspace."""
    return rendered(registry.repair_plan(workspace))


@router.post(
    "/{workspace_id}/repair", response_model=WorkspaceState, responses=errors(401, 403, 404)
)
def repair_workspace(workspace: OwnedWorkspace, registry: RegistryDep) -> Response:
    """Make a damaged workspace writable again: what it lost (its state's `damage` says
    what) is dropped for good, as `GET …/repair` lists it and no more, and the state it
    loaded is kept. A sound workspace is left as it is."""
    registry.repair(workspace)
    return rendered(workspace.state())


@router.get(
    "/{workspace_id}/export",
    response_model=StateDocument,
    responses=errors(401, 404, 413, 429),
)
async def export_workspace(workspace: HeavyReadableWorkspace, request: Request) -> Response:
    """The workspace's state as a versioned JSON document (version 2); `POST
    /api/workspaces/import` builds an identical workspace from it. Building it stops when
    the client goes, and answers 413 `work_too_long` past `WENGERT_HEAVY_WORK_SECONDS`. One
    that would take the workspace's or the server's memory budget past its limit to build
    is refused first (413 `workspace_memory` or `server_memory`): read the variables one by
    one instead."""
    return await run_heavy(request, "the export", lambda: rendered(_document(workspace)))


def _document(workspace: Workspace, what: str = "the export") -> StateDocument:
    """The export document, once its cost is known to fit the memory budgets."""
    check_export(workspace, what)
    return document_of(workspace)


@router.get(
    "/{workspace_id}/export.py",
    response_model=None,
    responses={
        200: {
            "description": "The script.",
            "content": {"text/x-python": {"schema": {"type": "string"}}},
        },
        **errors(401, 404, 413, 422, 429),
    },
)
async def export_script(
    workspace: HeavyReadableWorkspace,
    request: Request,
    target: Annotated[
        Literal["engine", "torch"],
        Query(description="`engine`: rebuild with the engine; `torch`: compare with PyTorch."),
    ] = "engine",
) -> PlainTextResponse:
    """A runnable Python script that rebuilds the same graph with the `engine` API.

    With `target=torch`, a PyTorch script that rebuilds the graph the last backprop ran
    through, backprops from the same root (seed of ones), prints each leaf's gradient
    beside the workspace's and exits 1 when one differs by more than 1e-6; a 422 names a
    gate without a PyTorch counterpart, or says there was no backprop to compare. Like the
    export, it stops when the client goes, has a time budget and is refused (413) when it
    would not fit the memory budgets.
    """
    script, filename = await run_heavy(request, "the script", lambda: _script(workspace, target))
    return PlainTextResponse(
        script,
        media_type="text/x-python",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _script(workspace: Workspace, target: Literal["engine", "torch"]) -> tuple[str, str]:
    """The exported script and its file name."""
    document = _document(workspace, "the script")
    if target == "torch":
        script = torch_script(workspace.id, document, workspace.last_backprop_root)
        return script, f"{workspace.id}_torch.py"
    return python_script(workspace.id, document), f"{workspace.id}.py"


@router.post(
    "/import",
    status_code=201,
    response_model=WorkspaceCreated,
    responses=errors(413, 422, 429),
    dependencies=[CreationAllowed],
)
def import_workspace(registry: RegistryDep, document: ExportDocument) -> WorkspaceCreated:
    """Create a new workspace from an export document: its state (version 2), or the
    operations an earlier server exported (version 1), replayed."""
    return _created(import_document(document, registry))
