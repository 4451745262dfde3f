"""The error responses each route documents in OpenAPI: those it declares (by refusal kind
or status) beside those of its dependencies (``backend/http/openapi_refusals.py``)."""

from typing import Any

from fastapi import Response
from pydantic import BaseModel

from backend.http.openapi_refusals import Kind, statuses
from backend.schemas import ErrorResponse
from backend.workspace.operations import OPERATIONS

_DESCRIPTIONS = {
    401: "Missing or wrong token.",
    403: "The viewer token cannot write.",
    404: "Unknown workspace, or what else the path names (a variable, a training run).",
    409: "A name is taken, the operations are no longer on the tape, or the workspace is "
    "damaged (its owner repairs it).",
    413: "Over a size limit.",
    422: "Malformed or shape-incompatible request, or one naming a variable or gate that does "
    "not exist (`detail.field` says where).",
    429: "Too many requests: wait the seconds `Retry-After` gives.",
}


def rendered(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` as JSON, encoded here in the route's worker thread: FastAPI would encode a
    returned model on the event loop, where a large answer holds up every other request."""
    return Response(model.model_dump_json(), status_code, media_type="application/json")


def errors(*kinds: Kind) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given refusals (kinds, or the edge's statuses) and 422,
    all JSON error bodies."""
    return {
        s: {"model": ErrorResponse, "description": _DESCRIPTIONS[s]}
        for s in sorted({*statuses(kinds), 422})
    }


def operation_errors(kind: str, *edge: Kind) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` of a route that performs the operation ``kind``: the refusals
    the operation declares, those the route itself makes (``edge``), and 422; its
    dependencies add theirs."""
    return errors(*OPERATIONS[kind].refuses, *edge)


def error_response(status: int) -> dict[str, Any]:
    """The response of an error ``status`` as the OpenAPI document writes it."""
    schema = {"$ref": "#/components/schemas/ErrorResponse"}
    return {
        "description": _DESCRIPTIONS[status],
        "content": {"application/json": {"schema": schema}},
    }
