"""Stream tickets: short-lived, read-only credentials for the event stream's URL.

EventSource cannot send headers, so the browser's stream URL must carry its credential,
and URLs end up in access logs and proxies' logs. Instead of a token, the URL carries a
ticket that only reads, and only for a minute. A ticket is the expiry time signed with the
workspace's stored viewer-token hash (HMAC-SHA256), so checking it needs no state of its own:
any server process that can read the workspace can check it.

Whoever holds the viewer token can compute that hash and sign a ticket too, so the server
never takes the expiry a ticket claims on trust: one further off than the lifetime the server
gives its tickets is refused, as if it were forged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

MAX_LIFETIME = 3600
"""The longest lifetime a ticket can be given (the setting's bound)."""
CLOCK_LEEWAY = 5
"""Seconds of clock difference allowed between the server process that issued a ticket and
the one that checks it."""


def issue(workspace_id: str, key: str, seconds: int, now: float | None = None) -> str:
    """A ticket for ``workspace_id`` valid for ``seconds``, signed with ``key``."""
    expiry = int((now if now is not None else time.time()) + seconds)
    return f"{expiry}.{_signature(workspace_id, key, expiry)}"


def is_valid(
    workspace_id: str,
    key: str,
    ticket: str,
    now: float | None = None,
    lifetime: int = MAX_LIFETIME,
) -> bool:
    """Whether ``ticket`` was issued for ``workspace_id`` with ``key``, has not expired, and
    expires no later than ``lifetime`` seconds from ``now`` (what the server gives)."""
    expiry, _, signature = ticket.partition(".")
    if not expiry.isdigit() or len(expiry) > 12:
        return False
    now = now if now is not None else time.time()
    if not now <= int(expiry) <= now + lifetime + CLOCK_LEEWAY:
        return False
    return hmac.compare_digest(signature, _signature(workspace_id, key, int(expiry)))


def _signature(workspace_id: str, key: str, expiry: int) -> str:
    mac = hmac.new(key.encode(), f"{workspace_id}:{expiry}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
