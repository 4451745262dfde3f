/** The workspace state hook: the one place the page's copy of a workspace lives. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import * as api from "../api/client";
import type { WorkspaceAccess } from "../api/client";
import type { ApiError } from "../api/errors";
import { subscribeToEvents, type ConnectionStatus, type WorkspaceEvent } from "../api/events";
import type {
  BackpropRequest,
  BackpropResult,
  EvalResult,
  GateApplication,
  NewVariable,
} from "../api/types";
import { asApiError } from "./asApiError";
import { fromLoaded, type LiveState } from "./liveState";
import { reloads } from "./reloads";

/** How long the first load waits for the event stream to open before loading anyway. */
const STREAM_WAIT_MS = 1500;

/** A workspace as the page sees it, and the actions that change it. */
export interface Workspace {
  access: WorkspaceAccess;
  /** The last state loaded from the server, as the page holds it; null until the first load succeeds. */
  state: LiveState | null;
  /** Why the latest load failed; null when it succeeded. */
  loadError: ApiError | null;
  /** How the live event stream is doing. */
  connection: ConnectionStatus;
  /** True once the server announced that the workspace was deleted. */
  deleted: boolean;
  /** True when the token only reads (the viewer link): every write control is disabled. */
  readOnly: boolean;
  /** Each action rejects with an ApiError if the server refuses; on success the state is reloaded. */
  addVariable(variable: NewVariable): Promise<void>;
  applyGate(application: GateApplication): Promise<void>;
  backprop(request: BackpropRequest): Promise<BackpropResult>;
  evaluate(source: string): Promise<EvalResult>;
  zeroGrad(variables?: string[]): Promise<void>;
  setNoGrad(enabled: boolean): Promise<void>;
  /**
   * Hears every event of the workspace's one live stream (and every reopening, as a "resync"),
   * until the returned function is called; for views that keep state of their own, like training.
   */
  listen(listener: WorkspaceListener): () => void;
}

/** Hears one event of the live stream. */
export type WorkspaceListener = (event: WorkspaceEvent) => void;

/**
 * Loads a workspace and keeps it current: after every change made through the returned actions
 * and after every event of the live stream (so a script or another tab shows up at once), unless
 * the state on screen already includes that event. Reloads are coalesced: at most one in flight
 * and one pending, however many events arrive.
 */
export function useWorkspace(id: string, token: string): Workspace {
  const access = useMemo<WorkspaceAccess>(() => ({ id, token }), [id, token]);
  const [state, setState] = useState<LiveState | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [connection, setConnection] = useState<ConnectionStatus>("connecting");
  const [deleted, setDeleted] = useState(false);

  // The reload of the current subscription; actions call it after a change succeeds.
  const reload = useRef<() => Promise<void>>(() => Promise.resolve());
  const listeners = useRef(new Set<WorkspaceListener>());
  const listen = useCallback((listener: WorkspaceListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  useEffect(() => {
    let live = true; // answers to requests made before the cleanup are stale
    const { reload: reloadAll, reloadFor } = reloads(async () => {
      try {
        const loaded = await api.getWorkspace(access);
        if (!live) return null;
        setState(fromLoaded(loaded));
        setLoadError(null);
        return loaded.seq;
      } catch (error) {
        if (live) setLoadError(asApiError(error));
        return null;
      }
    });
    reload.current = reloadAll;
    // The first load waits for the stream to open, so the state it reads includes every event
    // the stream will not send and no second load is needed; if the stream fails first, it
    // loads anyway (and shows why the workspace cannot be opened). A proxy that holds the
    // stream back must not keep the page empty, so after a short wait it loads regardless.
    let asked = false;
    const loadAnyway = window.setTimeout(() => {
      if (!asked) {
        asked = true;
        void reloadAll();
      }
    }, STREAM_WAIT_MS);
    const unsubscribe = subscribeToEvents(access, {
      onEvent: (event) => {
        if (event.type === "deleted") setDeleted(true);
        else if (event.type === "resync") void reloadAll();
        else void reloadFor(event.seq);
        for (const listener of listeners.current) listener(event);
      },
      // The first load; or events may have been missed while a fresh stream was being opened.
      onOpen: () => {
        asked = true;
        void reloadAll();
        for (const listener of listeners.current) listener({ seq: 0, type: "resync" });
      },
      onStatus: (status) => {
        setConnection(status);
        if (status === "reconnecting" && !asked) {
          asked = true;
          void reloadAll();
        }
      },
    });
    return () => {
      live = false;
      window.clearTimeout(loadAnyway);
      unsubscribe();
    };
  }, [access]);

  return useMemo(() => {
    async function mutate<T>(change: () => Promise<T>): Promise<T> {
      const result = await change();
      await reload.current();
      return result;
    }
    return {
      access,
      state,
      loadError,
      connection,
      deleted,
      readOnly: state?.access === "read",
      addVariable: (variable) => mutate(() => api.addVariable(access, variable)).then(() => undefined),
      applyGate: (application) => mutate(() => api.applyGate(access, application)).then(() => undefined),
      backprop: (request) => mutate(() => api.backprop(access, request)),
      evaluate: (source) => mutate(() => api.evaluate(access, source)),
      zeroGrad: (variables) => mutate(() => api.zeroGrad(access, variables)).then(() => undefined),
      setNoGrad: (enabled) => mutate(() => api.setNoGrad(access, enabled)).then(() => undefined),
      listen,
    };
  }, [access, state, loadError, connection, deleted, listen]);
}
