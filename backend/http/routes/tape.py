"""The tape: backprop, zero_grad and no-grad mode."""

from fastapi import APIRouter, Response

from backend.errors import TooLarge
from backend.http.answer_budget import check_backprop
from backend.http.deps import WritableWorkspace
from backend.http.routes.responses import operation_errors, rendered
from backend.schemas import (
    BackpropRequest,
    BackpropResult,
    NoGradRequest,
    WorkspaceState,
    ZeroGradRequest,
)
from backend.workspace.operations import perform

router = APIRouter(prefix="/api/workspaces/{workspace_id}", tags=["tape"])


@router.post(
    "/backprop", response_model=BackpropResult, responses=operation_errors("backprop", TooLarge)
)
def run_backprop(workspace: WritableWorkspace, body: BackpropRequest) -> Response:
    """Backpropagate from `variable`: each step in backward order, then every gradient.

    The tape is empty afterwards; a second backprop of the same variable is a 409. One whose
    answer would take a memory budget past its limit to build is refused first (413
    `workspace_memory` or `server_memory`), changing nothing.
    """
    check_backprop(workspace)
    return rendered(perform(workspace, "backprop", body))


@router.post("/zero_grad", response_model=WorkspaceState, responses=operation_errors("zero_grad"))
def zero_grad(workspace: WritableWorkspace, body: ZeroGradRequest) -> Response:
    """Reset gradients to zero (they accumulate across backprops until then)."""
    return rendered(perform(workspace, "zero_grad", body))


@router.put("/no_grad", response_model=WorkspaceState, responses=operation_errors("set_no_grad"))
def set_no_grad(workspace: WritableWorkspace, body: NoGradRequest) -> Response:
    """Turn no-grad mode on or off; while on, gates record nothing on the tape."""
    return rendered(perform(workspace, "set_no_grad", body))
