"""Variables: create named leaves."""

from fastapi import APIRouter

from backend.deps import WritableWorkspace
from backend.routes.responses import errors
from backend.schemas import VariableCreate, VariableOut

router = APIRouter(prefix="/api/workspaces/{workspace_id}/variables", tags=["variables"])


@router.post(
    "", status_code=201, response_model=VariableOut, responses=errors(401, 403, 404, 409, 413, 422)
)
def create_variable(workspace: WritableWorkspace, body: VariableCreate) -> VariableOut:
    """Create a named variable from a literal value."""
    return workspace.create_variable(body)
