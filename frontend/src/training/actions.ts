/** Which training controls a run's state allows. */
import type { TrainingAction } from "../api/client";
import type { TrainingState } from "../api/types";

/**
 * The controls a state allows; the server answers the others with a 409. Before a run is set up,
 * Train and Step set it up first; a finished run trains on.
 */
export function allowedActions(state: TrainingState): Record<TrainingAction, boolean> {
  const stopped = state === "idle" || state === "paused" || state === "unconfigured";
  return { start: stopped || state === "done", pause: state === "running", step: stopped, reset: state !== "unconfigured" };
}
