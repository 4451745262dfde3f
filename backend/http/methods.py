"""ASGI middleware that answers 405 with ``Allow`` for a method a documented path does not take.

Starlette alone gets this wrong in two ways: the frontend's catch-all ``GET /{path}`` answers
``GET /api/workspaces/{id}/backprop`` with a 404, and a 405 lists the methods of only the
first route whose path matches, so ``OPTIONS /api/workspaces/import`` is told ``Allow: GET``
(``/api/workspaces/{workspace_id}`` matched first). Here the path of a request the app
answers with 401, 404 or 405 is matched against the paths the OpenAPI document shows, the most
specific first, as OpenAPI itself matches them. Only those answers are looked at: making the
document takes a tenth of a second, which no request the app serves should pay.
"""

import json
import re
from collections.abc import Callable
from typing import Any

from backend.http.errors import error_body

PARAMETER = re.compile(r"\{[^}/]+\}")
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


MAYBE_MISROUTED = {401, 404, 405}
"""What the app answers a method a path does not take: 405, or 404 from the frontend's
catch-all, or 401 when a path parameter took a literal (``GET /api/workspaces/import``)."""


class DocumentedPath:
    """A path template of the OpenAPI document and the methods its operations take."""

    def __init__(self, template: str, operations: dict[str, Any]) -> None:
        literal_parts = (re.escape(part) for part in PARAMETER.split(template))
        self.pattern = re.compile("[^/]+".join(literal_parts))
        self.parameters = len(PARAMETER.findall(template))
        self.methods = sorted(method.upper() for method in operations if method in HTTP_METHODS)


def documented_paths(document: dict[str, Any]) -> list[DocumentedPath]:
    """The paths of an OpenAPI ``document``, literal ones before those with more parameters."""
    paths = (DocumentedPath(template, ops) for template, ops in document["paths"].items())
    return sorted(paths, key=lambda path: path.parameters)


class MethodNotAllowed:
    """Answer 405, with ``Allow`` listing the path's documented methods, for any other method.

    ``openapi`` makes the app's document; it is asked at the first such answer, when every
    router is in.
    """

    def __init__(self, app: Any, openapi: Callable[[], dict[str, Any]]) -> None:
        self.app = app
        self.openapi = openapi
        self._paths: list[DocumentedPath] | None = None

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = False

        async def send_or_refuse(message: dict) -> None:
            nonlocal refused
            if message["type"] == "http.response.start" and message["status"] in MAYBE_MISROUTED:
                allowed = self._methods_of(scope["path"])
                refused = allowed is not None and scope["method"] not in allowed
                if refused:
                    await _refuse(send, scope["method"], allowed)
            if not refused:
                await send(message)

        await self.app(scope, receive, send_or_refuse)

    def _methods_of(self, path: str) -> list[str] | None:
        if self._paths is None:
            self._paths = documented_paths(self.openapi())
        for documented in self._paths:
            if documented.pattern.fullmatch(path):
                return documented.methods
        return None


async def _refuse(send: Any, method: str, allowed: list[str]) -> None:
    message = f"{method} is not allowed here; allowed: {', '.join(allowed)}"
    body = json.dumps(error_body("method_not_allowed", message, {"allowed": allowed})).encode()
    headers = [(b"content-type", b"application/json"), (b"allow", ", ".join(allowed).encode())]
    await send({"type": "http.response.start", "status": 405, "headers": headers})
    await send({"type": "http.response.body", "body": body})
