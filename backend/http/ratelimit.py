"""Rate limits on anonymous work: a token bucket per client address.

Creating a workspace needs no account, so without a limit one client could use up the
server's whole workspace quota in a second. Each address may create ``burst`` workspaces at
once and then ``per_minute`` a minute; memory stays bounded by forgetting the least recently
seen addresses (a forgotten address starts again with a full bucket).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

from backend.errors import TooBusy

MAX_ADDRESSES = 10_000


class CreationLimit:
    """Token buckets by client address: ``take(address)`` spends one or raises 429."""

    def __init__(self, burst: int, per_minute: float, clock=time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_minute / 60
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, address: str) -> None:
        """Spend one creation for ``address``, or raise a 429 saying when to retry."""
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.pop(address, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
            if tokens < 1:
                self._remember(address, tokens, now)
                wait = math.ceil((1 - tokens) / self.per_second) if self.per_second else 3600
                raise TooBusy(
                    f"this address creates workspaces too fast; try again in {wait} s", wait
                )
            self._remember(address, tokens - 1, now)

    def _remember(self, address: str, tokens: float, now: float) -> None:
        self._buckets[address] = (tokens, now)
        while len(self._buckets) > MAX_ADDRESSES:
            self._buckets.popitem(last=False)
