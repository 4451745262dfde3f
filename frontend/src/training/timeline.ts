/** Scrubbing a run's timeline: which kept step is shown, how it reads, and the drawings kept for it. */
import type { KeptStep } from "./timelineApi";

/** "Step 120 · epoch 3", what the slider says of the step it stands at. */
export function stepLabel(kept: Pick<KeptStep, "step" | "epoch">): string {
  return `Step ${kept.step} · epoch ${kept.epoch}`;
}

/** The kept step nearest `step` (the earlier of two as near); null when nothing is kept. */
export function nearestKept(steps: readonly number[], step: number): number | null {
  let best: number | null = null;
  for (const kept of steps) {
    if (best === null || Math.abs(kept - step) < Math.abs(best - step)) best = kept;
  }
  return best;
}

/**
 * The step a replay shows after `step`, `stride` kept steps on; null once it has passed the newest
 * (the replay is over). A step no longer kept (the timeline thinned) counts from the nearest one.
 */
export function playedAfter(steps: readonly number[], step: number, stride: number): number | null {
  const from = nearestKept(steps, step);
  if (from === null) return null;
  return steps[steps.indexOf(from) + stride] ?? null;
}

/** Kept steps a replay moves on per tick, and ticks a second, for each offered speed. */
export const REPLAY_SPEEDS = [
  { label: "0.5×", stride: 1, perSecond: 2 },
  { label: "1×", stride: 1, perSecond: 5 },
  { label: "4×", stride: 2, perSecond: 10 },
  { label: "16×", stride: 8, perSecond: 10 },
] as const;

/**
 * Drawings of past steps by key, the oldest forgotten past `limit`: a kept step's parameters never
 * change, so its drawing is asked once; `clear` when the run itself is replaced.
 */
export class StepCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get(key: string): T | undefined {
    const found = this.entries.get(key);
    if (found !== undefined) {
      // Recently used: moved to the end, the last to be forgotten.
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
