/** The fork form's fields as typed, and the request they make: each setting left blank stays as it was. */
import type { ForkRequest, RunSummary } from "./timelineApi";

/** What the form holds, as text. */
export interface ForkFields {
  lr: string;
  l2: string;
  batchSize: string;
}

export const BLANK_FORK: ForkFields = { lr: "", l2: "", batchSize: "" };

/** The request for a fork of `run` (null: the current one) at `step`, or why a field cannot be sent. */
export function forkRequest(
  step: number,
  run: number | null,
  fields: ForkFields,
): { request: ForkRequest; errors: null } | { request: null; errors: Partial<Record<keyof ForkFields, string>> } {
  const errors: Partial<Record<keyof ForkFields, string>> = {};
  const request: ForkRequest = run === null ? { step } : { step, run };
  const lr = number(fields.lr, (value) => value > 0, "a learning rate above 0");
  const l2 = number(fields.l2, (value) => value >= 0, "an L2 penalty of 0 or more");
  const batchSize = number(fields.batchSize, (value) => Number.isInteger(value) && value >= 1, "a whole batch size of 1 or more");
  if (typeof lr === "string") errors.lr = lr;
  else if (lr !== null) request.optimizer = { lr };
  if (typeof l2 === "string") errors.l2 = l2;
  else if (l2 !== null) request.l2 = l2;
  if (typeof batchSize === "string") errors.batchSize = batchSize;
  else if (batchSize !== null) request.batch_size = batchSize;
  return Object.keys(errors).length > 0 ? { request: null, errors } : { request, errors: null };
}

/** The number typed (null when blank), or a sentence asking for `wanted`. */
function number(text: string, fits: (value: number) => boolean, wanted: string): number | null | string {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && fits(value) ? value : `Enter ${wanted}, or leave it blank to keep it.`;
}

/**
 * The run whose initial weights a reset takes: the one `chosen` while it is kept, else the first run
 * of the setup (a fork keeps only the steps from its fork on, not step 0); null while there are none.
 */
export function originOf(chosen: number | null, runs: readonly Pick<RunSummary, "id" | "parent">[]): number | null {
  if (chosen !== null && runs.some((run) => run.id === chosen)) return chosen;
  return (runs.find((run) => run.parent === null) ?? runs[0])?.id ?? null;
}
