/**
 * Watching the loss across optimizer steps: the value backprop started from, noted at each
 * step, so a learning rate that makes it grow is said at once. Pure, so it can be tested.
 */
import { formatScalar } from "../format";

/** The values of one variable noted at each optimizer step, oldest first. */
export interface LossWatch {
  name: string;
  values: number[];
}

/** How many noted values are kept: the warning reads only the latest two. */
const KEPT = 8;

/** The watch with `value` of `name` noted at a step; a different name starts a new watch. */
export function noteStep(watch: LossWatch | null, name: string, value: number): LossWatch {
  const earlier = watch?.name === name ? watch.values : [];
  return { name, values: [...earlier, value].slice(-KEPT) };
}

/** The warning when the loss grew between the last two steps; null while it does not. */
export function growthWarning(watch: LossWatch | null): string | null {
  const [before, after] = watch?.values.slice(-2) ?? [];
  if (watch === null || before === undefined || after === undefined || !(after > before)) return null;
  return `${watch.name} grew from ${formatScalar(before)} to ${formatScalar(after)} since the last step: the learning rate may be too large; try a smaller one.`;
}
