"""Stream tickets: short-lived, read-only credentials for the event stream's URL.

EventSource cannot send headers, so the browser's stream URL must carry its credential,
and URLs end up in access logs and proxies' logs. Instead of a token, the URL carries a
ticket that only reads, and only for a minute. A ticket is the expiry time signed with the
workspace's stored viewer-token hash (HMAC-SHA256), so checking it needs no state of its own:
any server process that can read the workspace can check it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time


def issue(workspace_id: str, key: str, seconds: int, now: float | None = None) -> str:
    """A ticket for ``workspace_id`` valid for ``seconds``, signed with ``key``."""
    expiry = int((now if now is not None else time.time()) + seconds)
    return f"{expiry}.{_signature(workspace_id, key, expiry)}"


def is_valid(workspace_id: str, key: str, ticket: str, now: float | None = None) -> bool:
    """Whether ``ticket`` was issued for ``workspace_id`` with ``key`` and has not expired."""
    expiry, _, signature = ticket.partition(".")
    if not expiry.isdigit() or len(expiry) > 12:
        return False
    if int(expiry) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature, _signature(workspace_id, key, int(expiry)))


def _signature(workspace_id: str, key: str, expiry: int) -> str:
    mac = hmac.new(key.encode(), f"{workspace_id}:{expiry}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
