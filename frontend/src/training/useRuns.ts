/** The kept runs of the workspace's training, kept live by its event stream, and forking a new one. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Workspace } from "../state/useWorkspace";
import { reloadOnEvents } from "./reloading";
import { type ForkRequest, forkRun, getRuns, type RunSummary } from "./timelineApi";

/**
 * At most this many refreshes a second. With two runs or more their curves are compared, and each
 * refresh carries every run's growing history; with one there is nothing to compare, and a
 * refresh (without histories) only watches for a run made elsewhere.
 */
const COMPARING_REFRESHES_PER_SECOND = 1;
const LISTING_REFRESHES_PER_SECOND = 0.5;

/** The runs and the action that adds one. */
export interface Runs {
  /** Oldest first, the current one last; empty while no run is configured. */
  runs: readonly RunSummary[];
  /** Continues from a kept step as a new, paused run; rejects with the server's ApiError. */
  fork(request: ForkRequest): Promise<void>;
}

/**
 * Loads the runs while a run is `configured`, and again on every "training" event (throttled):
 * with their histories once there are two to compare, without while there is one.
 */
export function useRuns(workspace: Workspace, configured: boolean): Runs {
  const { access, listen } = workspace;
  const [runs, setRuns] = useState<readonly RunSummary[]>([]);
  const refresh = useRef<() => void>(() => undefined);
  const comparing = runs.length >= 2;

  useEffect(() => {
    if (!configured) {
      setRuns([]);
      return;
    }
    const perSecond = comparing ? COMPARING_REFRESHES_PER_SECOND : LISTING_REFRESHES_PER_SECOND;
    const reloading = reloadOnEvents(listen, ["training", "resync"], perSecond, async ({ isLive }) => {
      const loaded = await getRuns(access, comparing);
      if (isLive()) setRuns(loaded.runs);
    });
    refresh.current = reloading.trigger;
    return reloading.stop;
  }, [access, listen, configured, comparing]);

  const fork = useCallback(
    async (request: ForkRequest) => {
      await forkRun(access, request);
      refresh.current();
    },
    [access],
  );
  return useMemo(() => ({ runs, fork }), [runs, fork]);
}
