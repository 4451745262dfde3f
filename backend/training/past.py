"""A run as it stood at a kept step of its timeline, for drawing its boundary and network
then: the live run's data with a model that holds that step's parameters."""

from __future__ import annotations

import copy

from backend.training.job import TrainingRun
from backend.training.model import Mlp
from backend.training.trainer import Trainer, trainer_of
from backend.workspace.workspace import Workspace


def drawn_run(ws: Workspace, step: int | None) -> TrainingRun | None:
    """The workspace's run now (``step`` None) or at a kept step; None when no run is
    configured and no step is asked for (a step without a run is a 404)."""
    if step is None and ws.training is None:
        return None
    return run_at(trainer_of(ws), step)


def run_at(trainer: Trainer, step: int | None) -> TrainingRun:
    """The trainer's run now (``step`` None), or at a kept step of its current run; a step
    not kept is a 404 naming the nearest kept steps."""
    if step is None:
        return trainer.run
    kept = trainer.runs.current.timeline.at(step)
    return run_with(trainer.run, kept.step, kept.epoch, kept.group("parameters"))


def run_with(run: TrainingRun, step: int, epoch: int, parameters: dict) -> TrainingRun:
    """A shallow copy of ``run`` at ``step`` whose own model holds ``parameters`` (read,
    never written: drawing records nothing); the run itself and its model stay as they are."""
    model = Mlp(run.config)
    for name, value in parameters.items():
        model.parameters[name].value = value
    past = copy.copy(run)
    past.model, past.step, past.epoch = model, step, epoch
    return past
