"""Gates: the catalog, and applying a gate in a workspace."""

from fastapi import APIRouter, Request

import engine
from backend.deps import WritableWorkspace
from backend.operations import INLINE_ELEMENTS, input_elements, perform_off_loop, perform_soon
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
    responses=errors(401, 403, 404, 409, 413, 422, 429),
)
async def apply_gate(
    request: Request, workspace: WritableWorkspace, body: GateApply
) -> GateApplied:
    """Apply a gate to named variables or numbers; the node is recorded on the tape."""
    elements = input_elements(workspace, body)
    if elements <= INLINE_ELEMENTS:
        return await perform_soon(workspace, "apply_gate", body)
    async with request.app.state.heavy_slots.slot():
        return await perform_off_loop(workspace, "apply_gate", body)
