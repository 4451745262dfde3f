"""A snapshot's JSON text, written a slice of each long list at a time.

``json.dumps`` is one call into C that holds the interpreter until the whole text is made:
a training run's history makes megabytes of it, and every request of the server waited
tens of milliseconds behind each checkpoint. Written a slice at a time, the text is the
same byte for byte, and between two slices other threads (the event loop) get their turn.
"""

from __future__ import annotations

import json
from typing import Any

SLICE = 256
"""List items encoded by one call: a few milliseconds' work for a run's history entries."""

_ENCODE = json.JSONEncoder(separators=(",", ":")).encode


def dumps(value: Any) -> str:
    """``json.dumps(value, separators=(",", ":"))``, made a slice at a time."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, parts: list[str]) -> None:
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        _write_object(value, parts)
    elif isinstance(value, list) and len(value) > SLICE:
        _write_long_list(value, parts)
    else:
        parts.append(_ENCODE(value))


def _write_object(value: dict[str, Any], parts: list[str]) -> None:
    parts.append("{")
    for index, (key, item) in enumerate(value.items()):
        if index:
            parts.append(",")
        parts.append(_ENCODE(key))
        parts.append(":")
        _write(item, parts)
    parts.append("}")


def _write_long_list(value: list[Any], parts: list[str]) -> None:
    parts.append("[")
    for start in range(0, len(value), SLICE):
        if start:
            parts.append(",")
        parts.append(_ENCODE(value[start : start + SLICE])[1:-1])  # without its brackets
    parts.append("]")
