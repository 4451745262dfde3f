/**
 * The gradients as they stand at one backprop step: pending until backprop reaches a variable,
 * then its running sum. Pure, so the player and its tests share it.
 */
import type { NestedNumbers } from "../api/types";
import type { PlayedStep } from "./animation";

/** A variable's gradient at the step shown: not reached yet, or its value and what the step added. */
export type GradAtStep =
  | { kind: "pending" }
  | { kind: "value"; value: NestedNumbers; added: NestedNumbers | null };

const PENDING: GradAtStep = { kind: "pending" };

/**
 * The gradient of every variable backprop reaches, after step `index` of `steps` (-1: before the
 * first step, when each shows its grad from `before`, pending if unknown). A variable is set when
 * it flows into a step (its `upstream`) or receives from one (its `accumulated`, the running
 * sum); `added` is set only at the step that adds it.
 */
export function gradsAtStep(
  before: Readonly<Record<string, NestedNumbers | null>>,
  steps: readonly PlayedStep[],
  index: number,
): Record<string, GradAtStep> {
  const grads: Record<string, GradAtStep> = {};
  for (const name of reachedNames(steps)) grads[name] = index < 0 ? fromBefore(before[name]) : PENDING;
  steps.slice(0, Math.max(0, index + 1)).forEach((step, at) => {
    for (const [name, value] of Object.entries(step.upstream)) grads[name] = settled(value);
    for (const [name, value] of Object.entries(step.accumulated)) {
      const added = at === index ? (step.grads[name] ?? null) : null;
      grads[name] = { kind: "value", value, added };
    }
  });
  return grads;
}

function reachedNames(steps: readonly PlayedStep[]): Set<string> {
  return new Set(steps.flatMap((step) => [...Object.keys(step.upstream), ...Object.keys(step.accumulated)]));
}

function fromBefore(grad: NestedNumbers | null | undefined): GradAtStep {
  return grad === null || grad === undefined ? PENDING : settled(grad);
}

function settled(value: NestedNumbers): GradAtStep {
  return { kind: "value", value, added: null };
}
