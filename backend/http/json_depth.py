"""ASGI middleware that refuses JSON bodies nested deeper than any request needs, unparsed."""

import asyncio
from typing import Any

import numpy as np

from backend.http.errors import send_error
from engine.shapes import MAX_DIMS

MAX_JSON_DEPTH = MAX_DIMS + 1
"""The deepest nesting of arrays and objects a request body may have: a tensor of as many
dimensions as NumPy allows, inside the request's object."""

OFF_LOOP_BYTES = 64 * 1024
"""Bodies larger than this are measured in a worker thread: the count is linear, but a
16 MiB body still takes tens of milliseconds that other requests should not wait."""

CHUNK = 2**20
NOT_QUOTES_OR_BRACKETS = bytes(set(range(256)) - set(b'"[]{}'))


def json_depth(document: bytes) -> int:
    """How deeply the arrays and objects of a JSON document nest: 0 for a lone number.

    Counted on the text (brackets inside strings aside), without parsing: Python's parser
    recurses once per level and fails on a document of a few kilobytes nested thousands deep.
    Every step is one linear pass (no regular expression, which backtracks on an unclosed
    string), so a body of n bytes costs O(n) whatever it holds.
    """
    # Escaped backslashes first, then escaped quotes: the quotes left delimit strings.
    # Outside strings a backslash is not JSON, and the parser stops there before recursing.
    unescaped = document.replace(b"\\\\", b"").replace(b'\\"', b"")
    marks = np.frombuffer(unescaped.translate(None, NOT_QUOTES_OR_BRACKETS), np.uint8)
    quotes = marks == ord('"')
    inside = np.bitwise_xor.accumulate(quotes.view(np.uint8)).view(bool)
    brackets = marks[~(inside | quotes)]
    return _deepest((brackets == ord("[")) | (brackets == ord("{")))


def _deepest(opening: np.ndarray) -> int:
    """The highest level reached, each bracket opening (True) or closing one; summed a chunk
    at a time, so a body of brackets costs a chunk of integers, not four bytes a bracket."""
    depth = deepest = 0
    for start in range(0, len(opening), CHUNK):
        steps = opening[start : start + CHUNK].astype(np.int32) * 2 - 1
        levels = np.cumsum(steps) + depth
        deepest = max(deepest, int(levels.max()))
        depth = int(levels[-1])
    return deepest


async def measured_depth(document: bytes) -> int:
    """``json_depth`` of ``document``, in a worker thread when it is large."""
    if len(document) > OFF_LOOP_BYTES:
        return await asyncio.to_thread(json_depth, document)
    return json_depth(document)


class JsonDepthLimit:
    """Answer 422 ``too_deeply_nested`` to a JSON body nested deeper than ``max_depth``.

    Everything that reads a parsed body (FastAPI's parser, pydantic, the tensor decoder,
    error messages that echo it) recurses once per level, so the limit is checked on the
    bytes, before any of them runs. The body is read whole first, as FastAPI would read it.
    """

    def __init__(self, app: Any, max_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not _may_be_json(scope):
            await self.app(scope, receive, send)
            return
        messages = await _read_body(receive)
        if messages[-1]["type"] == "http.disconnect":
            return  # the client is gone (or was timed out) before its body was all in
        body = b"".join(message.get("body", b"") for message in messages)
        # Fewer brackets than the limit cannot nest past it: most bodies are let through
        # on two counts, without the scan.
        if (
            body.count(b"[") + body.count(b"{") > self.max_depth
            and (depth := await measured_depth(body)) > self.max_depth
        ):
            message = f"the request body nests {depth} levels deep; the limit is {self.max_depth}"
            detail = {"depth": depth, "limit": self.max_depth}
            await send_error(send, 422, "too_deeply_nested", message, detail)
            return
        await self.app(scope, _replaying(messages, receive), send)


def _may_be_json(scope: dict) -> bool:
    # FastAPI parses a body as JSON when its type says so, or when it has no type at all.
    content_type = dict(scope["headers"]).get(b"content-type")
    return content_type is None or b"json" in content_type.lower()


async def _read_body(receive: Any) -> list[dict]:
    messages = [await receive()]
    while messages[-1]["type"] == "http.request" and messages[-1].get("more_body", False):
        messages.append(await receive())
    return messages


def _replaying(messages: list[dict], receive: Any) -> Any:
    """A ``receive`` that hands out the messages already read, then the real ones (such as
    the client's disconnect)."""
    pending = list(messages)

    async def replayed() -> dict:
        return pending.pop(0) if pending else await receive()

    return replayed
