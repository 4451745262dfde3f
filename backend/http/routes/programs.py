"""Expression programs and optimizer steps."""

from fastapi import APIRouter, Request, Response

from backend.http.deps import HeavyReadableWorkspace, WritableWorkspace
from backend.http.heavy import run_heavy
from backend.http.routes.responses import errors, operation_errors, rendered
from backend.schemas import (
    EvalRequest,
    EvalResult,
    GradcheckRequest,
    GradcheckResult,
    OptimizerStepRequest,
    VariableOut,
)
from backend.workspace.gradchecking import gradcheck_variable
from backend.workspace.operations import perform

router = APIRouter(prefix="/api/workspaces/{workspace_id}", tags=["programs"])


@router.post("/eval", response_model=EvalResult, responses=operation_errors("eval"))
def run_program(workspace: WritableWorkspace, body: EvalRequest) -> Response:
    """Run a small program such as `h = tanh(W @ x + b)`; every operation is applied as a gate.

    The language: assignments (one per line or separated by `;`), numbers, names,
    `+ - * / @ **`, unary minus, calls of catalog gates with positional inputs and keyword
    params (`sum(x, axis=0)`), method style (`x.relu()`), `x.T` and slicing (`x[0, 1:3]`).
    Assigning a taken name rebinds it; the earlier variable stays in the graph as `name@1`.
    An error reports its line and column in `detail` and changes nothing.
    """
    return rendered(perform(workspace, "eval", body))


@router.post(
    "/optimizer/step",
    response_model=list[VariableOut],
    responses=operation_errors("optimizer_step"),
)
def step_optimizer(workspace: WritableWorkspace, body: OptimizerStepRequest) -> list[VariableOut]:
    """Update `params` from their gradients with SGD, momentum or Adam; returns them updated.

    Optimizer state (momentum velocity, Adam moments and step count) is kept in the
    workspace per optimizer and parameter list, and survives restarts.
    """
    return perform(workspace, "optimizer_step", body)


@router.post(
    "/gradcheck",
    response_model=GradcheckResult,
    responses=errors(401, 404, 413, 422, 429),
)
async def gradcheck(
    workspace: HeavyReadableWorkspace, body: GradcheckRequest, request: Request
) -> GradcheckResult:
    """Compare backprop's gradients of the output `variable` with central finite differences.

    Reports, per input of `wrt`, the largest absolute and relative error and whether it is
    within `tolerance`. Without `variable`, the output is the root of the last backprop
    (422 if none has run). To check a leaf, put it in `wrt`: a leaf as `variable` that is also
    in `wrt` is refused with 422, as d a / d a is 1 by definition. Runs on a private tape: the
    workspace's gradients and tape are untouched, so viewers may run it too. It stops when
    its client goes, and answers 413 `work_too_long` past `WENGERT_HEAVY_WORK_SECONDS`.
    """
    return await run_heavy(request, "gradcheck", lambda: gradcheck_variable(workspace, body))
