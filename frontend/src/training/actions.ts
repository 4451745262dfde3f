/** Which training controls a run's state allows. */
import type { TrainingState } from "../api/types";

/** What a training control does: start or pause the background run, one step, or start over. */
export type TrainingAction = "start" | "pause" | "step" | "reset";

/**
 * The controls a state allows; the server answers the others with a 409. Before a run is set up,
 * Train and Step set it up first; a finished run trains on.
 */
export function allowedActions(state: TrainingState): Record<TrainingAction, boolean> {
  const stopped = state === "idle" || state === "paused" || state === "unconfigured";
  return { start: stopped || state === "done", pause: state === "running", step: stopped, reset: state !== "unconfigured" };
}
