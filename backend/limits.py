"""ASGI middleware that refuses request bodies over the configured size before reading them."""

import json
from typing import Any

from backend.errors import error_body


class BodySizeLimit:
    """Answer 413 when a request's body is, or turns out to be, larger than ``max_bytes``.

    FastAPI's own ``max_body_size`` answers a declared oversize body in plain text; this one
    keeps the JSON error contract for every 413.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        try:
            await self.app(scope, self._counting(receive), send)
        except BodyTooLarge:
            await self._refuse(send)

    def _counting(self, receive: Any) -> Any:
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise BodyTooLarge
            return message

        return counted

    async def _refuse(self, send: Any) -> None:
        message = f"the request body is over the limit of {self.max_bytes} bytes"
        body = json.dumps(error_body("request_too_large", message)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    """A streamed body grew past the limit."""
