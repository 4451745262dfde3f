"""A run's timeline: its parameters, last gradients, optimizer state and metrics at chosen
steps, kept within a byte budget.

Every step is kept for the first ``DENSE_STEPS`` (fewer when the budget holds fewer than
twice as many), then the steps on a grid whose spacing doubles each time the kept steps
would pass the budget. Step 0 and the newest step are always kept. Each kept step holds
one flat float64 array (the arrays' layout is shared), so a fork from it is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backend.errors import NotFound
from backend.training.job import TrainingRun
from backend.training.schemas import Metrics, TrainingConfig

DENSE_STEPS = 100
"""Steps kept one by one at the start of a run, when the budget allows."""

MIN_KEPT = 3
"""A network so large that fewer steps fit its budget still keeps step 0, one between
and the newest: the budget is exceeded then, by at most this many steps' worth."""

Layout = tuple[tuple[str, str, tuple[int, ...]], ...]
"""Each array a kept step holds, in order: its group ("parameters", "gradients",
"optimizer"), its name and its shape."""


@dataclass
class KeptStep:
    """The state of a run after ``step``: the settings in force, metrics, and its arrays
    packed in ``values``."""

    step: int
    epoch: int
    config: TrainingConfig
    metrics: Metrics
    layout: Layout
    values: np.ndarray

    def group(self, name: str) -> dict[str, np.ndarray]:
        """The arrays of one group by name, as views into ``values``."""
        arrays, start = {}, 0
        for group, key, shape in self.layout:
            size = int(np.prod(shape, dtype=int))
            if group == name:
                arrays[key] = self.values[start : start + size].reshape(shape)
            start += size
        return arrays

    @property
    def nbytes(self) -> int:
        return self.values.nbytes


def capture(run: TrainingRun) -> KeptStep:
    """The run's state now, copied."""
    parts: dict[tuple[str, str], np.ndarray] = {}
    for name, param in run.model.parameters.items():
        parts["parameters", name] = param.value
        if param.raw_grad is not None:
            parts["gradients", name] = param.raw_grad
    for key, array in run.optimizer.state_dict().items():
        parts["optimizer", key] = np.asarray(array, dtype=float)
    layout = tuple((group, key, array.shape) for (group, key), array in parts.items())
    # One copy into the packed array (ravel is a view of a contiguous array; the cast to
    # float happens in that copy).
    values = np.concatenate([a.ravel() for a in parts.values()], dtype=float)
    return KeptStep(run.step, run.epoch, run.config, run.metrics(), layout, values)


class Timeline:
    """The kept steps of one run, oldest first, within ``budget`` bytes."""

    def __init__(self, budget: int, kept: list[KeptStep] | None = None, spacing: int = 1) -> None:
        self.budget = budget
        self.kept = kept or []
        self.spacing = spacing

    def record(self, run: TrainingRun) -> None:
        """Keep the run's newest step, dropping the previous newest when it is off the grid
        and thinning the grid when the budget is passed."""
        entry = capture(run)
        kept = self._kept
        if kept and kept[-1].layout == entry.layout:
            entry.layout = kept[-1].layout  # one layout object for the steps that share it
        # A run put back to an earlier step (a restored checkpoint) forgets what came after.
        while kept and kept[-1].step >= entry.step:
            self._nbytes -= kept.pop().nbytes
        if len(kept) > 1 and not self._on_grid(kept[-1].step, entry.nbytes):
            self._nbytes -= kept.pop().nbytes
        kept.append(entry)
        self._nbytes += entry.nbytes
        while self._nbytes > self.budget and self._thin(entry.nbytes):
            pass

    @property
    def kept(self) -> list[KeptStep]:
        """The kept steps, oldest first. Assign a new list rather than change this one:
        the timeline keeps the count of their bytes as it changes them itself."""
        return self._kept

    @kept.setter
    def kept(self, entries: list[KeptStep]) -> None:
        self._kept = entries
        self._nbytes = sum(entry.nbytes for entry in entries)

    @property
    def nbytes(self) -> int:
        """Bytes the kept steps' arrays take (counted as steps come and go: summing them at
        every step cost a third of a playground step once hundreds were kept)."""
        return self._nbytes

    def _dense_steps(self, entry_bytes: int) -> int:
        capacity = max(MIN_KEPT, self.budget // max(entry_bytes, 1))
        return min(DENSE_STEPS, capacity // 2)

    def _on_grid(self, step: int, entry_bytes: int) -> bool:
        return step <= self._dense_steps(entry_bytes) or step % self.spacing == 0

    def _thin(self, entry_bytes: int) -> bool:
        """Double the spacing and drop the steps off it; False when nothing can go."""
        before = len(self.kept)
        if before <= MIN_KEPT:
            return False
        self.spacing *= 2
        newest = self.kept[-1]
        self.kept = [e for e in self.kept if e is newest or self._on_grid(e.step, entry_bytes)]
        return len(self.kept) < before or self._sparse_steps_left(entry_bytes)

    def _sparse_steps_left(self, entry_bytes: int) -> bool:
        # Doubling may drop nothing at once (all sparse steps on the new grid by chance);
        # it goes on while steps past the dense start remain besides the newest.
        dense = self._dense_steps(entry_bytes)
        return any(e.step > dense for e in self.kept[:-1])

    def at(self, step: int) -> KeptStep:
        """The kept step ``step``; a 404 naming the nearest kept steps when it was not kept."""
        for entry in self.kept:
            if entry.step == step:
                return entry
        raise NotFound(
            "step_not_kept",
            f"step {step} was not kept; the nearest kept steps are {self.nearest(step)}",
            {"step": step, "nearest": self.nearest(step)},
        )

    def nearest(self, step: int) -> list[int]:
        """The kept steps just before and just after ``step`` (one of them at the ends)."""
        before = [e.step for e in self.kept if e.step < step][-1:]
        after = [e.step for e in self.kept if e.step > step][:1]
        return before + after
