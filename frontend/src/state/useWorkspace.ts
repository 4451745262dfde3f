/** The workspace state hook: the one place the page's copy of a workspace lives. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { getVariableIfChanged, onWorkspace, type WorkspaceAccess } from "../api/client";
import type { ApiError } from "../api/errors";
import { answer, rest } from "../api/rest";
import { subscribeToEvents, type ConnectionStatus, type WorkspaceEvent } from "../api/events";
import type {
  AppliedGate,
  BackpropRequest,
  BackpropResult,
  EvalResult,
  GateApplication,
  GatePreview,
  NewVariable,
  OptimizerStep,
} from "../api/types";
import { asApiError } from "./asApiError";
import { awaitEvent } from "./awaitEvent";
import { deadEndOf, type DeadEnd } from "./deadEnd";
import type { LiveState } from "./liveState";
import { tensorCache, type TensorCache } from "./tensorCache";
import { workspaceSync, type WorkspaceSync } from "./workspaceSync";

/** How long the first load waits for the event stream to open before loading anyway. */
const STREAM_WAIT_MS = 1500;
/** How long an action waits for the event that shows its change before loading the whole state. */
export const EVENT_WAIT_MS = 2000;

/** A workspace as the page sees it, and the actions that change it. */
export interface Workspace {
  access: WorkspaceAccess;
  /** The page's copy of the workspace; null until the first load succeeds. */
  state: LiveState | null;
  /** Why the latest load failed; null when it succeeded. */
  loadError: ApiError | null;
  /** How the live event stream is doing. */
  connection: ConnectionStatus;
  /** Why the workspace can never be shown (then the page asks the server nothing more); null while it can. */
  deadEnd: DeadEnd | null;
  /** True when the token only reads (the viewer link). */
  viewer: boolean;
  /** True when nothing may be changed: a viewer (who sees no write control at all), or a damaged
   * workspace (whose write controls are disabled until its owner repairs it). */
  readOnly: boolean;
  /** Where views load the large tensors that events only summarise. */
  tensors: TensorCache;
  /**
   * Each action rejects with an ApiError if the server refuses. On success it resolves once the
   * state shows the change: when the event it caused has arrived, or after a reload when the
   * stream is not live or the event is late.
   */
  addVariable(variable: NewVariable): Promise<void>;
  applyGate(application: GateApplication): Promise<void>;
  /** What a gate would produce, without applying it (rejects as applying it would). */
  previewGate(application: GateApplication): Promise<GatePreview>;
  backprop(request: BackpropRequest): Promise<BackpropResult>;
  /** Runs a console program; ``again`` keeps the leaves it defines that exist (the next turn of a loop). */
  evaluate(source: string, again?: boolean, allowNonfinite?: boolean): Promise<EvalResult>;
  /** One optimizer update of the parameters it names. */
  optimizerStep(request: OptimizerStep): Promise<void>;
  zeroGrad(variables?: string[]): Promise<void>;
  setNoGrad(enabled: boolean): Promise<void>;
  /** Drops what a damaged workspace lost, so it can be changed again. */
  repair(): Promise<void>;
  /**
   * Hears every event of the workspace's one live stream (and every reopening, as a "resync"),
   * until the returned function is called; for views that keep state of their own, like training.
   */
  listen(listener: WorkspaceListener): () => void;
}

/** Hears one event of the live stream. */
export type WorkspaceListener = (event: WorkspaceEvent) => void;

/** Which event shows that an action's change is in the state; null when there is none to wait for. */
type Shows<T> = (answer: T) => ((event: WorkspaceEvent) => boolean) | null;

/**
 * Loads a workspace once and keeps it current from the live stream's events (so a script or
 * another tab shows up at once), loading it in full again only when an event cannot be applied,
 * when the stream reopens, or when an action's own event does not arrive in time. Stops asking
 * the server anything once the workspace turns out to be a dead end (deleted, or a wrong link).
 */
export function useWorkspace(id: string, token: string): Workspace {
  const access = useMemo<WorkspaceAccess>(() => ({ id, token }), [id, token]);
  const tensors = useMemo(() => tensorCache((name, etag) => getVariableIfChanged(access, name, etag)), [access]);
  const [state, setState] = useState<LiveState | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [connection, setConnection] = useState<ConnectionStatus>("connecting");
  const [deadEnd, setDeadEnd] = useState<DeadEnd | null>(null);

  // The sync of the current subscription, and whether its stream is live, for the actions.
  const sync = useRef<WorkspaceSync | null>(null);
  const live = useRef(false);
  const listeners = useRef(new Set<WorkspaceListener>());
  const listen = useCallback((listener: WorkspaceListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  useEffect(() => {
    const giveUp = (end: DeadEnd) => {
      setDeadEnd(end);
      stopAll();
    };
    /** Gives up when `error` is a dead end; false when trying again may work. */
    const gaveUpOn = (error: unknown): boolean => {
      const end = deadEndOf(asApiError(error));
      if (end !== null) giveUp(end);
      return end !== null;
    };
    const current = workspaceSync(() => answer(rest.GET("/api/workspaces/{workspace_id}", onWorkspace(access))), {
      state: setState,
      error: (error) => {
        if (error === null) setLoadError(null);
        else if (!gaveUpOn(error)) setLoadError(asApiError(error));
      },
    });
    sync.current = current;
    // The first load waits for the stream to open, so the state it reads includes every event
    // the stream will not send; if the stream fails first, it loads anyway (and shows why the
    // workspace cannot be opened). A proxy that holds the stream back must not keep the page
    // empty, so after a short wait it loads regardless.
    let asked = false;
    const loadAnyway = window.setTimeout(() => {
      if (!asked) {
        asked = true;
        void current.reload();
      }
    }, STREAM_WAIT_MS);
    const unsubscribe = subscribeToEvents(access, {
      onEvent: (event) => {
        current.hear(event);
        for (const listener of listeners.current) listener(event);
        if (event.type === "deleted") giveUp("deleted");
      },
      onTicketError: gaveUpOn,
      // The first load; or events may have been missed while a fresh stream was being opened.
      onOpen: () => {
        asked = true;
        void current.reload();
        for (const listener of listeners.current) listener({ seq: 0, type: "resync" });
      },
      onStatus: (status) => {
        live.current = status === "live";
        setConnection(status);
        if (status === "reconnecting" && !asked) {
          asked = true;
          void current.reload();
        }
      },
    });
    const stopAll = () => {
      window.clearTimeout(loadAnyway);
      unsubscribe();
      current.stop();
      live.current = false;
    };
    return stopAll;
  }, [access]);

  /**
   * Sends a change; then, when the stream is live, waits for the event that shows it (heard
   * during the request or soon after), and otherwise, or if it is late, loads the whole state.
   */
  const change = useCallback(
    async <T>(send: () => Promise<T>, shows: Shows<T>): Promise<T> => {
      const heard: WorkspaceEvent[] = [];
      const stopHearing = listen((event) => heard.push(event));
      try {
        const answer = await send();
        const expected = shows(answer);
        if (expected === null) return answer;
        if (!live.current || !(await awaitEvent(listen, expected, heard, EVENT_WAIT_MS))) await sync.current?.reload();
        return answer;
      } finally {
        stopHearing();
      }
    },
    [listen],
  );

  return useMemo(() => {
    // Zero grad and no-grad mode answer with the whole state, which is as good as a load.
    const adopt = async (send: () => Promise<Parameters<WorkspaceSync["adopt"]>[0]>) => {
      sync.current?.adopt(await send());
    };
    return {
      access,
      state,
      loadError,
      connection,
      deadEnd,
      viewer: state?.access === "read",
      readOnly: state?.access === "read" || Boolean(state?.damage),
      tensors,
      addVariable: (variable) =>
        change(
          () => answer(rest.POST("/api/workspaces/{workspace_id}/variables", { ...onWorkspace(access), body: variable })),
          (created) => (event) => event.type === "variable_created" && event.variable.name === created.name,
        ).then(() => undefined),
      applyGate: (application) =>
        change(
          () => (answer(rest.POST("/api/workspaces/{workspace_id}/gates", { ...onWorkspace(access), body: application })) as Promise<AppliedGate>),
          (applied) => (event) => event.type === "node_recorded" && event.node.id === applied.node.id,
        ).then(() => undefined),
      previewGate: (application) => answer(rest.POST("/api/workspaces/{workspace_id}/gates", { ...onWorkspace(access), body: { ...application, dry_run: true } })) as Promise<GatePreview>,
      backprop: (request) =>
        change(
          () => answer(rest.POST("/api/workspaces/{workspace_id}/backprop", { ...onWorkspace(access), body: request })),
          () => (event) => event.type === "backprop_done" && event.variable === request.variable,
        ),
      optimizerStep: (request) =>
        change(
          () => answer(rest.POST("/api/workspaces/{workspace_id}/optimizer/step", { ...onWorkspace(access), body: request })),
          () => (event) => event.type === "optimizer_step" && event.optimizer === request.optimizer,
        ).then(() => undefined),
      evaluate: (source, again = false, allowNonfinite = false) =>
        change(
          () => answer(rest.POST("/api/workspaces/{workspace_id}/eval", { ...onWorkspace(access), body: { source, again, allow_nonfinite: allowNonfinite } })),
          ({ nodes, created = [] }) => {
            // One operation's events arrive together: hearing its last node (or leaf) is hearing it all.
            const last = nodes.at(-1);
            if (last !== undefined) return (event) => event.type === "node_recorded" && event.node.id === last.id;
            const leaf = created.at(-1);
            return leaf === undefined ? null : (event) => event.type === "variable_created" && event.variable.name === leaf;
          },
        ),
      zeroGrad: (variables) => adopt(() => answer(rest.POST("/api/workspaces/{workspace_id}/zero_grad", { ...onWorkspace(access), body: variables === undefined ? {} : { variables } }))),
      setNoGrad: (enabled) => adopt(() => answer(rest.PUT("/api/workspaces/{workspace_id}/no_grad", { ...onWorkspace(access), body: { enabled } }))),
      repair: () => adopt(() => answer(rest.POST("/api/workspaces/{workspace_id}/repair", onWorkspace(access)))),
      listen,
    };
  }, [access, state, loadError, connection, deadEnd, tensors, change, listen]);
}
