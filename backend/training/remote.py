"""A running run held by a training worker, as the request process follows it.

The request process keeps a replica of the run (the Trainer's ``run``, whose weights the
workspace's variables share) and answers every read from it: status, boundary, network,
timeline and kept steps. Reads then never wait for a busy worker, and the replica is at
most one progress interval (a quarter second) behind, as the viewers' events always were.

A follower thread applies each progress to the replica under the workspace's lock,
announces it, and stores a checkpoint when ``checkpoint_pace`` says one is due. Edits (new
settings, a weight) change the replica at once and go to the worker with a seq number; a progress
the worker sent before it took in the latest edit changes only the timeline and history,
so an answered edit is never undone. When the worker dies, the run begins again on another
from the replica: its last progress with every edit answered since.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol

from backend.training.checkpoint_pace import PACE
from backend.training.commands import Adjust, Begin, EditWeight, Halt, Progress
from backend.training.pool import RunLink, TrainingPool
from backend.training.schemas import TrainingSettings


class Trainer(Protocol):
    """What a follower needs of the Trainer it follows (declared here: the Trainer imports
    this module, so importing it back would make a circle)."""

    ws: Any
    run: Any
    runs: Any
    remote: RemoteRun | None

    def save(self) -> None: ...
    def publish_progress(self) -> None: ...
    def share_grads(self) -> None: ...


HALT_SECONDS = 10.0
"""How long a pause waits for the worker's last step before taking the replica as it is."""


class RemoteRun:
    """The follower of one start of a run in the pool; ``halt()`` ends it."""

    def __init__(self, trainer: Trainer, pool: TrainingPool) -> None:
        self.trainer = trainer
        self.pool = pool
        self.seq = 0
        self._halted = threading.Event()
        self.link = self._begin()
        threading.Thread(target=self._follow, name=f"training-{trainer.ws.id}", daemon=True).start()

    def _begin(self) -> RunLink:
        """Hand the replica, as it stands, to a worker."""
        run = self.trainer.run
        # A replica that stands behind history it was sent (a worker that died or finished
        # before taking in an edit) forgets the epochs it will train again.
        del run.history[sum(entry.step <= run.step for entry in run.history) :]
        timeline = self.trainer.runs.current.timeline
        return self.pool.begin(Begin(0, run, timeline, self.seq))

    def adjust(self, settings: TrainingSettings) -> None:
        """Send new settings, already applied to the replica."""
        self.seq += 1
        self.link.send(Adjust(self.link.key, self.seq, settings))

    def edit_weight(self, parameter: str, index: tuple[int, int], value: float) -> None:
        """Send a weight edit, already applied to the replica."""
        self.seq += 1
        self.link.send(EditWeight(self.link.key, self.seq, parameter, index, value))

    def halt(self) -> None:
        """Stop the run after the worker's current step and bring the replica to it; the
        caller holds the workspace's lock."""
        self._halted.set()
        self.link.send(Halt(self.link.key))
        self.link.wait_final(HALT_SECONDS)
        self._apply(self.link.take())

    def _follow(self) -> None:
        trainer, lock = self.trainer, self.trainer.ws.lock
        last_checkpoint = time.monotonic()
        # A closed pool (the server stopping) leaves the replica where its last state put it.
        while not (self._halted.is_set() or self.pool.closed):
            self.link.wait(timeout=1.0)
            with lock:
                if self._halted.is_set() or self.pool.closed:
                    return  # taken under the lock: a halt applies whatever came before it
                progress = self.link.take()
                if self._apply(progress) or self.link.lost:
                    self.link = self._begin()  # from the replica: nothing answered is lost
                    continue
                if self.link.final:
                    trainer.remote = None
                    trainer.save()
                    return
                now = time.monotonic()
                if PACE.due(now - last_checkpoint):
                    trainer.save()
                    last_checkpoint = now
                elif progress is not None:
                    trainer.publish_progress()

    def _apply(self, progress: Progress | None) -> bool:
        """Bring the replica to ``progress``; True when it is final but missed an edit (the
        run ended before the edit reached it), so it must go on from the replica."""
        if progress is None:
            return False
        run = self.trainer.run
        progress.update(self.trainer.runs.current.timeline)
        progress.run.apply_history(run)
        if progress.applied < self.seq:
            return progress.final and not self._halted.is_set()
        progress.run.apply_to(run)
        self.trainer.share_grads()
        return False
