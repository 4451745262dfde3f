"""Heavy work run for a request: under the server's time budget, stopped when the request's
client goes (``backend/workspace/deadlines.py`` does the watching)."""

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from backend.workspace.deadlines import run_watched

T = TypeVar("T")


async def run_heavy(request: Request, what: str, work: Callable[[], T]) -> T:
    """``work()`` in a worker thread under a budget, stopped when ``request``'s client goes."""
    seconds = request.app.state.registry.settings.heavy_work_seconds
    return await run_watched(what, seconds, work, request.is_disconnected)
