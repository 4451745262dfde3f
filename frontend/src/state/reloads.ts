/** Reloading a workspace's state only when the copy on screen may lack something. */
import { coalesce } from "./coalesce";

/** Ways to ask for the state again; each resolves once a load that started after it ends (or was found unneeded). */
export interface Reloads {
  /** Loads the state whatever it holds: after a change whose event number is not known yet, or a resync. */
  reload(): Promise<void>;
  /** Loads the state unless the copy on screen already includes event `seq`. */
  reloadFor(seq: number): Promise<void>;
}

/**
 * Wraps `load` (which loads the state and returns the number of the last event it includes, or
 * null when it failed) so that loads are coalesced (one in flight, one pending) and a load asked
 * for by an event is skipped when it starts if the state on screen already includes that event.
 * After a failed load the next request loads again, whatever it asks for.
 */
export function reloads(load: () => Promise<number | null>): Reloads {
  let shown: number | null = null; // the last event the state on screen includes
  let heard = 0; // the newest event heard of
  let forced = false;
  const run = coalesce(async () => {
    if (!forced && shown !== null && shown >= heard) return;
    forced = false;
    const seq = await load();
    if (seq === null) forced = true;
    else shown = seq;
  });
  return {
    reload: () => {
      forced = true;
      return run();
    },
    reloadFor: (seq) => {
      heard = Math.max(heard, seq);
      return run();
    },
  };
}
