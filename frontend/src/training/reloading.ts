/**
 * The loop the training view's live drawings share: load once, then again on the events that
 * change what they show, throttled so a fast run never floods the page; once stopped, a late
 * answer is dropped.
 */
import { coalesce } from "../state/coalesce";
import { throttle } from "../state/throttle";
import type { Workspace } from "../state/useWorkspace";

/** A running reload loop: `trigger` asks for a reload (throttled), `stop` ends the loop. */
export interface Reloading {
  trigger: () => void;
  stop: () => void;
}

/** What a load is told: whether its answer is still wanted, and how to ask for one more. */
export interface LoadTurn {
  isLive: () => boolean;
  again: () => void;
}

/**
 * Runs `load` now and on each event whose type is in `on`, at most `perSecond` times a second;
 * a load asked for while one runs shares the next run (see coalesce).
 */
export function reloadOnEvents(
  listen: Workspace["listen"],
  on: readonly string[],
  perSecond: number,
  load: (turn: LoadTurn) => Promise<void>,
): Reloading {
  let live = true;
  const turn: LoadTurn = { isLive: () => live, again: () => throttled.trigger() };
  const loading = coalesce(() => load(turn));
  const throttled = throttle(() => void loading(), 1000 / perSecond);
  throttled.trigger();
  const unlisten = listen((event) => {
    if (on.includes(event.type)) throttled.trigger();
  });
  const stop = () => {
    live = false;
    throttled.cancel();
    unlisten();
  };
  return { trigger: throttled.trigger, stop };
}
