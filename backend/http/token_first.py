"""ASGI middleware that checks a workspace request's token before its body is read.

FastAPI reads and parses a body before it runs any dependency, the token check among them,
and parsing JSON holds the interpreter: a client without a token could make every other
request wait for the parse of each body it sends. Here a request with a body to a
workspace's route shows its token first: without the workspace's token or its viewer token
it is answered (401, or 404 for no such workspace) before a byte of its body is read. What
the token may do there (a viewer's 403) stays the route's to say.
"""

import re
from typing import Any

from backend.errors import Refused
from backend.http.deps import AUTHORIZED, authorize
from backend.http.errors import headers_of, send_error, status_of
from backend.store.interface import LeaseLost, OwnedElsewhere

WORKSPACE_ROUTE = re.compile(r"/api/workspaces/(?P<id>[^/]+)/.+")


class TokenBeforeBody:
    """Refuse a body sent to a workspace's route without the workspace's token, unread."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        route = WORKSPACE_ROUTE.fullmatch(scope["path"]) if scope["type"] == "http" else None
        if route is None or not _has_body(dict(scope["headers"])):
            await self.app(scope, receive, send)
            return
        registry = scope["app"].state.registry
        authorization = dict(scope["headers"]).get(b"authorization")
        try:
            scope[AUTHORIZED] = await authorize(
                registry, route["id"], authorization and authorization.decode("latin-1")
            )
        except Refused as refusal:
            status, headers = status_of(refusal), headers_of(refusal)
            await send_error(send, status, refusal.code, refusal.message, refusal.detail, headers)
            return
        except (OwnedElsewhere, LeaseLost):
            pass  # the route answers these (503): it checks the token again, and knows them
        await self.app(scope, receive, send)


def _has_body(headers: dict[bytes, bytes]) -> bool:
    length = headers.get(b"content-length", b"0")
    return b"transfer-encoding" in headers or not length.isdigit() or int(length) > 0
