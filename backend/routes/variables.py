"""Variables: create named leaves, read one in full (as JSON or as .npy bytes).

Events carry only previews of large tensors; clients fetch a tensor here when they draw it,
and its ETag (a hash of what the answer holds) lets them ask again for free with
`If-None-Match` until it changes.
"""

import hashlib
import io
from typing import Annotated, Literal

import numpy as np
from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import JSONResponse

import engine
from backend.deps import ReadableWorkspace, WritableWorkspace
from backend.errors import ApiError
from backend.operations import perform
from backend.routes.responses import errors, rendered
from backend.schemas import VariableCreate, VariableDetail, VariableOut
from backend.views import shown_grad

router = APIRouter(prefix="/api/workspaces/{workspace_id}/variables", tags=["variables"])
NPY = "application/x-npy"


@router.post(
    "", status_code=201, response_model=VariableOut, responses=errors(401, 403, 404, 409, 413, 422)
)
def create_variable(workspace: WritableWorkspace, body: VariableCreate) -> Response:
    """Create a named variable from a literal `value` or an `init` (zeros, ones, randn, …)."""
    return rendered(perform(workspace, "create_variable", body), 201)


@router.get(
    "/{name}",
    response_model=VariableDetail,
    responses={
        200: {"content": {NPY: {}}, "headers": {"ETag": {"description": "Its version."}}},
        304: {"description": "Unchanged since the ETag sent in `If-None-Match`."},
        **errors(401, 404, 422),
    },
)
def read_variable(
    workspace: ReadableWorkspace,
    name: str,
    accept: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header()] = None,
    field: Annotated[
        Literal["value", "grad"], Query(description="For .npy: which array.")
    ] = "value",
) -> VariableDetail | Response:
    """The variable in full; with `Accept: application/x-npy`, the raw .npy bytes of `field`."""
    as_npy = bool(accept and NPY in accept)
    with workspace.lock:
        var = workspace.variable(name)
        consumers = [r.id for r in workspace.history if any(v is var for v in r.inputs)]
        etag = _etag(var, f"{as_npy}:{field}:{consumers}")
        if if_none_match == etag:
            return Response(status_code=304, headers={"ETag": etag})
        if as_npy:
            return _npy(var.value if field == "value" else shown_grad(var), name, etag)
        out = workspace.variable_out(var)
    detail = VariableDetail(**out.model_dump(), consumed_by=consumers)
    return JSONResponse(detail.model_dump(mode="json"), headers={"ETag": etag})


def _etag(var: engine.Variable, answer: str) -> str:
    """A hash of everything the answer holds: changes to the value or grad change it."""
    digest = hashlib.blake2b(answer.encode(), digest_size=16)
    # The raw gradient: reading var.grad would allocate the zeros of a fresh one.
    for array in (var.value, var.raw_grad):
        digest.update(b"-" if array is None else np.ascontiguousarray(array).data)
    return f'"{digest.hexdigest()}"'


def _npy(array: np.ndarray | None, name: str, etag: str) -> Response:
    if array is None:
        raise ApiError(422, "no_grad", f"{name} requires no gradient, so it has none")
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return Response(buffer.getvalue(), media_type=NPY, headers={"ETag": etag})
