"""The runs of a training setup: the current one, which trains, and the earlier ones it was
forked from, kept read-only with their config, history and timeline.

A fork puts the current run aside and continues from a kept step of any run (its
parameters, gradients and optimizer state) as a new current run; the model's shape stays,
so the workspace's weight variables keep sharing the run's arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.errors import NotFound
from backend.training.job import TrainingRun
from backend.training.schemas import (
    HistoryEntry,
    OptimizerSettings,
    TrainingCheckpoint,
    TrainingConfig,
    TrainingSettings,
)
from backend.training.timeline import KeptStep, Timeline


@dataclass
class RunRecord:
    """One run: its id, the run and step it was forked from, and its timeline. An earlier
    run also keeps the config and history it ended with (the current one's are live)."""

    id: int
    parent: int | None
    fork_step: int | None
    timeline: Timeline
    config: TrainingConfig | None = None
    history: list[HistoryEntry] = field(default_factory=list)


class RunBook:
    """The current run's record and up to ``max_runs - 1`` earlier ones, oldest first."""

    def __init__(
        self, budget: int, max_runs: int, current: RunRecord, earlier: list[RunRecord]
    ) -> None:
        self.budget = budget
        self.max_runs = max_runs
        self.current = current
        self.earlier = earlier

    @classmethod
    def starting(cls, run: TrainingRun, budget: int, max_runs: int) -> RunBook:
        """A book whose only run is ``run``, its timeline holding the step it stands at."""
        book = cls(budget, max_runs, RunRecord(1, None, None, Timeline(budget)), [])
        book.record(run)
        return book

    def record(self, run: TrainingRun) -> None:
        """Keep the current run's newest step in its timeline."""
        self.current.timeline.record(run)

    def find(self, run_id: int | None) -> RunRecord:
        """A run by id (None: the current one); a 404 naming the kept runs otherwise."""
        if run_id is None or run_id == self.current.id:
            return self.current
        for record in self.earlier:
            if record.id == run_id:
                return record
        ids = [r.id for r in self.all()]
        raise NotFound(
            "no_run", f"there is no run {run_id}; the kept runs are {ids}", {"runs": ids}
        )

    def all(self) -> list[RunRecord]:
        """Every kept run, oldest first, the current one last."""
        return [*self.earlier, self.current]

    def put_aside(self, run: TrainingRun) -> None:
        """Keep the current run, read-only, with the config and history it has now; the
        oldest earlier run goes when more than ``max_runs`` would be kept."""
        self.current.config = run.config
        self.current.history = list(run.history)
        self.earlier.append(self.current)
        del self.earlier[: max(0, len(self.earlier) - (self.max_runs - 1))]

    def begin_fork(self, run: TrainingRun, parent: int, step: int) -> None:
        """Make ``run``, just put back to ``step`` of run ``parent``, the new current run."""
        self.current = RunRecord(self._next_id(), parent, step, Timeline(self.budget))
        self.current.timeline.record(run)

    def _next_id(self) -> int:
        return max(r.id for r in self.all()) + 1


def settings_of(config: TrainingConfig) -> TrainingSettings:
    """Every adjustable setting of ``config``, to give a run that config's settings."""
    return TrainingSettings(
        optimizer=OptimizerSettings(**config.optimizer.model_dump()),
        batch_size=config.batch_size,
        epochs=config.epochs,
        l2=config.l2,
        l1=config.l1,
        max_steps_per_second=config.max_steps_per_second,
    )


def checkpoint_of(kept: KeptStep, history: list[HistoryEntry]) -> TrainingCheckpoint:
    """A checkpoint that puts a run back to a kept step, paused, with ``history``."""
    return TrainingCheckpoint(
        epoch=kept.epoch,
        step=kept.step,
        state="paused",
        parameters=kept.group("parameters"),
        gradients=kept.group("gradients"),
        optimizer_state=kept.group("optimizer"),
        history_before=0,
        new_history=history,
    )


def new_book(trainer: Any) -> RunBook:
    """A book of runs holding only the trainer's run, as it stands now."""
    settings = trainer.ws.settings
    return RunBook.starting(trainer.run, settings.timeline_bytes, settings.training_runs_kept)
