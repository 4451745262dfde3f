"""A workspace's training job: the run in a background thread, its weights as workspace
variables, throttled live events, and checkpoints as snapshots of the workspace."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

import engine
from backend.errors import Conflict, NotFound
from backend.event_payloads import TrainingProgress
from backend.store.interface import StoreWriteFailed
from backend.training.checkpoint_pace import PACE
from backend.training.datasets import NO_POINTS
from backend.training.job import TrainingRun
from backend.training.model import parameter_count
from backend.training.remote import RemoteRun
from backend.training.runs import RunBook, new_book
from backend.training.schemas import (
    TrainingCheckpoint,
    TrainingConfig,
    TrainingReset,
    TrainingSettings,
    TrainingStatus,
)
from backend.workspace.workspace import Workspace

EVENT_INTERVAL = 0.25
PREFIX = "net_"


class Trainer:
    """Runs one TrainingRun for a workspace; every method expects the workspace's lock held,
    except the background loop, which takes it for each step."""

    def __init__(
        self, ws: Workspace, config: TrainingConfig, user_points: np.ndarray = NO_POINTS
    ) -> None:
        self.ws = ws
        self.run = TrainingRun(config, user_points)
        self._stop = threading.Event()
        self.pause_reason: str | None = None  # why the server paused the run itself
        self.remote: RemoteRun | None = None  # the run's follower while a worker trains it
        self.variables = {
            name: self._bind(name, p) for name, p in self.run.model.parameters.items()
        }
        self.runs: RunBook = new_book(self)

    def _bind(self, name: str, param: engine.Variable) -> engine.Variable:
        # The workspace variable shares the weight's array, so updates show in both.
        var = engine.Variable(self.ws.context, param.value, True)
        full = PREFIX + name
        if full in self.ws.variables:
            self.ws.rename_to_version(full)
        self.ws.bind(full, var)
        return var

    def __getstate__(self) -> dict[str, Any]:
        # A snapshot keeps the run; the loop, its stop flag and the workspace are the server's.
        return {"run": self.run, "variables": self.variables, "runs": self.runs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._stop = threading.Event()
        self.pause_reason = None
        self.remote = None

    def attach(self, ws: Workspace) -> None:
        """Give a trainer read from a snapshot its workspace; one stored before runs had
        timelines gets a fresh book of runs holding its current step."""
        self.ws = ws
        if "runs" not in vars(self):
            self.runs = new_book(self)

    def status(self) -> TrainingStatus:
        run = self.run
        return TrainingStatus(
            state=run.state,
            epoch=run.epoch,
            step=run.step,
            steps_per_epoch=run.steps_per_epoch,
            metrics=run.metrics(),
            history=run.history,
            config=run.config,
            parameters=[PREFIX + name for name in run.model.parameters],
            graph=run.last_graph,
            layers=run.layers,
            pause_reason=self.pause_reason,
        )

    def reset(self) -> None:
        """Fresh weights (written into the same arrays), epoch 0, no history. A weight whose
        shape changed (custom points of more or fewer classes) is bound anew, as a new
        setup binds its weights."""
        self.stop()
        fresh = TrainingRun(self.run.config, self.run.user_points)
        for name, param in fresh.model.parameters.items():
            shared = self.run.model.parameters[name].value
            if shared.shape != param.value.shape:
                self.variables[name] = self._bind(name, param)
                continue
            shared[...] = param.value
            param.value = shared
            self.variables[name].zero_grad()
        self.run = fresh
        self.runs = new_book(self)
        self.ws.touch(self.variables.values(), "a training reset")

    def restore(self, checkpoint: TrainingCheckpoint) -> None:
        """Bring the run to ``checkpoint``. No loop runs it after: a checkpoint saved while
        running comes back paused, as after a restart."""
        self.run.restore(checkpoint)
        self.halt_after_restart()
        self.share_grads()

    def start(self) -> None:
        """Train in the background; a run that reached its stop goes on without one."""
        if self.run.state == "running":
            raise Conflict("already_running", "training is already running")
        if self.run.finished:
            self.run.adjust(TrainingSettings(epochs=None))
        self.run.check_trainable()
        self.run.state = "running"
        self.pause_reason = None
        if self.ws.training_pool is not None:
            self.remote = RemoteRun(self, self.ws.training_pool)
            return
        # Each loop gets its own stop flag, so a stopped loop that is still waiting for the
        # lock can never carry on after a new start.
        self._stop = threading.Event()
        loop = threading.Thread(
            target=self._loop, args=(self._stop,), name=f"training-{self.ws.id}", daemon=True
        )
        loop.start()

    def pause(self) -> None:
        if self.run.state != "running":
            raise Conflict("not_running", "training is not running")
        self.stop()
        self.run.state = "paused"

    def single_step(self) -> None:
        if self.run.state == "running":
            raise Conflict("already_running", "pause training before stepping it")
        if self.run.finished:
            raise Conflict("training_done", "training is done; reset it to train again")
        self.run.check_trainable()
        self._step()
        self.run.state = "done" if self.run.finished else "paused"

    def adjust(self, settings: TrainingSettings) -> None:
        """Change the settings that keep the model's shape; a stopped run is done or not
        by its new stop (the loop sees a running one's)."""
        self.run.adjust(settings)
        if self.remote is not None:
            self.remote.adjust(settings)
        if self.run.state in ("paused", "done"):
            self.run.state = "done" if self.run.finished else "paused"

    def stop(self) -> None:
        """End the background loop: it checks its flag under the lock before every step,
        so with the lock held here, no step happens after this. A run in a worker stops
        after the worker's current step, which the replica then stands at."""
        self._stop.set()
        remote, self.remote = self.remote, None
        if remote is not None:
            remote.halt()

    def forward_weight_edit(self, parameter: str, index: tuple[int, int], value: float) -> None:
        """Give a weight edit made on the replica to the worker training the run, if any."""
        if self.remote is not None:
            self.remote.edit_weight(parameter, index, value)

    def _step(self) -> None:
        self.run.train_step()
        self.runs.record(self.run)
        self.share_grads()

    def share_grads(self) -> None:
        """The run's gradients shown on the workspace's variables, whose values it changed."""
        for name, param in self.run.model.parameters.items():
            self.variables[name].grad = param.raw_grad
        self.ws.touch(self.variables.values(), "a training step")

    def _loop(self, stop: threading.Event) -> None:
        last_event = last_checkpoint = time.monotonic()
        while True:
            with self.ws.training_slots, self.ws.lock:
                if stop.is_set():
                    return
                if self.run.finished:
                    self.run.state = "done"
                    self.save()
                    return
                self._step()
                now = time.monotonic()
                if PACE.due(now - last_checkpoint):
                    self.save()
                    last_checkpoint = now
                    if self.pause_reason is not None:
                        return  # the checkpoint was not stored: paused, not dead
                elif now - last_event >= EVENT_INTERVAL:
                    self.publish_progress()
                    last_event = now
            # Between steps, waiting requests get the lock; a speed limit waits here too.
            limit = self.run.config.max_steps_per_second
            time.sleep(1.0 / limit if limit else 0)

    def save(self) -> None:
        """Store the progress in a snapshot of the workspace, and announce it. When the
        store cannot take it (a full disk), a running loop pauses with the reason, which
        the status and the event carry; the progress stays in memory."""
        try:
            with PACE.storing():
                self.ws.save_snapshot()
            self.pause_reason = None
        except StoreWriteFailed as error:
            self.pause_reason = f"the checkpoint could not be stored: {error}"
            if self.run.state == "running":
                self.stop()
                self.run.state = "paused"
        self.publish_progress()

    def halt_after_restart(self) -> None:
        """A run that was running when the server stopped comes back paused."""
        if self.run.state == "running":
            self.run.state = "paused"

    def progress(self) -> TrainingProgress:
        """What a training event carries: state, epoch, step, the latest metrics and each
        hidden layer's health."""
        run = self.run
        return TrainingProgress(
            state=run.state,
            epoch=run.epoch,
            step=run.step,
            metrics=run.metrics(),
            layers=run.layers,
            pause_reason=self.pause_reason,
        )

    def publish_progress(self) -> None:
        """Send the progress now, outside any operation (the loop and pauses run on their own)."""
        progress = self.progress()
        self.ws.events.publish(progress.type, progress.data())


def trainer_of(ws: Workspace) -> Trainer:
    """The workspace's training job, or a 404 when none is configured."""
    if ws.training is None:
        raise NotFound(
            "no_training", "no training is configured; PUT /training with a config first"
        )
    return ws.training


def configure(ws: Workspace, config: TrainingConfig) -> TrainingStatus:
    """Set up a run (replacing any earlier one): dataset, model and weights as variables.

    The weights count toward the workspace's variable limit: an earlier run's stay in the
    workspace, renamed to versions (``net_W1@1``), as they may feed nodes of its history.
    """
    ws.check_room_for(parameter_count(config))
    # The user's own points stay from run to run, whatever the dataset.
    user_points = NO_POINTS if ws.training is None else ws.training.run.user_points
    if ws.training is not None:
        ws.training.stop()
    ws.training = Trainer(ws, config, user_points)
    ws.announce(ws.training.progress())
    return ws.training.status()


def restore_checkpoint(ws: Workspace, checkpoint: TrainingCheckpoint) -> TrainingStatus:
    """Bring the run to a checkpoint journaled by an earlier server (checkpoints are
    snapshots now; journals written before still hold them)."""
    trainer = trainer_of(ws)
    trainer.restore(checkpoint)
    ws.announce(trainer.progress())
    return trainer.status()


def reset(ws: Workspace, _: TrainingReset) -> TrainingStatus:
    """Start the run over with fresh weights."""
    trainer = trainer_of(ws)
    trainer.reset()
    ws.announce(trainer.progress())
    return trainer.status()


def adjust(ws: Workspace, settings: TrainingSettings) -> TrainingStatus:
    """Change a run's learning rate, optimizer, penalties, batch size, stop or speed,
    without a reset: the weights, the step and the history stay."""
    trainer = trainer_of(ws)
    trainer.adjust(settings)
    ws.announce(trainer.progress())
    return trainer.status()
