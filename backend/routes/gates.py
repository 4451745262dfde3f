"""Gates: the catalog, and applying a gate in a workspace."""

from fastapi import APIRouter

import engine
from backend.deps import WritableWorkspace
from backend.operations import input_elements, perform_soon
from backend.routes.responses import errors
from backend.schemas import GateApplied, GateApply, GateInfo

router = APIRouter(tags=["gates"])


@router.get("/api/gates", response_model=list[GateInfo])
def list_gates() -> list[GateInfo]:
    """Every gate of the engine registry: name, arity, params JSON schema, doc."""
    return [GateInfo(**entry) for entry in engine.catalog()]


@router.post(
    "/api/workspaces/{workspace_id}/gates",
    status_code=201,
    response_model=GateApplied,
    responses=errors(401, 403, 404, 409, 413, 422),
)
async def apply_gate(workspace: WritableWorkspace, body: GateApply) -> GateApplied:
    """Apply a gate to named variables or numbers; the node is recorded on the tape."""
    return await perform_soon(workspace, "apply_gate", body, input_elements(workspace, body))
