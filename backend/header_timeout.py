"""uvicorn's HTTP protocol with a deadline for a request's headers, which uvicorn lacks.

uvicorn's keep-alive timeout closes a connection idle between requests, but it stops at the
first byte that arrives, and nothing times the headers: a client that opens connections and
sends headers a byte at a time (slowloris) could hold each of them for as long as it liked.
"""

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """Close a connection whose request headers are not all in within ``header_timeout``
    seconds: of the connection opening for its first request, of a later request's first
    byte for the others. Only the headers are timed, so a long answer or event stream is not."""

    header_timeout = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:
            self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _headers_too_slow(self) -> None:
        self._deadline = None
        self.logger.info("closing a connection whose headers took over %ss", self.header_timeout)
        self.transport.close()


def header_timeout_protocol(seconds: float) -> type[HeaderTimeoutProtocol]:
    """The protocol class to give uvicorn (``http=``) for a deadline of ``seconds``."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": seconds})
