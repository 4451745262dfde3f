/**
 * Keeping the page's copy of a workspace current: loaded in full once, then changed by each event
 * of the live stream, and loaded in full again only when an event cannot be applied exactly.
 * Framework-free, so the rules about loads and events in flight can be tested.
 */
import type { WorkspaceEvent } from "../api/events";
import type { WorkspaceState } from "../api/types";
import { applyEvent } from "./applyEvent";
import { coalesce } from "./coalesce";
import { fromLoaded, type LiveState } from "./liveState";

/** The page's copy of a workspace, fed by the event stream and by whole states. */
export interface WorkspaceSync {
  /** Applies one event of the stream, or loads the whole state when it cannot be applied. */
  hear(event: WorkspaceEvent): void;
  /**
   * Loads the whole state, whatever the copy holds (the first load, a resync, a reopened stream).
   * Loads are coalesced (one in flight, one pending); resolves once a load that started after
   * the call ended, and never rejects: failures go to `report.error`.
   */
  reload(): Promise<void>;
  /** Takes a whole state an action answered with, unless the copy already includes newer events. */
  adopt(state: WorkspaceState): void;
  /** Drops every answer still to come. */
  stop(): void;
}

/** Where the sync reports what the page should show. */
export interface SyncReport {
  state(state: LiveState): void;
  /** Why the latest load failed, or null once one succeeded. */
  error(error: unknown): void;
}

/**
 * A sync that loads with `load`. Events heard while a load is in flight are kept, and those the
 * loaded state does not include yet are applied on top of it, so none is lost or applied twice.
 */
export function workspaceSync(load: () => Promise<WorkspaceState>, report: SyncReport): WorkspaceSync {
  let shown: LiveState | null = null;
  // Whether the events heard can be applied to `shown`: not before the first load, nor after an
  // event could not be applied, until a load succeeds.
  let trusted = false;
  let loading = false;
  let heardWhileLoading: WorkspaceEvent[] = [];
  let stopped = false;

  const show = (state: LiveState) => {
    shown = state;
    if (!stopped) report.state(state);
  };

  /** `base` with the events heard during the load applied; false when one cannot be. */
  const settle = (base: LiveState): boolean => {
    let state = base;
    for (const event of heardWhileLoading) {
      const outcome = applyEvent(state, event);
      if (!outcome.ok) return false;
      state = outcome.state;
    }
    show(state);
    trusted = true;
    return true;
  };

  const reload = coalesce(async () => {
    if (stopped) return;
    loading = true;
    // The load's answer includes every event heard before it was sent.
    heardWhileLoading = [];
    let settled = true;
    try {
      const loaded = await load();
      if (stopped) return;
      report.error(null);
      // A whole state adopted meanwhile may be newer than this one.
      const base = !trusted || shown === null || loaded.seq >= shown.seq ? fromLoaded(loaded) : shown;
      settled = settle(base);
    } catch (error) {
      // The next event, or the stream reopening, asks again.
      trusted = false;
      if (!stopped) report.error(error);
    } finally {
      loading = false;
      heardWhileLoading = [];
    }
    if (!settled) {
      // An event heard meanwhile could not be applied: only a newer state can include it.
      trusted = false;
      void reload();
    }
  });

  return {
    hear(event) {
      if (stopped) return;
      if (loading) heardWhileLoading.push(event);
      if (!trusted || shown === null) {
        if (!loading) void reload(); // the last load failed: this event may be the server back
        return;
      }
      const outcome = applyEvent(shown, event);
      if (outcome.ok) {
        if (outcome.state !== shown) show(outcome.state);
        return;
      }
      trusted = false;
      void reload();
    },
    reload,
    adopt(state) {
      if (stopped || (trusted && shown !== null && state.seq < shown.seq)) return;
      if (!settle(fromLoaded(state))) trusted = false;
    },
    stop() {
      stopped = true;
    },
  };
}
