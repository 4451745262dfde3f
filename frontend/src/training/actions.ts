/** Which training controls a run's state allows. */
import type { TrainingAction } from "../api/client";
import type { TrainingState } from "../api/types";

/** The controls a state allows; the server answers the others with a 409. */
export function allowedActions(state: TrainingState): Record<TrainingAction, boolean> {
  const stopped = state === "idle" || state === "paused";
  return { start: stopped, pause: state === "running", step: stopped, reset: true };
}
