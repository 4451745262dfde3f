/** The training run as the page sees it, kept live by the workspace's event stream, and its controls. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { onWorkspace } from "../api/client";
import { answer, rest } from "../api/rest";
import type { ApiError } from "../api/errors";
import type { DecisionBoundary, TrainingConfig, TrainingPoints, TrainingSettings, TrainingStatus } from "../api/types";
import { asApiError } from "../state/asApiError";
import { coalesce } from "../state/coalesce";
import { throttle } from "../state/throttle";
import type { Workspace } from "../state/useWorkspace";
import type { TrainingAction } from "./actions";

/** At most this many refreshes a second, however fast training events arrive. */
const REFRESHES_PER_SECOND = 4;
/** Cells per side of the decision boundary's grid. */
export const BOUNDARY_RESOLUTION = 40;

/** A training run, what it has learned so far, and the actions that drive it. */
export interface Training {
  /** The run's latest status (state "unconfigured" before a run is set up); null before the first load. */
  status: TrainingStatus | null;
  /** True once the server has answered, with a run or with "none configured yet". */
  loaded: boolean;
  points: TrainingPoints | null;
  boundary: DecisionBoundary | null;
  /** Why the latest refresh failed (other than "no run yet"); null when it succeeded. */
  loadError: ApiError | null;
  /** Sets up (or replaces) the run; rejects with the server's ApiError (a 422 names the fields). */
  configure(config: TrainingConfig): Promise<void>;
  /** Changes the run's training settings without a reset; rejects with the server's ApiError. */
  adjust(settings: TrainingSettings): Promise<void>;
  /**
   * Train, Pause, Step or Reset; rejects with an ApiError (409 when the state does not allow it).
   * Before a run is set up, Train and Step first set up `setup`.
   */
  control(action: TrainingAction, setup: TrainingConfig): Promise<void>;
}

/**
 * Loads the workspace's training run and refreshes it (status and boundary together) on every
 * "training" event, throttled to a few refreshes a second so a fast run never floods the page.
 * The dataset's points are loaded again only when the dataset's config or the user's points change.
 */
export function useTraining(workspace: Workspace): Training {
  const { access, listen } = workspace;
  const [status, setStatus] = useState<TrainingStatus | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [boundary, setBoundary] = useState<DecisionBoundary | null>(null);
  const [points, setPoints] = useState<TrainingPoints | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  // Counts changes of the user's own points, which the dataset's config does not show.
  const [dataVersion, setDataVersion] = useState(0);
  const refresh = useRef<() => void>(() => undefined);
  // Counts the answers of Apply and the controls: a refresh that started before the latest one
  // may carry an older status (say "running" after Pause answered "paused"), so it is dropped.
  const changes = useRef(0);

  useEffect(() => {
    let live = true; // answers to requests made before the cleanup are stale
    const load = coalesce(async () => {
      const seen = changes.current;
      try {
        const [loadedStatus, loadedBoundary] = await Promise.all([
          answer(rest.GET("/api/workspaces/{workspace_id}/training", onWorkspace(access))),
          answer(rest.GET("/api/workspaces/{workspace_id}/training/boundary", onWorkspace(access, { resolution: BOUNDARY_RESOLUTION }))),
        ]);
        if (!live || seen !== changes.current) return;
        setStatus(loadedStatus);
        setBoundary(loadedBoundary);
        setLoadError(null);
      } catch (caught) {
        if (!live) return;
        const error = asApiError(caught);
        if (error.code === "no_training") setStatus(null);
        else setLoadError(error);
      } finally {
        if (live) setLoaded(true);
      }
    });
    const throttled = throttle(() => void load(), 1000 / REFRESHES_PER_SECOND);
    refresh.current = throttled.trigger;
    throttled.trigger();
    const unlisten = listen((event) => {
      if (event.type === "training" || event.type === "weight_edited" || event.type === "resync") throttled.trigger();
      if (event.type === "training_data" || event.type === "resync") setDataVersion((version) => version + 1);
    });
    return () => {
      live = false;
      throttled.cancel();
      unlisten();
    };
  }, [access, listen]);

  const dataset = status === null ? null : JSON.stringify(status.config.dataset);
  useEffect(() => {
    if (dataset === null) return;
    let live = true;
    (answer(rest.GET("/api/workspaces/{workspace_id}/training/points", onWorkspace(access))) as Promise<TrainingPoints>).then(
      (loadedPoints) => live && setPoints(loadedPoints),
      (error: unknown) => live && setLoadError(asApiError(error)),
    );
    return () => {
      live = false;
    };
  }, [access, dataset, dataVersion]);

  // An action's answer is newer than any refresh already under way; the rest refreshes after it.
  const adopt = useCallback((answered: TrainingStatus) => {
    changes.current += 1;
    setStatus(answered);
    refresh.current();
  }, []);
  const configure = useCallback(
    async (config: TrainingConfig) => adopt(await answer(rest.PUT("/api/workspaces/{workspace_id}/training", { ...onWorkspace(access), body: config }))),
    [access, adopt],
  );
  const adjust = useCallback(
    async (settings: TrainingSettings) => adopt(await answer(rest.PATCH("/api/workspaces/{workspace_id}/training", { ...onWorkspace(access), body: settings }))),
    [access, adopt],
  );
  const control = useCallback(
    async (action: TrainingAction, setup: TrainingConfig) => {
      if (status?.state === "unconfigured") await answer(rest.PUT("/api/workspaces/{workspace_id}/training", { ...onWorkspace(access), body: setup }));
      adopt(await answer(rest.POST(`/api/workspaces/{workspace_id}/training/${action}`, onWorkspace(access))));
    },
    [access, adopt, status?.state],
  );

  return useMemo(
    () => ({ status, loaded, points, boundary, loadError, configure, adjust, control }),
    [status, loaded, points, boundary, loadError, configure, adjust, control],
  );
}
