/** The workspace state hook: the one place the page's copy of a workspace lives. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import * as api from "../api/client";
import type { WorkspaceAccess } from "../api/client";
import type { ApiError } from "../api/errors";
import type { BackpropRequest, GateApplication, NewVariable, WorkspaceState } from "../api/types";
import { asApiError } from "./asApiError";

/** A workspace as the page sees it, and the actions that change it. */
export interface Workspace {
  /** The last state loaded from the server; null until the first load succeeds. */
  state: WorkspaceState | null;
  /** Why the latest load failed; null when it succeeded. */
  loadError: ApiError | null;
  /** Each action rejects with an ApiError if the server refuses; on success the state is reloaded. */
  addVariable(variable: NewVariable): Promise<void>;
  applyGate(application: GateApplication): Promise<void>;
  backprop(request: BackpropRequest): Promise<void>;
}

/** Loads a workspace and reloads it after every change made through the returned actions. */
export function useWorkspace(id: string, token: string): Workspace {
  const access = useMemo<WorkspaceAccess>(() => ({ id, token }), [id, token]);
  const [state, setState] = useState<WorkspaceState | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const loaded = await api.getWorkspace(access);
      if (ticket !== latest.current) return;
      setState(loaded);
      setLoadError(null);
    } catch (error) {
      if (ticket === latest.current) setLoadError(asApiError(error));
    }
  }, [access]);

  useEffect(() => {
    void reload();
    return () => {
      latest.current++; // answers to requests made before now are stale
    };
  }, [reload]);

  const mutate = useCallback(
    async (change: () => Promise<unknown>) => {
      await change();
      await reload();
    },
    [reload],
  );

  return useMemo(
    () => ({
      state,
      loadError,
      addVariable: (variable) => mutate(() => api.addVariable(access, variable)),
      applyGate: (application) => mutate(() => api.applyGate(access, application)),
      backprop: (request) => mutate(() => api.backprop(access, request)),
    }),
    [state, loadError, mutate, access],
  );
}
