/** Coalescing a task that many triggers ask for, such as reloading the state after events. */

/**
 * Wraps `task` so that at most one run is in flight and at most one more is pending: triggers
 * that arrive during a run share the single run that starts after it, which is late enough to
 * see every change they announce. Each trigger resolves once a run that started after it ends.
 * Errors are the task's own business: the returned promise never rejects.
 */
export function coalesce(task: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const start = (): Promise<void> => {
    const run: Promise<void> = task()
      .catch(() => undefined)
      .finally(() => {
        if (inFlight === run) inFlight = null;
      });
    inFlight = run;
    return run;
  };

  return () => {
    if (queued !== null) return queued;
    if (inFlight === null) return start();
    queued = inFlight.then(() => {
      queued = null;
      return start();
    });
    return queued;
  };
}
