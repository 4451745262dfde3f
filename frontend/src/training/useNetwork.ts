/** The network's drawing, kept live by the workspace's event stream, and the weight edit. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { onWorkspace } from "../api/client";
import { answer, rest } from "../api/rest";
import type { NetworkDrawing, WeightEdit } from "../api/types";
import { asApiError } from "../state/asApiError";
import type { Workspace } from "../state/useWorkspace";
import { reloadOnEvents } from "./reloading";

/** At most this many refreshes a second, as the boundary's. */
const REFRESHES_PER_SECOND = 4;
/** Cells per side of every tile. */
export const NETWORK_RESOLUTION = 20;

/** The drawing and the action that changes it. */
export interface Network {
  /** The latest drawing; null before the first load and while no run is configured. */
  drawing: NetworkDrawing | null;
  /** Sets one weight; rejects with the server's ApiError (422: an unknown parameter, a bad index or value). */
  editWeight(edit: WeightEdit): Promise<void>;
}

/**
 * Loads the drawing and loads it again on every "training" and "weight_edited" event (and on a
 * resync), throttled to a few refreshes a second so a fast run never floods the page. A failed
 * load keeps the last drawing: the training view already says when the run cannot be refreshed.
 * Before a run is `configured` there is no network to draw, and nothing is asked.
 */
export function useNetwork(workspace: Workspace, configured: boolean): Network {
  const { access, listen } = workspace;
  const [drawing, setDrawing] = useState<NetworkDrawing | null>(null);
  const refresh = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!configured) {
      setDrawing(null);
      return;
    }
    const reloading = reloadOnEvents(listen, ["training", "weight_edited", "resync"], REFRESHES_PER_SECOND, async ({ isLive, again }) => {
      try {
        const loaded = await answer(rest.GET("/api/workspaces/{workspace_id}/training/network", onWorkspace(access, { resolution: NETWORK_RESOLUTION })));
        if (isLive()) setDrawing(loaded);
      } catch (caught) {
        // The heavy slots were taken (a step, the boundary): try again, or the drawing would
        // miss the latest change. "no_training" and other failures show in the training view.
        if (isLive() && asApiError(caught).code === "too_many_requests") again();
      }
    });
    refresh.current = reloading.trigger;
    return reloading.stop;
  }, [access, listen, configured]);

  const editWeight = useCallback(
    async (edit: WeightEdit) => {
      await answer(rest.PUT("/api/workspaces/{workspace_id}/training/weights", { ...onWorkspace(access), body: edit }));
      refresh.current();
    },
    [access],
  );
  return useMemo(() => ({ drawing, editWeight }), [drawing, editWeight]);
}
