"""Variables: create named leaves, read one in full (as JSON or as .npy bytes).

Events carry only previews of large tensors; clients fetch a tensor here when they draw it,
and its ETag (a hash of what the answer holds) lets them ask again for free with
`If-None-Match` until it changes.
"""

import hashlib
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import StreamingResponse

import engine
from backend.http.deps import ReadableWorkspace, WritableWorkspace
from backend.http.errors import ApiError
from backend.http.routes.responses import errors, operation_errors, rendered
from backend.schemas import VariableCreate, VariableDetail, VariableOut
from backend.workspace.operations import perform
from backend.workspace.tensors import encode
from backend.workspace.views import shown_grad

router = APIRouter(prefix="/api/workspaces/{workspace_id}/variables", tags=["variables"])
NPY = "application/x-npy"


@router.post(
    "", status_code=201, response_model=VariableOut, responses=operation_errors("create_variable")
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
        # Copies taken under the lock: the answer is written after it is let go, while a
        # training step may change the arrays in place.
        value, grad = var.value.copy(), _copy(shown_grad(var))
        out = workspace.variable_out(var, echo=False)
    # The tensors are written a slice at a time below; the model holds placeholders.
    fields = {**out.model_dump(), "value": 0.0, "grad": None}
    head = VariableDetail(**fields, consumed_by=consumers)
    chunks = _json_chunks(head, value, grad)
    if value.size + (0 if grad is None else grad.size) <= CHUNK_ELEMENTS:
        # One chunk's worth: streaming it would cost a worker-thread hop for each piece.
        body = b"".join(chunks)
        return Response(body, media_type="application/json", headers={"ETag": etag})
    return StreamingResponse(chunks, media_type="application/json", headers={"ETag": etag})


def _copy(array: np.ndarray | None) -> np.ndarray | None:
    return None if array is None else array.copy()


CHUNK_ELEMENTS = 65536
"""Elements encoded at a time: each chunk holds the interpreter for a few milliseconds, so a
tensor of a million elements never stalls other requests for the whole of its encoding."""


def _json_chunks(
    head: VariableDetail, value: np.ndarray, grad: np.ndarray | None
) -> Iterator[bytes]:
    """The variable as JSON, its tensors encoded a slice at a time (Starlette runs each step
    of this generator in a worker thread)."""
    yield head.model_dump_json(exclude={"value", "grad"})[:-1].encode()
    yield b',"value":'
    yield from _tensor_chunks(value)
    yield b',"grad":'
    yield from (_tensor_chunks(grad) if grad is not None else [b"null"])
    yield b"}"


def _tensor_chunks(array: np.ndarray) -> Iterator[bytes]:
    if array.ndim == 0 or array.size <= CHUNK_ELEMENTS:
        yield _json(encode(array))
        return
    rows = max(1, CHUNK_ELEMENTS // (array.size // len(array)))
    yield b"["
    for start in range(0, len(array), rows):
        inner = _json(encode(array[start : start + rows]))[1:-1]  # without the slice's brackets
        yield (b"," if start else b"") + inner
    yield b"]"


def _json(value: Any) -> bytes:
    return json.dumps(value, allow_nan=False, separators=(",", ":")).encode()


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
