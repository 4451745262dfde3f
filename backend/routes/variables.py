"""Variables: create named leaves, read one in full (as JSON or as .npy bytes)."""

import io
from typing import Annotated, Literal

import numpy as np
from fastapi import APIRouter, Header, Query, Response

from backend.deps import ReadableWorkspace, WritableWorkspace
from backend.errors import ApiError
from backend.operations import perform
from backend.routes.responses import errors
from backend.schemas import VariableCreate, VariableDetail, VariableOut

router = APIRouter(prefix="/api/workspaces/{workspace_id}/variables", tags=["variables"])
NPY = "application/x-npy"


@router.post(
    "", status_code=201, response_model=VariableOut, responses=errors(401, 403, 404, 409, 413, 422)
)
def create_variable(workspace: WritableWorkspace, body: VariableCreate) -> VariableOut:
    """Create a named variable from a literal `value` or an `init` (zeros, ones, randn, …)."""
    return perform(workspace, "create_variable", body)


@router.get(
    "/{name}",
    response_model=VariableDetail,
    responses={200: {"content": {NPY: {}}}, **errors(401, 404, 422)},
)
def read_variable(
    workspace: ReadableWorkspace,
    name: str,
    accept: Annotated[str | None, Header()] = None,
    field: Annotated[
        Literal["value", "grad"], Query(description="For .npy: which array.")
    ] = "value",
) -> VariableDetail | Response:
    """The variable in full; with `Accept: application/x-npy`, the raw .npy bytes of `field`."""
    with workspace.lock:
        var = workspace.variable(name)
        if accept and NPY in accept:
            return _npy(var.value if field == "value" else var.grad, name, field)
        out = workspace.variable_out(var)
        consumers = [r.id for r in workspace.history if any(v is var for v in r.inputs)]
    return VariableDetail(**out.model_dump(), consumed_by=consumers)


def _npy(array: np.ndarray | None, name: str, field: str) -> Response:
    if array is None:
        raise ApiError(422, "no_grad", f"{name} requires no gradient, so it has none")
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return Response(buffer.getvalue(), media_type=NPY)
