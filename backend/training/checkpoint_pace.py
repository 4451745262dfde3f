"""When a running run stores its next checkpoint: every few seconds, unless the server's
checkpoints together would take more than a small share of a core.

A checkpoint is a snapshot of the whole workspace, time-travel timeline included: some
megabytes, encoded in the request process and written under the store's lock that every
acknowledged operation also takes. Twenty runs checkpointing every five seconds would keep
that lock and the interpreter busy a third of the time, and every request would wait behind
them. So checkpoints draw on one budget of seconds, refilled at ``SHARE`` of a second per
second, one checkpoint at a time; a run past ``LONGEST`` without one stores it as soon as
none is being stored, which bounds what a crash loses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

SHORTEST = 5.0
"""Seconds between a run's checkpoints when the budget allows."""
LONGEST = 60.0
"""Seconds a run goes without a checkpoint at most, whatever the budget."""
SHARE = 0.05
"""The share of one core all checkpoints together may take."""
BURST = 1.0
"""Seconds of checkpointing the budget holds when it is full."""


class CheckpointPace:
    """The budget of checkpoint seconds all runs of this process share. One checkpoint is
    stored at a time: twenty due at once would queue at the store's lock, and an
    acknowledged operation's journal append would wait behind all of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._balance = BURST
        self._refilled_at = time.monotonic()
        self._storing = 0

    def due(self, since_last: float) -> bool:
        """Whether a run whose last checkpoint was ``since_last`` seconds ago stores one now."""
        if since_last < SHORTEST:
            return False
        with self._lock:
            if self._storing:
                return False
            if since_last >= LONGEST:
                return True
            self._refill()
            return self._balance > 0

    @contextmanager
    def storing(self) -> Iterator[None]:
        """Around one checkpoint's encoding and storing: no other is due meanwhile, and its
        time is spent from the budget."""
        with self._lock:
            self._storing += 1
        began = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self._storing -= 1
                self._refill()
                self._balance -= time.monotonic() - began

    def _refill(self) -> None:
        now = time.monotonic()
        self._balance = min(BURST, self._balance + (now - self._refilled_at) * SHARE)
        self._refilled_at = now


PACE = CheckpointPace()
"""The one budget of this process."""
