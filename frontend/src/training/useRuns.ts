/** The kept runs of the workspace's training, kept live by its event stream, and forking a new one. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { coalesce } from "../state/coalesce";
import { throttle } from "../state/throttle";
import type { Workspace } from "../state/useWorkspace";
import { type ForkRequest, forkRun, getRuns, type RunSummary } from "./timelineApi";

/** At most this many refreshes a second: each carries every run's history. */
const REFRESHES_PER_SECOND = 2;

/** The runs and the action that adds one. */
export interface Runs {
  /** Oldest first, the current one last; empty while no run is configured. */
  runs: readonly RunSummary[];
  /** Continues from a kept step as a new, paused run; rejects with the server's ApiError. */
  fork(request: ForkRequest): Promise<void>;
}

/** Loads the runs while a run is `configured`, and again on every "training" event (throttled). */
export function useRuns(workspace: Workspace, configured: boolean): Runs {
  const { access, listen } = workspace;
  const [runs, setRuns] = useState<readonly RunSummary[]>([]);
  const refresh = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!configured) {
      setRuns([]);
      return;
    }
    let live = true;
    const load = coalesce(async () => {
      const loaded = await getRuns(access);
      if (live) setRuns(loaded.runs);
    });
    const throttled = throttle(() => void load(), 1000 / REFRESHES_PER_SECOND);
    refresh.current = throttled.trigger;
    throttled.trigger();
    const unlisten = listen((event) => {
      if (event.type === "training" || event.type === "resync") throttled.trigger();
    });
    return () => {
      live = false;
      throttled.cancel();
      unlisten();
    };
  }, [access, listen, configured]);

  const fork = useCallback(
    async (request: ForkRequest) => {
      await forkRun(access, request);
      refresh.current();
    },
    [access],
  );
  return useMemo(() => ({ runs, fork }), [runs, fork]);
}
