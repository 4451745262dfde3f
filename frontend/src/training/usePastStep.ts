/** The boundary and the network as they stood at a kept step, asked of the server once each and cached. */
import { useEffect, useMemo, useState } from "react";
import type { DecisionBoundary, NetworkDrawing } from "../api/types";
import { asApiError } from "../state/asApiError";
import type { Workspace } from "../state/useWorkspace";
import { StepCache } from "./timeline";
import { getBoundaryAt, getNetworkAt } from "./timelineApi";
import { NETWORK_RESOLUTION } from "./useNetwork";
import { BOUNDARY_RESOLUTION } from "./useTraining";

/** Past steps' drawings kept in the page: a long replay's worth. */
const CACHED_STEPS = 400;
/** How long to wait before asking again when the server's heavy slots are taken (a running step). */
const RETRY_MS = 250;

/** A past step as drawn: its boundary and network. */
export interface PastStep {
  step: number;
  boundary: DecisionBoundary;
  network: NetworkDrawing;
}

/**
 * The drawings of `step` of the current run (null: live, nothing to load). `scope` names the run
 * whose steps these are (its id and setup): a new scope forgets every drawing cached for another.
 * While a step loads, the last one shown stays. A step the timeline thinned away is not retried:
 * the timeline's next refresh moves the selection to a kept one.
 */
export function usePastStep(workspace: Workspace, scope: string, step: number | null): PastStep | null {
  const { access } = workspace;
  const cache = useMemo(() => new StepCache<PastStep>(CACHED_STEPS), []);
  const [shown, setShown] = useState<PastStep | null>(null);

  useEffect(() => cache.clear(), [cache, scope]);

  useEffect(() => {
    if (step === null) {
      setShown(null);
      return;
    }
    const key = `${scope}@${step}`;
    const cached = cache.get(key);
    if (cached !== undefined) {
      setShown(cached);
      return;
    }
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      Promise.all([getBoundaryAt(access, step, BOUNDARY_RESOLUTION), getNetworkAt(access, step, NETWORK_RESOLUTION)]).then(
        ([boundary, network]) => {
          const past = { step, boundary, network };
          cache.set(key, past);
          if (live) setShown(past);
        },
        (caught: unknown) => {
          const error = asApiError(caught);
          if (live && error.code === "too_many_requests") retry = setTimeout(load, RETRY_MS);
        },
      );
    };
    load();
    return () => {
      live = false;
      clearTimeout(retry);
    };
  }, [access, cache, scope, step]);

  return shown;
}
