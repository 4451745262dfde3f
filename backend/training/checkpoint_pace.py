"""When a running run stores its next checkpoint: every few seconds, unless the server's
checkpoints together would take more than a small share of a core.

A checkpoint is a snapshot of the whole workspace, time-travel timeline included: some
megabytes, encoded in the request process and written under the store's lock that every
acknowledged operation also takes. Twenty runs checkpointing every five seconds would keep
that lock and the interpreter busy a third of the time, and every request would wait behind
them. So checkpoints draw on one budget of seconds, refilled at ``SHARE`` of a second per
second; a run past ``LONGEST`` without one stores it anyway, which bounds what a crash loses.
"""

from __future__ import annotations

import threading
import time

SHORTEST = 5.0
"""Seconds between a run's checkpoints when the budget allows."""
LONGEST = 60.0
"""Seconds a run goes without a checkpoint at most, whatever the budget."""
SHARE = 0.05
"""The share of one core all checkpoints together may take."""
BURST = 1.0
"""Seconds of checkpointing the budget holds when it is full."""


class CheckpointPace:
    """The budget of checkpoint seconds all runs of this process share."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._balance = BURST
        self._refilled_at = time.monotonic()

    def due(self, since_last: float) -> bool:
        """Whether a run whose last checkpoint was ``since_last`` seconds ago stores one now."""
        if since_last < SHORTEST:
            return False
        if since_last >= LONGEST:
            return True
        with self._lock:
            self._refill()
            return self._balance > 0

    def spent(self, seconds: float) -> None:
        """A checkpoint took ``seconds`` to encode and store."""
        with self._lock:
            self._refill()
            self._balance -= seconds

    def _refill(self) -> None:
        now = time.monotonic()
        self._balance = min(BURST, self._balance + (now - self._refilled_at) * SHARE)
        self._refilled_at = now


PACE = CheckpointPace()
"""The one budget of this process."""
