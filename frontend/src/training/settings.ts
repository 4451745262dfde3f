/**
 * Which changes of the setup keep the run (the training settings, sent with PATCH at once) and
 * which reset it (the data, the network and the loss, sent with PUT by Apply).
 */
import type { TrainingConfig, TrainingSettings } from "../api/types";
import { sameJson } from "../json";

/** The config's fields a run in progress takes without a reset (the optimizer's, nested). */
const SETTINGS = ["batch_size", "epochs", "l2", "l1", "max_steps_per_second"] as const;
const OPTIMIZER = ["kind", "lr", "momentum", "beta1", "beta2"] as const;

/** True when a number of the draft is unreadable (NaN, sent as null, which the server refuses). */
function unreadable(value: unknown): boolean {
  return typeof value === "number" && Number.isNaN(value);
}

/**
 * The training settings of `draft` that differ from the run's `config`, ready for PATCH; null when
 * none differ. A value still being typed (not a number yet) is left out rather than sent.
 */
export function settingsChange(draft: TrainingConfig, config: TrainingConfig): TrainingSettings | null {
  const change: Record<string, unknown> = {};
  for (const key of SETTINGS) {
    if (draft[key] !== config[key] && !unreadable(draft[key])) change[key] = draft[key];
  }
  const optimizer: Record<string, unknown> = {};
  for (const key of OPTIMIZER) {
    const value = draft.optimizer[key];
    if (value !== config.optimizer[key] && !unreadable(value)) optimizer[key] = value;
  }
  if (Object.keys(optimizer).length > 0) change.optimizer = optimizer;
  return Object.keys(change).length === 0 ? null : (change as TrainingSettings);
}

/** Whether two configs describe the same data (whatever order their keys come in). */
export function sameData(a: TrainingConfig, b: TrainingConfig): boolean {
  return sameJson(a.dataset, b.dataset);
}

/** Whether `draft` changes the run's data, network or loss: applying it starts the run over. */
export function resetsRun(draft: TrainingConfig, config: TrainingConfig): boolean {
  return !sameData(draft, config) || !sameJson(draft.model, config.model) || draft.loss !== config.loss;
}
