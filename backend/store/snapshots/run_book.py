"""A training setup's book of runs (``backend/training/runs.py``) in format 2, both ways.

Each kept step's arrays are one flat float64 array in the snapshot's array table; its
layout (which arrays, of what shapes) and the settings in force are entries of the book's
``layouts`` and ``configs`` tables, written once however many steps share them, and they
come back shared. Metrics and histories are plain JSON (``docs/snapshot-format.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from backend.store.snapshots.values import ArrayTable
from backend.training.runs import RunBook, RunRecord
from backend.training.schemas import HistoryEntry, Metrics, TrainingConfig
from backend.training.timeline import KeptStep, Layout, Timeline


class BookWriter:
    """Writes a book's runs, each kept step's values into ``arrays`` and its layout and
    config into the tables, once each."""

    def __init__(self, arrays: ArrayTable) -> None:
        self.arrays = arrays
        self.layouts: list[list[Any]] = []
        self.configs: list[dict[str, Any]] = []
        self._layout_index: dict[Layout, int] = {}
        self._config_index: dict[int, int] = {}
        self._keep: list[TrainingConfig] = []  # what the config indexes refer to: no id reused

    def book(self, book: RunBook) -> dict[str, Any]:
        """The document of ``book``."""
        records = [self._run(record) for record in book.all()]
        return {
            "budget": book.budget,
            "max_runs": book.max_runs,
            "layouts": self.layouts,
            "configs": self.configs,
            "earlier": records[:-1],
            "current": records[-1],
        }

    def _run(self, record: RunRecord) -> dict[str, Any]:
        return {
            "id": record.id,
            "parent": record.parent,
            "fork_step": record.fork_step,
            "config": None if record.config is None else self._config(record.config),
            "history": [entry.model_dump(mode="json") for entry in record.history],
            "spacing": record.timeline.spacing,
            "kept": [self._kept(kept) for kept in record.timeline.kept],
        }

    def _kept(self, kept: KeptStep) -> dict[str, Any]:
        return {
            "step": kept.step,
            "epoch": kept.epoch,
            "config": self._config(kept.config),
            "metrics": kept.metrics.model_dump(mode="json"),
            "layout": self._layout(kept.layout),
            "values": self.arrays.ref(kept.values),
        }

    def _layout(self, layout: Layout) -> int:
        index = self._layout_index.get(layout)
        if index is None:
            index = self._layout_index[layout] = len(self.layouts)
            self.layouts.append([[group, name, list(shape)] for group, name, shape in layout])
        return index

    def _config(self, config: TrainingConfig) -> int:
        index = self._config_index.get(id(config))
        if index is None:
            index = self._config_index[id(config)] = len(self.configs)
            self._keep.append(config)
            self.configs.append(config.model_dump(mode="json"))
        return index


def read_book(entry: dict[str, Any], arrays: list[np.ndarray]) -> RunBook:
    """The book ``BookWriter.book`` wrote; raises ValueError, KeyError or TypeError for a
    document it cannot have written."""
    tables = Tables(
        layouts=[_layout(item) for item in entry["layouts"]],
        configs=[TrainingConfig.model_validate(item) for item in entry["configs"]],
        arrays=arrays,
    )
    budget = int(entry["budget"])
    earlier = [_run(item, budget, tables) for item in entry["earlier"]]
    current = _run(entry["current"], budget, tables)
    return RunBook(budget, int(entry["max_runs"]), current, earlier)


@dataclass
class Tables:
    """What a book's kept steps refer to by index: layouts, configs and the snapshot's arrays."""

    layouts: list[Layout]
    configs: list[TrainingConfig]
    arrays: list[np.ndarray]


def _run(item: dict[str, Any], budget: int, tables: Tables) -> RunRecord:
    kept = [_kept(step, tables) for step in item["kept"]]
    if not kept:
        raise ValueError(f"run {item['id']} keeps no step; every run keeps the one it began at")
    config = item["config"]
    return RunRecord(
        id=int(item["id"]),
        parent=item["parent"],
        fork_step=item["fork_step"],
        timeline=Timeline(budget, kept, int(item["spacing"])),
        config=None if config is None else tables.configs[config],
        history=[HistoryEntry.model_validate(h) for h in item["history"]],
    )


def _layout(item: list[Any]) -> Layout:
    return tuple(
        (str(group), str(name), tuple(int(n) for n in shape)) for group, name, shape in item
    )


def _kept(item: dict[str, Any], tables: Tables) -> KeptStep:
    layout, values = tables.layouts[item["layout"]], tables.arrays[item["values"]]
    size = sum(math.prod(shape) for _, _, shape in layout)
    if values.dtype != np.float64 or values.shape != (size,):
        raise ValueError(
            f"kept step {item['step']}'s values are {values.dtype} {list(values.shape)}, "
            f"its layout needs float64 [{size}]"
        )
    return KeptStep(
        step=int(item["step"]),
        epoch=int(item["epoch"]),
        config=tables.configs[item["config"]],
        metrics=Metrics.model_validate(item["metrics"]),
        layout=layout,
        values=values,
    )
