/** Running only the latest of many requests for the same work, such as laying a graph out. */

/**
 * Wraps `task` so that at most one run is in flight and at most one input waits. A request made
 * while a run is in flight replaces the waiting one, which resolves to null without ever
 * running: only the latest input matters once a newer one exists. The others resolve (or
 * reject) with their own run's result.
 */
export function latestOnly<I, O>(task: (input: I) => Promise<O>): (input: I) => Promise<O | null> {
  interface Request {
    input: I;
    resolve: (output: O | null) => void;
    reject: (error: unknown) => void;
  }
  let running = false;
  let waiting: Request | null = null;

  const run = ({ input, resolve, reject }: Request) => {
    running = true;
    task(input)
      .then(resolve, reject)
      .finally(() => {
        running = false;
        const next = waiting;
        waiting = null;
        if (next !== null) run(next);
      });
  };

  return (input) =>
    new Promise<O | null>((resolve, reject) => {
      const request = { input, resolve, reject };
      if (running) {
        waiting?.resolve(null);
        waiting = request;
      } else {
        run(request);
      }
    });
}
