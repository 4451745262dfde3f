/** Each layer's weight and gradient distributions over the current run's kept steps, kept live. */
import { useEffect, useState } from "react";
import { coalesce } from "../state/coalesce";
import { throttle } from "../state/throttle";
import type { Workspace } from "../state/useWorkspace";
import { getHistograms, type Histograms } from "./timelineApi";

/** Bins per distribution: the heatmaps' rows. */
export const HISTOGRAM_BINS = 30;
/** One refresh a second: each bins every kept step again. */
const REFRESHES_PER_SECOND = 1;

/** Loads the histograms while a run is `configured`, and again on every "training" event (throttled). */
export function useHistograms(workspace: Workspace, configured: boolean): Histograms | null {
  const { access, listen } = workspace;
  const [histograms, setHistograms] = useState<Histograms | null>(null);

  useEffect(() => {
    if (!configured) {
      setHistograms(null);
      return;
    }
    let live = true;
    const load = coalesce(async () => {
      const loaded = await getHistograms(access, HISTOGRAM_BINS);
      if (live) setHistograms(loaded);
    });
    const throttled = throttle(() => void load(), 1000 / REFRESHES_PER_SECOND);
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
  return histograms;
}
