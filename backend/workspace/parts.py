"""The state the parts of a Workspace share, declared once: each part (lifecycle, memory
accounting, read views, naming, the gate pipeline, the history) is a class over it, and
``Workspace`` is all of them with the constructor that sets it."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel

import engine
from backend.event_payloads import EventPayload
from backend.schemas import AnomalyOut, Damage
from backend.settings import Settings
from backend.workspace.events import EventHub
from backend.workspace.memory import ServerMemory
from backend.workspace.scheduling import Turns
from backend.workspace.views import NodeRecord
from engine.optim import Optimizer


class Journal(Protocol):
    """Makes operations durable, and snapshots of the whole state (``backend/store/journal.py``)."""

    def record(self, kind: str, request: BaseModel, event_seq: int) -> None: ...

    def snapshot(self) -> None: ...

    def restore_durable(self) -> None: ...


class WorkspaceParts:
    """What every part of the Workspace reads and writes (set by ``Workspace.__init__``)."""

    id: str
    settings: Settings
    journal: Journal | None
    damage: Damage | None
    context: engine.Context
    variables: dict[str, engine.Variable]
    history: list[NodeRecord]
    produced_by: dict[engine.Variable, int]
    _record_by_node: weakref.WeakKeyDictionary[engine.Node, NodeRecord]
    optimizers: dict[str, Optimizer]
    touched: dict[engine.Variable, int]
    last_backprop_root: str | None
    backward_anomaly: AnomalyOut | None
    training: Any
    events: EventHub
    lock: threading.RLock
    deleted: bool
    turns: Turns
    held: int
    server_memory: ServerMemory | None
    training_slots: threading.Semaphore
    _pending: list[EventPayload]
    _behind_store: bool
    _undo: list[Callable[[], Any]] | None
