/** Waiting, for a short while, for the event that shows a change the page made itself. */
import type { WorkspaceEvent } from "../api/events";

/** Subscribes a listener to the live stream until the returned function is called. */
export type Listen = (listener: (event: WorkspaceEvent) => void) => () => void;

/**
 * Resolves true as soon as an event for which `shows` holds arrives (or has been heard already:
 * `heard`), false after `timeoutMs` without one.
 */
export function awaitEvent(
  listen: Listen,
  shows: (event: WorkspaceEvent) => boolean,
  heard: readonly WorkspaceEvent[],
  timeoutMs: number,
): Promise<boolean> {
  if (heard.some(shows)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const stop = listen((event) => {
      if (!shows(event)) return;
      finish(true);
    });
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(arrived: boolean) {
      clearTimeout(timer);
      stop();
      resolve(arrived);
    }
  });
}
