/** Chart series from a training history: x is the epoch, one y array per curve. */
import type { LayerHealth, TrainingHistoryEntry, TrainingMetrics } from "../api/types";
import { formatScalar } from "../format";

/** Columns for a chart: the x values (epochs), then one array per series, null where missing. */
export interface Series {
  names: string[];
  data: [number[], ...(number | null)[][]];
}

/** Train and test loss per epoch. */
export function lossSeries(history: readonly TrainingHistoryEntry[]): Series {
  return metricSeries(history, [
    ["train loss", "train_loss"],
    ["test loss", "test_loss"],
  ]);
}

/** Train and test accuracy per epoch, as fractions. */
export function accuracySeries(history: readonly TrainingHistoryEntry[]): Series {
  return metricSeries(history, [
    ["train accuracy", "train_accuracy"],
    ["test accuracy", "test_accuracy"],
  ]);
}

/** One series per weight matrix ("W1", "W2", … in layer order) of its gradient's norm per epoch. */
export function gradNormSeries(history: readonly TrainingHistoryEntry[]): Series {
  const names = [...new Set(history.flatMap((entry) => Object.keys(entry.grad_norms)))].sort(byLayer);
  return {
    names,
    data: [history.map((entry) => entry.epoch), ...names.map((name) => history.map((entry) => entry.grad_norms[name] ?? null))],
  };
}

/** One series per hidden layer ("layer 1", …) of the fraction of its units that were dead. */
export function deadFractionSeries(history: readonly TrainingHistoryEntry[]): Series {
  return layerSeries(history, [["", (layer) => layer.dead_fraction]]);
}

/** Two series per hidden layer, "layer 1 ∇W" and "layer 1 ∇b": its gradients' norms. */
export function layerGradientSeries(history: readonly TrainingHistoryEntry[]): Series {
  return layerSeries(history, [
    [" ∇W", (layer) => layer.weight_grad_norm],
    [" ∇b", (layer) => layer.bias_grad_norm],
  ]);
}

function layerSeries(
  history: readonly TrainingHistoryEntry[],
  figures: readonly (readonly [string, (layer: LayerHealth) => number | null])[],
): Series {
  const numbers = [...new Set(history.flatMap((entry) => entry.layers.map((layer) => layer.layer)))].sort((a, b) => a - b);
  const columns = numbers.flatMap((number) =>
    figures.map(([suffix, figure]) => ({
      name: `layer ${number}${suffix}`,
      values: history.map((entry) => {
        const layer = entry.layers.find((candidate) => candidate.layer === number);
        return layer === undefined ? null : figure(layer);
      }),
    })),
  );
  return { names: columns.map((column) => column.name), data: [history.map((entry) => entry.epoch), ...columns.map((column) => column.values)] };
}

/** A metric's first and latest value in the history; null while it has none. */
export function trend(
  history: readonly TrainingHistoryEntry[],
  metric: keyof TrainingMetrics,
): { first: number; last: number } | null {
  const values = history.map((entry) => entry[metric]).filter((value): value is number => value !== null);
  const [first, last] = [values[0], values[values.length - 1]];
  return first === undefined || last === undefined ? null : { first, last };
}

/** "Loss over 12 epochs: train 0.6931 → 0.3120, test 0.7010 → 0.3550". */
export function lossCaption(history: readonly TrainingHistoryEntry[]): string {
  if (history.length === 0) return "Loss: no epoch finished yet";
  const part = (name: string, metric: keyof TrainingMetrics) => {
    const change = trend(history, metric);
    return change === null ? `${name} –` : `${name} ${formatScalar(change.first)} → ${formatScalar(change.last)}`;
  };
  const epochs = history.length === 1 ? "1 epoch" : `${history.length} epochs`;
  return `Loss over ${epochs}: ${part("train", "train_loss")}, ${part("test", "test_loss")}`;
}

function metricSeries(
  history: readonly TrainingHistoryEntry[],
  metrics: readonly (readonly [string, keyof TrainingMetrics])[],
): Series {
  return {
    names: metrics.map(([name]) => name),
    data: [history.map((entry) => entry.epoch), ...metrics.map(([, key]) => history.map((entry) => entry[key]))],
  };
}

/** "W2" before "W10": by the number in the name, then by the name. */
function byLayer(a: string, b: string): number {
  const number = (name: string) => Number(/\d+/.exec(name)?.[0] ?? Infinity);
  return number(a) - number(b) || a.localeCompare(b);
}
