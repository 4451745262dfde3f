"""How many event streams are open, per workspace and server-wide: each one costs a socket
and a share of every write's delivery, so beyond a cap a new one is refused with 429."""

from __future__ import annotations

import threading
from collections import Counter

from backend.errors import TooBusy

RETRY_AFTER_SECONDS = 5


class StreamSlots:
    """Counts the open streams; ``hold(workspace_id)`` takes a slot for as long as it lasts."""

    def __init__(self, per_workspace: int, server_wide: int) -> None:
        self.per_workspace, self.server_wide = per_workspace, server_wide
        self._open: Counter[str] = Counter()
        self._total = 0
        self._lock = threading.Lock()

    def take(self, workspace_id: str) -> StreamSlot:
        """Take a slot, or raise a 429 with ``Retry-After`` when a cap is reached."""
        with self._lock:
            if self._open[workspace_id] >= self.per_workspace:
                raise TooBusy(
                    f"this workspace has {self.per_workspace} event streams open already, "
                    "the most it may; close one or try again later",
                    RETRY_AFTER_SECONDS,
                )
            if self._total >= self.server_wide:
                raise TooBusy(
                    f"the server has {self.server_wide} event streams open, the most it "
                    "serves; try again later",
                    RETRY_AFTER_SECONDS,
                )
            self._open[workspace_id] += 1
            self._total += 1
        return StreamSlot(self, workspace_id)

    def _give_back(self, workspace_id: str) -> None:
        with self._lock:
            self._open[workspace_id] -= 1
            if self._open[workspace_id] <= 0:
                del self._open[workspace_id]
            self._total -= 1


class StreamSlot:
    """One open stream's slot; ``give_back()`` may be called more than once (the stream's
    end and, for a stream never started, its collection both call it)."""

    def __init__(self, slots: StreamSlots, workspace_id: str) -> None:
        self._slots, self._workspace_id = slots, workspace_id
        self._given_back = threading.Lock()

    def give_back(self) -> None:
        if self._given_back.acquire(blocking=False):
            self._slots._give_back(self._workspace_id)
