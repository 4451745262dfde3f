"""Every error turned into the JSON contract: each kind of domain refusal mapped to its
status here alone, and the edge's own errors (bodies, framework, store) beside them."""

import json
import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend.errors import (
    ClientGone,
    Conflict,
    Invalid,
    NotFound,
    Part,
    Refused,
    Role,
    TooBusy,
    TooLarge,
    Unauthorized,
)
from backend.names import NAME_PATTERN, NAME_RULE
from backend.store.interface import LeaseLost, OwnedElsewhere, StorageFull, StoreWriteFailed

logger = logging.getLogger("wengert")


class ApiError(Refused):
    """A refusal the edge itself makes, with its status (the domain's carry none)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code, message, detail)
        self.status = status
        self.headers = headers


STATUSES: dict[type[Refused], int] = {
    Unauthorized: 401,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Invalid: 422,
    TooBusy: 429,
    ClientGone: 499,
}
"""The status of each kind of domain refusal: this table alone turns the domain's words
into HTTP."""


FIELDS: dict[Role, str] = {
    Role.GATE: "gate",
    Role.GATE_INPUT: "inputs",
    Role.GATE_PARAM: "params",
    Role.GATE_OUTPUT: "output",
    Role.NEW_VARIABLE: "name",
    Role.ROOT: "variable",
    Role.CHECKED_INPUT: "wrt",
    Role.ZEROED: "variables",
    Role.OPTIMIZED: "params",
}
"""The request field that holds each part of an operation: its key follows ("inputs.1")."""


def field_path(part: Part) -> str:
    """The request's field path of a part of its operation ("inputs.1", "params.axis")."""
    field = FIELDS[part.role]
    return field if part.key is None else f"{field}.{part.key}"


def status_of(error: Refused) -> int:
    """The HTTP status ``error`` is answered with."""
    if isinstance(error, ApiError):
        return error.status
    return status_of_kind(type(error))


def status_of_kind(kind: type[Refused]) -> int:
    """The HTTP status of every refusal of this kind."""
    return next(STATUSES[base] for base in kind.__mro__ if base in STATUSES)


def headers_of(error: Refused) -> dict[str, str] | None:
    """The headers ``error``'s answer carries: when to try again, for one that says."""
    if isinstance(error, ApiError):
        return error.headers
    if isinstance(error, TooBusy):
        return {"Retry-After": str(error.retry_after)}
    return None


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    """The JSON body every error response carries."""
    return {"error": {"code": code, "message": message, "detail": _json_safe(detail)}}


async def send_error(
    send: Any,
    status: int,
    code: str,
    message: str,
    detail: Any = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Answer with an error in the JSON contract from ASGI middleware, outside the app."""
    body = json.dumps(error_body(code, message, detail)).encode()
    extra = [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    length = str(len(body)).encode()
    start = [(b"content-type", b"application/json"), (b"content-length", length), *extra]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body})


def _json_safe(value: Any) -> Any:
    # A domain refusal names the part of an operation at fault: the client reads its field.
    if isinstance(value, Part):
        return field_path(value)
    # An error may echo what the client sent, which can hold numbers JSON cannot carry.
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


async def _refused(_: Request, exc: Refused) -> JSONResponse:
    return JSONResponse(
        error_body(exc.code, exc.message, exc.detail),
        status_code=status_of(exc),
        headers=headers_of(exc),
    )


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [
        {"field": ".".join(str(p) for p in err["loc"][1:]) or "body", "problem": _problem(err)}
        for err in exc.errors()
    ]
    first = problems[0] if problems else {"field": "body", "problem": "invalid"}
    message = f"invalid request: {first['field']}: {first['problem']}"
    return JSONResponse(error_body("invalid_request", message, problems), status_code=422)


def _problem(error: dict[str, Any]) -> str:
    """What is wrong, in words: the name rule rather than its regular expression."""
    if error["type"] == "string_pattern_mismatch" and error["ctx"]["pattern"] == NAME_PATTERN:
        return f"{error['input']!r} is not a variable name: {NAME_RULE}"
    return error["msg"].removeprefix("Value error, ")


HTTP_ERROR_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    429: "too_many_requests",
}
"""The codes of the errors the framework raises (a 413 is a body over the size limit)."""


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400:
        # FastAPI answers 422 for a body that is not JSON, but 400 for one that cannot even be
        # decoded (not UTF-8); both are a malformed body, answered alike.
        message = "invalid request: body: not valid JSON text"
        problems = [{"field": "body", "problem": "not valid JSON text"}]
        return JSONResponse(error_body("invalid_request", message, problems), status_code=422)
    code = HTTP_ERROR_CODES.get(exc.status_code, "http_error")
    return JSONResponse(
        error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _served_elsewhere(_: Request, exc: OwnedElsewhere | LeaseLost) -> JSONResponse:
    # Another process serves the workspace (it holds its lease in PostgreSQL): the client
    # asks again, by when that process's lease ends if it died, or through the proxy that
    # routes the workspace to its owner.
    retry_after = max(1, math.ceil(exc.retry_after if isinstance(exc, OwnedElsewhere) else 1))
    message = "another server process serves this workspace; try again shortly"
    return JSONResponse(
        error_body("workspace_elsewhere", message, {"retry_after": retry_after}),
        status_code=503,
        headers={"Retry-After": str(retry_after)},
    )


async def _store_write_failed(_: Request, exc: StoreWriteFailed) -> JSONResponse:
    # Nothing of the request was kept, in the store or in memory: the client may send it
    # again once the store takes writes (GET /readyz says when).
    full = isinstance(exc, StorageFull)
    status, code = (507, "storage_full") if full else (503, "store_unavailable")
    message = (
        "the server's storage is full; nothing was changed, try again later"
        if full
        else "the store cannot take writes just now; nothing was changed, try again shortly"
    )
    return JSONResponse(
        error_body(code, message, {"retry_after": exc.retry_after}),
        status_code=status,
        headers={"Retry-After": str(exc.retry_after)},
    )


async def _unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    # A bug, not bad input: still answer in the contract, and let the log carry the traceback.
    logger.exception("unexpected error", exc_info=exc)
    return JSONResponse(
        error_body("internal_error", "the server failed unexpectedly; this is a bug in Wengert"),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` answer with the JSON error contract."""
    app.add_exception_handler(Exception, _unexpected_error)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(OwnedElsewhere, _served_elsewhere)
    app.add_exception_handler(LeaseLost, _served_elsewhere)
    app.add_exception_handler(StoreWriteFailed, _store_write_failed)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
