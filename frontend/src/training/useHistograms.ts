/** Each layer's weight and gradient distributions over the current run's kept steps, kept live while shown. */
import { useEffect, useRef, useState } from "react";
import { coalesce } from "../state/coalesce";
import { throttle } from "../state/throttle";
import type { Workspace } from "../state/useWorkspace";
import { getHistograms, type Histograms } from "./timelineApi";

/** Bins per distribution: the heatmaps' rows. */
export const HISTOGRAM_BINS = 30;
/** At most one refresh in this long: each bins every kept step again, under the workspace's lock. */
const REFRESH_INTERVAL_MS = 3000;

/**
 * Loads the histograms while they are `shown` (their panel in view), and again when the kept steps
 * change (`kept`: the run and its newest kept step; null while there is no run), at most once per
 * REFRESH_INTERVAL_MS. Hidden, the last ones loaded stay, and nothing is asked.
 */
export function useHistograms(workspace: Workspace, shown: boolean, kept: string | null): Histograms | null {
  const { access } = workspace;
  const [histograms, setHistograms] = useState<Histograms | null>(null);
  const refresh = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!shown) return;
    let live = true;
    const load = coalesce(async () => {
      const loaded = await getHistograms(access, HISTOGRAM_BINS);
      if (live) setHistograms(loaded);
    });
    const throttled = throttle(() => void load(), REFRESH_INTERVAL_MS);
    refresh.current = throttled.trigger;
    return () => {
      live = false;
      throttled.cancel();
      refresh.current = () => undefined;
    };
  }, [access, shown]);

  useEffect(() => {
    if (kept === null) setHistograms(null);
    else if (shown) refresh.current();
  }, [shown, kept]);
  return histograms;
}
