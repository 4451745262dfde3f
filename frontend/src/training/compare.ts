/** Two runs side by side: their curves on one chart, where one forked from the other, and how a run reads. */
import type { TrainingHistoryEntry, TrainingMetrics } from "../api/types";
import type { Series } from "./series";
import type { RunSummary } from "./timelineApi";

type Run = Pick<RunSummary, "id" | "parent" | "fork_step" | "history">;

/**
 * One curve per run and metric ("run 1 train loss", …) over the union of both runs' epochs, null
 * where a run has no value (a fork starts late, a run stopped early); a later entry of the same
 * epoch (a single step's) wins.
 */
export function overlaySeries(runs: readonly Run[], metrics: readonly (readonly [string, keyof TrainingMetrics])[]): Series {
  const byEpoch = runs.map((run) => new Map(run.history.map((entry) => [entry.epoch, entry])));
  const epochs = [...new Set(byEpoch.flatMap((entries) => [...entries.keys()]))].sort((a, b) => a - b);
  const columns = runs.flatMap((run, i) =>
    metrics.map(([name, key]) => ({
      name: `run ${run.id} ${name}`,
      values: epochs.map((epoch) => byEpoch[i]?.get(epoch)?.[key] ?? null),
    })),
  );
  return { names: columns.map((column) => column.name), data: [epochs, ...columns.map((column) => column.values)] };
}

/** The epochs at which one of `runs` forked from the other (at the epoch its fork step fell in). */
export function forkEpochs(runs: readonly Run[]): number[] {
  const epochs: number[] = [];
  for (const child of runs) {
    const parent = runs.find((run) => run.id === child.parent);
    if (parent === undefined || child.fork_step === null) continue;
    epochs.push(epochAt(parent.history, child.fork_step));
  }
  return epochs;
}

/** The epoch the run stood in at `step`: that of its last history entry at or before it (0 before any). */
export function epochAt(history: readonly TrainingHistoryEntry[], step: number): number {
  let epoch = 0;
  for (const entry of history) if (entry.step <= step) epoch = entry.epoch;
  return epoch;
}

/** "run 2, from run 1 at step 40, lr 0.1": what a run is in a list or a menu. */
export function describeRun(run: Pick<RunSummary, "id" | "parent" | "fork_step" | "config" | "current">): string {
  const origin = run.parent === null ? "" : `, from run ${run.parent} at step ${run.fork_step ?? 0}`;
  const { config } = run;
  const settings = `lr ${config.optimizer.lr}, L2 ${config.l2}, batch ${config.batch_size}`;
  return `run ${run.id}${run.current ? " (current)" : ""}${origin}: ${settings}`;
}

/** The two runs to compare at first: the current one and the one it forked from (or the one before it). */
export function defaultPair(runs: readonly Pick<RunSummary, "id" | "parent" | "current">[]): [number, number] | null {
  const current = runs.find((run) => run.current);
  if (current === undefined || runs.length < 2) return null;
  const other = current.parent ?? runs[runs.length - 2]?.id;
  return other === undefined ? null : [other, current.id];
}
