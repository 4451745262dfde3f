"""Backprop: walk the tape in reverse from a variable."""

from fastapi import APIRouter

from backend.deps import WritableWorkspace
from backend.routes.responses import errors
from backend.schemas import BackpropRequest, BackpropResult

router = APIRouter(prefix="/api/workspaces/{workspace_id}", tags=["backprop"])


@router.post("/backprop", response_model=BackpropResult, responses=errors(401, 403, 404, 409, 422))
def run_backprop(workspace: WritableWorkspace, body: BackpropRequest) -> BackpropResult:
    """Backpropagate from `variable`; returns each step in backward order. Empties the tape."""
    return workspace.backprop(body)
