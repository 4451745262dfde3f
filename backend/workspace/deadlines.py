"""Heavy work with a time budget that stops when nobody waits for its answer.

A heavy job (a gradcheck, an export, a large gate) runs in a worker thread while the event
loop watches its client: when the client goes, or the budget (``WENGERT_HEAVY_WORK_SECONDS``)
runs out, the job's next ``check()`` raises and it ends, giving back its heavy slot and its
workspace's turn. Python cannot stop a thread from outside, so the work checks at each step.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from backend.errors import ClientGone, TooLarge

T = TypeVar("T")

WATCH_INTERVAL = 0.1
"""How often the event loop looks whether a heavy job's client is still there (seconds)."""


class Budget:
    """One heavy job's deadline, and whether its client went away."""

    def __init__(self, what: str, seconds: float) -> None:
        self.what, self.seconds = what, seconds
        self.ends = time.monotonic() + seconds
        self.abandoned = threading.Event()

    def check(self) -> None:
        """Raise when the job should stop: 413 past its budget, 499 when its client left."""
        if self.abandoned.is_set():
            raise ClientGone("client_gone", f"{self.what} stopped: its client went away")
        if time.monotonic() > self.ends:
            raise TooLarge(
                "work_too_long",
                f"{self.what} ran past the server's budget of {self.seconds:g} s for heavy "
                "work; ask for less at a time",
                {"budget_seconds": self.seconds},
            )


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


def check_budget() -> None:
    """Stop the running heavy job if its budget is spent or its client gone (else nothing)."""
    budget = _current.get()
    if budget is not None:
        budget.check()


async def run_watched(
    what: str, seconds: float, work: Callable[[], T], client_gone: Callable[[], Awaitable[bool]]
) -> T:
    """``work()`` in a worker thread under a budget of ``seconds``, stopped when
    ``client_gone()`` says its client went away."""
    budget = Budget(what, seconds)
    context = contextvars.copy_context()
    context.run(_current.set, budget)
    if await client_gone():  # it left while the job waited for a slot
        budget.abandoned.set()
    job = asyncio.ensure_future(asyncio.to_thread(context.run, work))
    while not job.done():
        await asyncio.wait([job], timeout=WATCH_INTERVAL)
        if not job.done() and await client_gone():
            budget.abandoned.set()
    return job.result()
