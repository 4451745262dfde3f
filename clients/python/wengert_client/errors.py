"""The exceptions a Wengert server's errors become: one per kind of refusal.

The server always answers an error as ``{"error": {"code", "message", "detail"}}``; each
exception carries those three and the HTTP status.
"""

from __future__ import annotations

from typing import Any


class WengertError(Exception):
    """An error the server answered; ``code`` is its machine-readable name."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail


class Invalid(WengertError):
    """422: a malformed request, shapes a gate cannot take, or a variable the body names
    that does not exist."""


class Unauthorized(WengertError):
    """401: no token, or a wrong one."""


class Forbidden(WengertError):
    """403: the viewer token tried to write."""


class NotFound(WengertError):
    """404: no such workspace, or no such variable where the path names one."""


class MethodNotAllowed(WengertError):
    """405: the path does not take this method."""


class Conflict(WengertError):
    """409: a taken name, a consumed tape, a damaged workspace, a training run's state."""


class StaleTape(Conflict):
    """409 ``stale_tape``: a value the tape saved changed in place; run the forward again."""


class TooLarge(WengertError):
    """413: over a size limit (a request, a tensor, the workspace's memory)."""


class RateLimited(WengertError):
    """429: too fast; ``retry_after`` is the seconds the server asks to wait, if it said."""

    retry_after: float | None = None


class ServerError(WengertError):
    """5xx: the server failed (it never should for bad input)."""


BY_STATUS: dict[int, type[WengertError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    413: TooLarge,
    422: Invalid,
    429: RateLimited,
}
BY_CODE: dict[str, type[WengertError]] = {"stale_tape": StaleTape}


def error_for(status: int, body: Any, retry_after: str | None = None) -> WengertError:
    """The exception for an error answer: by its code when one has its own class, else by
    its status."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {"code": f"http_{status}", "message": str(body)[:500]}
    code = str(error.get("code", f"http_{status}"))
    kind = BY_CODE.get(code) or BY_STATUS.get(status)
    if kind is None:
        kind = ServerError if status >= 500 else WengertError
    exception = kind(status, code, str(error.get("message", "")), error.get("detail"))
    if isinstance(exception, RateLimited) and retry_after is not None:
        exception.retry_after = float(retry_after)
    return exception
