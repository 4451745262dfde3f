"""Each layer's weights and gradients binned at every kept step of a run, for a heatmap of
bins over steps (TensorBoard's distributions)."""

from __future__ import annotations

import numpy as np

from backend.training.timeline import KeptStep, Timeline
from backend.training.timeline_schemas import Distribution, LayerHistograms


def layer_histograms(timeline: Timeline, bins: int) -> list[LayerHistograms]:
    """For each layer, its weight and bias values (and their gradients) in ``bins`` bins
    spanning all kept steps, so every step's row is drawn on the same scale."""
    first = timeline.kept[0].group("parameters")
    layers = len(first) // 2
    return [
        LayerHistograms(
            layer=layer,
            parameters=first[f"W{layer}"].size + first[f"b{layer}"].size,
            weights=distribution(timeline.kept, "parameters", layer, bins),
            gradients=distribution(timeline.kept, "gradients", layer, bins),
        )
        for layer in range(1, layers + 1)
    ]


def distribution(kept: list[KeptStep], group: str, layer: int, bins: int) -> Distribution:
    """The layer's values of ``group`` at each kept step that has them, binned alike."""
    rows = {e.step: layer_values(e, group, layer) for e in kept}
    rows = {step: values for step, values in rows.items() if values is not None}
    if not rows:
        return Distribution(edges=[], steps=[], counts=[])
    everything = np.concatenate(list(rows.values()))
    low, high = float(everything.min()), float(everything.max())
    if low == high:  # all alike (zero biases at step 0): one bin around them
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bins + 1)
    counts = [np.histogram(values, edges)[0].tolist() for values in rows.values()]
    return Distribution(edges=edges.tolist(), steps=list(rows), counts=counts)


def layer_values(entry: KeptStep, group: str, layer: int) -> np.ndarray | None:
    """The layer's weight and bias values of ``group`` flattened; None when missing."""
    arrays = entry.group(group)
    names = (f"W{layer}", f"b{layer}")
    if not all(name in arrays for name in names):
        return None
    return np.concatenate([arrays[name].ravel() for name in names])
