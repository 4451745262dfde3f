/** Throttling a task that events ask for faster than it is worth running (a few times a second). */

/** A throttled task: trigger as often as you like; cancel when the caller goes away. */
export interface Throttled {
  trigger(): void;
  cancel(): void;
}

/**
 * Wraps `task` so that it runs at most once per `intervalMs`: a trigger runs it at once when the
 * last run is long enough ago, otherwise one run is scheduled for when the interval is over, and
 * every trigger until then shares it. The last trigger is never dropped.
 */
export function throttle(task: () => void, intervalMs: number): Throttled {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    last = Date.now();
    task();
  };
  return {
    trigger() {
      if (timer !== null) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
