"""What the request process and a training worker say to each other about one run.

The request process sends commands (begin, adjust, edit a weight, halt); the worker answers
with progress: the run's state after its latest step and the timeline's steps kept since
the last progress. Every message is a small picklable dataclass naming its run by ``key``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backend.training.job import TrainingRun
from backend.training.schemas import HistoryEntry, TrainingSettings
from backend.training.timeline import KeptStep, Timeline


@dataclass
class Begin:
    """Train ``run`` from where it stands, keeping its steps in ``timeline``; ``applied``
    is the seq of the last edit the run holds already."""

    key: int
    run: TrainingRun
    timeline: Timeline
    applied: int


@dataclass
class Adjust:
    """Apply new settings between two steps; ``seq`` orders it among the run's edits."""

    key: int
    seq: int
    settings: TrainingSettings


@dataclass
class EditWeight:
    """Set one element of a parameter (its name without the workspace prefix)."""

    key: int
    seq: int
    parameter: str
    index: tuple[int, int]
    value: float


@dataclass
class Halt:
    """Stop after the current step and send the run's final progress."""

    key: int


@dataclass
class RunState:
    """What a replica needs to stand where the worker's run stands."""

    epoch: int
    step: int
    offset: int
    state: str
    parameters: dict[str, np.ndarray]
    gradients: dict[str, np.ndarray | None]
    optimizer: dict[str, np.ndarray]
    history_from: int
    new_history: list[HistoryEntry]
    last_graph: list[dict[str, Any]]

    @classmethod
    def of(cls, run: TrainingRun, history_from: int) -> RunState:
        """The run's state now, with its history entries from ``history_from`` on."""
        params = run.model.parameters
        return cls(
            epoch=run.epoch,
            step=run.step,
            offset=run.offset,
            state=run.state,
            parameters={name: p.value for name, p in params.items()},
            gradients={name: p.raw_grad for name, p in params.items()},
            optimizer=run.optimizer.state_dict(),
            history_from=history_from,
            new_history=run.history[history_from:],
            last_graph=run.last_graph,
        )

    def keep_history_of(self, earlier: RunState) -> None:
        """Carry the history entries ``earlier`` sent, for a reader that missed it."""
        own = self.history_from - earlier.history_from
        self.new_history = earlier.new_history[: max(0, own)] + self.new_history
        self.history_from = min(self.history_from, earlier.history_from)

    def apply_history(self, run: TrainingRun) -> None:
        """Give ``run`` (the request process's replica) the history entries sent."""
        del run.history[self.history_from :]
        run.history += self.new_history

    def apply_to(self, run: TrainingRun) -> None:
        """Bring ``run`` (the replica) here, writing its weights in place: the workspace's
        variables share those arrays."""
        for name, param in run.model.parameters.items():
            param.value[...] = self.parameters[name]
            param.grad = self.gradients[name]
        run.optimizer.load_state_dict(self.optimizer)
        run.epoch, run.step, run.offset, run.state = self.epoch, self.step, self.offset, self.state
        run.last_graph = self.last_graph


@dataclass
class Progress:
    """A run's state after its latest step, and its timeline's changes since the last
    progress: the steps it keeps now (in order) and the entries it did not send yet.

    ``applied`` is the seq of the last edit the run took in; ``final`` says the run has
    stopped (halted, or done) and the worker holds it no more.
    """

    key: int
    applied: int
    run: RunState
    kept_steps: list[int]
    spacing: int
    fresh: list[KeptStep] = field(default_factory=list)
    final: bool = False

    def merged_after(self, earlier: Progress | None) -> Progress:
        """This progress with ``earlier``'s history entries and its unseen kept steps that
        are still kept, for a reader that missed ``earlier``."""
        if earlier is None:
            return self
        self.run.keep_history_of(earlier.run)
        fresh = {entry.step: entry for entry in earlier.fresh}
        fresh.update({entry.step: entry for entry in self.fresh})
        kept = set(self.kept_steps)
        self.fresh = [fresh[step] for step in sorted(fresh) if step in kept]
        return self

    def update(self, timeline: Timeline) -> None:
        """Make ``timeline`` (the replica's) keep what the worker's keeps."""
        by_step = {entry.step: entry for entry in timeline.kept}
        by_step.update({entry.step: entry for entry in self.fresh})
        timeline.kept = [by_step[step] for step in self.kept_steps if step in by_step]
        timeline.spacing = self.spacing
