"""Requests written byte by byte on a socket, as an attacker writes them, and timed from the
moment the last byte is sent to the answer."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from dataclasses import dataclass


@dataclass
class Answer:
    """A response read off the socket: its status, its JSON body, and how long after the
    request was complete its first byte came."""

    status: int
    body: dict
    wait_ms: float


def head(
    method: str, path: str, length: int | None, headers: dict[str, str] | None = None
) -> bytes:
    """A request's head: a declared ``length`` (None: none declared) and more ``headers``."""
    lines = [f"{method} {path} HTTP/1.1", "Host: attacker"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def send(port: int, request: bytes, timeout: float = 60) -> Answer:
    """Send ``request`` whole on a new connection and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # Answered and closed before the body was all in: the answer is still there to read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        sent = time.monotonic()
        return read_answer(sock, sent)


def read_answer(sock: socket.socket, since: float) -> Answer:
    """The response on ``sock``, its wait counted from ``since`` (``time.monotonic()``)."""
    data = sock.recv(65536)
    first = time.monotonic()
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        if not more:
            break
        data += more
    top, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in top.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        more = sock.recv(65536)
        if not more:
            break
        rest += more
    status = int(top.split()[1]) if top else 0
    body = json.loads(rest[:length]) if length else {}
    return Answer(status, body, (first - since) * 1000)
