"""The Workspace: one engine Context plus its named variables, its history, its events.

Every change is an *operation*: a request model applied under the workspace's lock,
then journaled (made durable) and announced on the event stream. Replaying the journal
through the same handlers rebuilds the workspace exactly. The class is its parts, one job
each: ``lifecycle.py``, ``accounting.py`` (memory), ``reading.py``, ``naming.py``,
``gate_pipeline.py`` and ``history.py`` (staleness).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import engine
from backend.event_payloads import EventPayload
from backend.schemas import AnomalyOut, Damage
from backend.settings import Settings
from backend.workspace.accounting import MemoryAccounting
from backend.workspace.events import EventHub
from backend.workspace.gate_pipeline import GatePipeline
from backend.workspace.history import History
from backend.workspace.lifecycle import Lifecycle
from backend.workspace.memory import ServerMemory
from backend.workspace.naming import Naming
from backend.workspace.parts import Journal
from backend.workspace.reading import ReadViews
from backend.workspace.scheduling import Turns
from backend.workspace.views import NodeRecord
from engine.optim import Optimizer


class Workspace(Lifecycle, MemoryAccounting, ReadViews, Naming, GatePipeline, History):
    """A Context with named variables, the history of every gate applied, and live events.

    Public methods take the workspace's lock, so requests to one workspace are serialized.
    """

    STATE = (
        "context",
        "variables",
        "history",
        "produced_by",
        "optimizers",
        "training",
        "touched",
        "last_backprop_root",
        "backward_anomaly",
    )
    """What a snapshot keeps: everything else is made anew or comes from the store."""

    def __init__(self, workspace_id: str, settings: Settings) -> None:
        self.id = workspace_id
        self.settings = settings
        self.journal: Journal | None = None
        self.damage: Damage | None = None
        self.context = engine.Context()
        self.variables: dict[str, engine.Variable] = {}
        self.history: list[NodeRecord] = []
        self.produced_by: dict[engine.Variable, int] = {}
        # Weak keys: a node popped from the tape is freed, and its entry goes with it.
        self._record_by_node: weakref.WeakKeyDictionary[engine.Node, NodeRecord] = (
            weakref.WeakKeyDictionary()
        )
        self.optimizers: dict[str, Optimizer] = {}
        # The newest history record when each variable last changed in place (an optimizer
        # step, training): records up to it show outputs computed from older values.
        self.touched: dict[engine.Variable, int] = {}
        # Gradcheck of a leaf differentiates this output unless the request names another.
        self.last_backprop_root: str | None = None
        # Where the last backprop made NaN or infinity from a finite gradient, if it did.
        self.backward_anomaly: AnomalyOut | None = None
        self.training: Any = None  # the Trainer, once a training run is configured
        self.events = EventHub(queue_bytes=settings.max_stream_queue_bytes)
        self.lock = threading.RLock()
        self.deleted = False
        self.turns = Turns(settings.max_queued_requests)
        # What the workspace holds, exact after recount() and an upper bound in between;
        # budgets apply once the registry serves the workspace (not while it replays).
        self.held = 0
        self.server_memory: ServerMemory | None = None
        # Training loops take turns for these (shared by the registry's workspaces): a few
        # loops at a time keep the interpreter free enough for requests.
        self.training_slots: threading.Semaphore = threading.Semaphore(settings.training_slots)
        self.training_pool: Any = None  # the server's worker processes; None: runs are threads
        self._pending: list[EventPayload] = []
        self._behind_store = False  # a write failed, and memory still holds what it changed
        self._undo: list[Any] | None = None  # a list of undo steps inside a savepoint

    def take_state_of(self, other: Workspace) -> None:
        """Hold ``other``'s state (freshly loaded from the store) instead of this one's,
        keeping this one's lock, subscribers and budgets; the caller holds the lock."""
        if self.training is not None:
            self.training.stop()
        for name in self.STATE:
            setattr(self, name, getattr(other, name))
        self.damage = other.damage
        self.index_records()
        if self.training is not None:
            self.training.ws = self
            self.training.halt_after_restart()
        self.recount()
