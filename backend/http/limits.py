"""ASGI middleware that bounds request bodies: refused from their headers when too large or
sent to a route that takes none, counted as they arrive, and all of them together capped."""

import re
import threading
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match

from backend.http.errors import send_error

GATE_PATH = re.compile(r"/api/workspaces/[^/]+/gates")
IMPORT_PATH = "/api/workspaces/import"
IMPORT_ADVICE = (
    "imports are parsed before anything can check them, so they are kept small; on a "
    "server you run, raise WENGERT_MAX_IMPORT_BYTES to import a larger workspace"
)
NO_BODY_BYTES = 64
"""What a route that takes no body lets through: clients send ``{}`` or nothing, and a
body this small costs nothing to read and check."""
HELD_RETRY_SECONDS = 5
"""What a client refused for lack of body memory is told to wait: bodies held now are read
and answered within a body timeout, so their memory is back by then."""


class BodyRefused(HTTPException):
    """A body refused while it is read: too large, or no memory left to hold it.

    An HTTPException because FastAPI turns any other error raised while it reads a body into
    a 400; this one it lets through, to the app's error handler (which answers in the JSON
    contract, as ``_refuse`` does when it escapes the app).
    """

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        headers = None if retry_after is None else {"Retry-After": str(retry_after)}
        super().__init__(status, message, headers)
        self.code = code


@dataclass(frozen=True)
class BodyLimit:
    """The largest body one request may send, and whether its route takes a body at all."""

    max_bytes: int
    takes_body: bool = True
    advice: str = ""
    """What to do instead, said after the limit (a route with a limit of its own)."""

    def declared_over(self, headers: dict[bytes, bytes]) -> bool:
        """Whether the headers alone show the body is over the limit: its declared length
        is, or (for a route that takes none) it comes in chunks of a length not known yet."""
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return True
        return not self.takes_body and b"transfer-encoding" in headers

    def refusal(self) -> BodyRefused:
        """413 for a body over the limit."""
        if not self.takes_body:
            message = (
                f"this route takes no request body (at most {self.max_bytes} bytes, such as {{}})"
            )
        else:
            message = f"the request body is over the limit of {self.max_bytes} bytes"
        if self.advice:
            message += f"; {self.advice}"
        return BodyRefused(413, "request_too_large", message)


class HeldBodies:
    """The bytes of request bodies the server holds at once, across requests, up to a cap.

    Bodies are held whole until their request is answered; without a cap, many clients each
    sending most of a large body (and never the rest) could hold any amount of memory.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.held = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> None:
        """Count ``size`` more bytes, or raise a 429 when they would pass the cap."""
        with self._lock:
            if self.held + size > self.max_bytes:
                raise BodyRefused(
                    429,
                    "too_many_requests",
                    "the server holds as many request bodies as it can; try again shortly",
                    HELD_RETRY_SECONDS,
                )
            self.held += size

    def give_back(self, size: int) -> None:
        """Stop counting ``size`` bytes (their request was answered)."""
        with self._lock:
            self.held -= size


class BodySizeLimit:
    """Answer 413 when a request's body is, or turns out to be, larger than its route takes,
    and 429 when holding it would pass ``max_held_bytes`` of bodies held at once.

    FastAPI's own ``max_body_size`` answers a declared oversize body in plain text; this one
    keeps the JSON error contract for every 413. A route that takes no body (``routes``, the
    API's, say which; any path none of them has takes none either) takes none at all: a body
    declared for it is refused before it is read.
    """

    def __init__(
        self,
        app: Any,
        max_bytes: int,
        max_gate_bytes: int | None = None,
        routes: list[BaseRoute] | None = None,
        max_held_bytes: int | None = None,
        max_import_bytes: int | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_gate_bytes = max_gate_bytes or max_bytes
        self.max_import_bytes = max_import_bytes or max_bytes
        self.routes = routes or []
        self.held = HeldBodies(max_held_bytes or 2**62)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope)
        if limit.declared_over(dict(scope["headers"])):
            await _refuse(send, limit.refusal())
            return
        counted = _Counted(receive, limit, self.held)
        try:
            await self.app(scope, counted.receive, send)
        except BodyRefused as refusal:
            await _refuse(send, refusal)
        finally:
            self.held.give_back(counted.seen)

    def _limit_for(self, scope: dict) -> BodyLimit:
        # A gate application names its inputs; however many, that is far less than a tensor.
        # Its own small limit refuses a huge body before it is read and parsed.
        if GATE_PATH.fullmatch(scope["path"]):
            return BodyLimit(self.max_gate_bytes)
        # Anyone may import, and FastAPI parses the body on the event loop before any check
        # of ours: its own limit bounds that parse (about 50 ms a MiB).
        if scope["path"] == IMPORT_PATH:
            return BodyLimit(self.max_import_bytes, advice=IMPORT_ADVICE)
        if self._takes_no_body(scope):
            return BodyLimit(NO_BODY_BYTES, takes_body=False)
        return BodyLimit(self.max_bytes)

    def _takes_no_body(self, scope: dict) -> bool:
        if not self.routes:
            return False  # no routes told: every path may take a body
        misrouted = False
        for route in self.routes:
            match = route.matches(scope)[0]
            if match == Match.FULL:
                return getattr(route, "body_field", None) is None
            misrouted = misrouted or match == Match.PARTIAL
        # A method the path does not take is the app's to answer (405, with Allow); any
        # other path is the frontend's files, or no route at all.
        return not misrouted


class _Counted:
    """A ``receive`` that counts the body's bytes against its limit and the shared cap."""

    def __init__(self, receive: Any, limit: BodyLimit, held: HeldBodies) -> None:
        self._receive, self.limit, self.held = receive, limit, held
        self.seen = 0

    async def receive(self) -> dict:
        message = await self._receive()
        size = len(message.get("body", b""))
        if self.seen + size > self.limit.max_bytes:
            raise self.limit.refusal()
        self.held.take(size)
        self.seen += size
        return message


async def _refuse(send: Any, refusal: BodyRefused) -> None:
    await send_error(send, refusal.status_code, refusal.code, refusal.detail, None, refusal.headers)
