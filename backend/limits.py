"""ASGI middleware that refuses request bodies over the configured size before reading them."""

import re
from typing import Any

from starlette.exceptions import HTTPException

from backend.errors import send_error

GATE_PATH = re.compile(r"/api/workspaces/[^/]+/gates")


class BodyTooLarge(HTTPException):
    """A body over the limit of ``limit`` bytes.

    An HTTPException because FastAPI turns any other error raised while it reads a body into
    a 400; this one it lets through, to the app's error handler (which answers 413 in the
    JSON contract, as ``_refuse`` does when it escapes the app).
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


class BodySizeLimit:
    """Answer 413 when a request's body is, or turns out to be, larger than ``max_bytes``.

    FastAPI's own ``max_body_size`` answers a declared oversize body in plain text; this one
    keeps the JSON error contract for every 413.
    """

    def __init__(self, app: Any, max_bytes: int, max_gate_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_gate_bytes = max_gate_bytes or max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, BodyTooLarge(limit))
            return
        try:
            await self.app(scope, self._counting(receive, limit), send)
        except BodyTooLarge as refusal:
            await self._refuse(send, refusal)

    def _limit_for(self, path: str) -> int:
        # A gate application names its inputs; however many, that is far less than a tensor.
        # Its own small limit refuses a huge body before it is read and parsed.
        return self.max_gate_bytes if GATE_PATH.fullmatch(path) else self.max_bytes

    def _counting(self, receive: Any, limit: int) -> Any:
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
            return message

        return counted

    async def _refuse(self, send: Any, refusal: BodyTooLarge) -> None:
        await send_error(send, 413, "request_too_large", refusal.detail)
