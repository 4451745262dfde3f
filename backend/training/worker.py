"""A training worker: a process that steps the runs the request process hands it.

The worker takes one step of each due run in turn, keeps each run's timeline, and sends
progress every ``PROGRESS_INTERVAL`` seconds and when a run stops. Between any two steps
it reads the commands waiting, so a pause, a new setting or a weight edit lands between
steps, as it did when runs were threads of the request process. It exits when told to or
when the request process's end of its connection closes (that process died).
"""

from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from backend.training.commands import Adjust, Begin, EditWeight, Halt, Progress, RunState
from backend.training.job import TrainingRun
from backend.training.timeline import KeptStep, Timeline

PROGRESS_INTERVAL = 0.25
"""Seconds between two progress messages of a running run (the viewers' event rate)."""

NICENESS = 5
"""How much lower the workers' CPU priority is than the request process's: a request
waits for no training step, while training still takes every cycle requests leave."""

STOP = None
"""Sent instead of a command: the worker exits."""


@dataclass
class HeldRun:
    """A run this worker steps, and what its last progress told the request process."""

    key: int
    run: TrainingRun
    timeline: Timeline
    applied: int = 0
    history_sent: int = 0
    next_step_at: float = 0.0
    last_progress: float = 0.0
    sent: dict[int, KeptStep] = field(default_factory=dict)  # by id(); held, so ids stay unique

    def step(self, now: float) -> None:
        """One step, kept in the timeline; the run's speed limit sets when the next is due."""
        self.run.train_step()
        self.timeline.record(self.run)
        limit = self.run.config.max_steps_per_second
        self.next_step_at = now + 1.0 / limit if limit else now
        if self.run.finished:
            self.run.state = "done"

    def progress(self, final: bool = False) -> Progress:
        """The run's progress since the last one sent."""
        kept = self.timeline.kept
        fresh = [entry for entry in kept if id(entry) not in self.sent]
        self.sent = {id(entry): entry for entry in kept}
        message = Progress(
            key=self.key,
            applied=self.applied,
            run=RunState.of(self.run, self.history_sent),
            kept_steps=[entry.step for entry in kept],
            spacing=self.timeline.spacing,
            fresh=fresh,
            final=final,
        )
        self.history_sent = len(self.run.history)
        return message


class Worker:
    """The runs of one worker process and its connection to the request process."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.runs: dict[int, HeldRun] = {}

    def serve(self) -> None:
        """Step runs and answer commands until told to stop or the parent is gone."""
        while self._take_commands():
            self._step_due_runs()

    def _take_commands(self) -> bool:
        """Handle every waiting command; with no run due, wait for the next command or
        the next due step. False once the worker should exit."""
        wait = self._seconds_to_next_step()
        try:
            while self.connection.poll(wait):
                command = self.connection.recv()
                if command is STOP:
                    return False
                self._handle(command)
                wait = 0
        except (EOFError, OSError):
            return False  # the request process is gone: nobody to train for
        return True

    def _seconds_to_next_step(self) -> float | None:
        if not self.runs:
            return None
        due = min(held.next_step_at for held in self.runs.values())
        return max(0.0, due - time.monotonic())

    def _handle(self, command: Any) -> None:
        if isinstance(command, Begin):
            self._begin(command)
            return
        held = self.runs.get(command.key)
        if held is None:
            return  # the run stopped on its own (done) before the command arrived
        if isinstance(command, Halt):
            self._leave(held)
        elif isinstance(command, Adjust):
            held.run.adjust(command.settings)
            held.applied = command.seq
        elif isinstance(command, EditWeight):
            held.run.model.parameters[command.parameter].value[command.index] = command.value
            held.applied = command.seq

    def _begin(self, command: Begin) -> None:
        held = HeldRun(command.key, command.run, command.timeline, command.applied)
        held.sent = {id(entry): entry for entry in held.timeline.kept}
        held.history_sent = len(held.run.history)
        self.runs[command.key] = held
        if held.run.finished:  # resumed right at its stop
            held.run.state = "done"
            self._report(held, time.monotonic())
        else:  # one step at once, so a pause sent right after the start finds it trained
            self._step(held, time.monotonic())

    def _step_due_runs(self) -> None:
        for held in list(self.runs.values()):
            now = time.monotonic()
            if held.next_step_at <= now:
                self._step(held, now)

    def _step(self, held: HeldRun, now: float) -> None:
        try:
            held.step(now)
        except Exception:  # a run that cannot step stops; the worker goes on
            held.run.state = "paused"
        self._report(held, now)

    def _report(self, held: HeldRun, now: float) -> None:
        """A run that stopped leaves with its final progress; a running one reports when
        its interval has passed."""
        if held.run.state != "running":
            self._leave(held)
        elif now - held.last_progress >= PROGRESS_INTERVAL:
            held.last_progress = now
            self.connection.send(held.progress())

    def _leave(self, held: HeldRun) -> None:
        """Let the run go with its final progress."""
        del self.runs[held.key]
        self.connection.send(held.progress(final=True))


def serve(connection: Connection) -> None:
    """The worker process's entry point."""
    os.nice(NICENESS)
    # As in the request process: non-finite values are reported, not warned about.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"(engine|numpy)\.")
    Worker(connection).serve()
