"""uvicorn's HTTP protocol with deadlines for a request's headers and for its body, which
uvicorn lacks.

uvicorn's keep-alive timeout closes a connection idle between requests, but it stops at the
first byte that arrives, and nothing times the headers or the body: a client that opens
connections and sends headers a byte at a time (slowloris), or headers and then a body a
byte at a time, could hold each of them, and the body it sent so far, for as long as it liked.
"""

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from backend.http.errors import error_body


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """Close a connection whose request headers are not all in within ``header_timeout``
    seconds: of the connection opening for its first request, of a later request's first
    byte for the others. Then answer 408 and close one whose body is not all in within
    ``body_timeout`` seconds of its headers. Only requests are timed, so a long answer or
    event stream is not."""

    header_timeout = 10.0
    body_timeout = 30.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout, self._headers_too_slow)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:
            self._arm(self.header_timeout, self._headers_too_slow)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()
        if not (self.parser.should_upgrade() and self._should_upgrade()):
            self._arm(self.body_timeout, self._body_too_slow)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, seconds: float, expired: object) -> None:
        self._deadline = self.loop.call_later(seconds, expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _headers_too_slow(self) -> None:
        self._deadline = None
        self.logger.info("closing a connection whose headers took over %ss", self.header_timeout)
        self.transport.close()

    def _body_too_slow(self) -> None:
        self._deadline = None
        self.logger.info("closing a connection whose body took over %ss", self.body_timeout)
        if self.cycle is not None and not self.cycle.response_started:
            self.transport.write(_timed_out(self.body_timeout))
        self.transport.close()


def _timed_out(seconds: float) -> bytes:
    """A whole 408 answer in the JSON error contract, written straight to the socket: the
    app is still waiting for the body, so it cannot answer."""
    message = f"the request body did not arrive within {seconds:g} s"
    body = json.dumps(error_body("request_timeout", message, {"limit_seconds": seconds}))
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return (head + body).encode()


def header_timeout_protocol(
    seconds: float, body_seconds: float = 30.0
) -> type[HeaderTimeoutProtocol]:
    """The protocol class to give uvicorn (``http=``) for deadlines of ``seconds`` on the
    headers and ``body_seconds`` on the body."""
    attributes = {"header_timeout": seconds, "body_timeout": body_seconds}
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), attributes)
