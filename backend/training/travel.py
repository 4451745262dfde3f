"""Time travel over a workspace's training: its runs' timelines, a run at a kept step,
forks, and the layers' histograms. Every function expects the workspace's lock held."""

from __future__ import annotations

from backend.training.histograms import layer_histograms
from backend.training.runs import checkpoint_of, settings_of
from backend.training.timeline_schemas import (
    ForkRequest,
    HistogramsAnswer,
    KeptStepSummary,
    RunList,
    RunSummary,
    StepState,
    TimelineAnswer,
)
from backend.training.trainer import Trainer, trainer_of
from backend.workspace.workspace import Workspace


def timeline(ws: Workspace, run_id: int | None) -> TimelineAnswer:
    """The kept steps of a run (the current one by default)."""
    record = trainer_of(ws).runs.find(run_id)
    line = record.timeline
    return TimelineAnswer(
        run=record.id,
        budget_bytes=line.budget,
        kept_bytes=line.nbytes,
        spacing=line.spacing,
        steps=[KeptStepSummary(step=e.step, epoch=e.epoch, metrics=e.metrics) for e in line.kept],
    )


def state_at(ws: Workspace, step: int, run_id: int | None) -> StepState:
    """A run's parameters, gradients and metrics at a kept step."""
    record = trainer_of(ws).runs.find(run_id)
    kept = record.timeline.at(step)
    return StepState(
        run=record.id,
        step=kept.step,
        epoch=kept.epoch,
        metrics=kept.metrics,
        parameters={k: v.tolist() for k, v in kept.group("parameters").items()},
        gradients={k: v.tolist() for k, v in kept.group("gradients").items()},
    )


def runs(ws: Workspace) -> RunList:
    """Every kept run with its parent, fork step and metric history."""
    trainer = trainer_of(ws)
    book = trainer.runs
    return RunList(
        runs=[
            RunSummary(
                id=r.id,
                parent=r.parent,
                fork_step=r.fork_step,
                current=r is book.current,
                kept_steps=len(r.timeline.kept),
                config=trainer.run.config if r is book.current else r.config,
                history=trainer.run.history if r is book.current else r.history,
            )
            for r in book.all()
        ]
    )


def histograms(ws: Workspace, run_id: int | None, bins: int) -> HistogramsAnswer:
    """Each layer's weight and gradient distributions over a run's kept steps."""
    record = trainer_of(ws).runs.find(run_id)
    return HistogramsAnswer(run=record.id, layers=layer_histograms(record.timeline, bins))


def fork(trainer: Trainer, request: ForkRequest) -> None:
    """Continue from a kept step of a run as a new, paused run; the current one is kept.

    What can fail (an unknown run or step, a 404) is checked before anything changes."""
    book = trainer.runs
    source = book.find(request.run)
    kept = source.timeline.at(request.step)
    changes = request.changes()
    history = trainer.run.history if source is book.current else source.history
    earlier_history = [entry for entry in history if entry.step <= request.step]
    trainer.stop()
    book.put_aside(trainer.run)
    # The settings in force at the step (its optimizer's kind fits its state), then the changes.
    trainer.run.adjust(settings_of(kept.config))
    trainer.restore(checkpoint_of(kept, earlier_history))
    trainer.adjust(changes)
    book.begin_fork(trainer.run, source.id, request.step)
