/**
 * Playing back a backprop: which step is shown, whether it plays on its own, and the state as it
 * looked at that step (the nodes not yet run still on the tape). Pure, so it can be tested.
 */
import type { BackpropStep, GraphNode, NestedNumbers } from "../api/types";
import type { LiveState } from "./liveState";
import { gradsAtStep, type GradAtStep } from "./stepGrads";

/**
 * One backprop step as the player shows it: the node that ran, the gradient sent to each parent,
 * the gradient flowing in (each output's grad) and each parent's grad after the step.
 */
export interface PlayedStep {
  node: number;
  gate: string;
  grads: Record<string, NestedNumbers>;
  upstream: Record<string, NestedNumbers>;
  accumulated: Record<string, NestedNumbers>;
}

/** A step as backprop answered it. */
export function readStep(step: BackpropStep): PlayedStep {
  const { node, gate, grads, upstream, accumulated } = step;
  return { node, gate, grads, upstream, accumulated };
}

/** Each variable's grad before backprop ran, by name; null where the page did not hold its values. */
export type GradsBefore = Readonly<Record<string, NestedNumbers | null>>;

/** The grads the page holds for every variable, as the player's `before`. */
export function gradsBefore(state: LiveState): GradsBefore {
  return Object.fromEntries(state.variables.map((variable) => [variable.name, variable.grad?.values ?? null]));
}

/**
 * The player: idle (nothing to show), or at step `index` of `steps`; index -1 is the moment
 * before the first step, when the grads are as they were (`before`).
 */
export type Playback =
  | { kind: "idle" }
  | { kind: "showing"; steps: PlayedStep[]; before: GradsBefore; index: number; playing: boolean };

/** What can happen to the player. */
export type PlaybackAction =
  | { type: "start"; steps: PlayedStep[]; before: GradsBefore }
  | { type: "tick" }
  | { type: "step" }
  | { type: "back" }
  | { type: "play" }
  | { type: "pause" }
  | { type: "stop" };

export const IDLE: Playback = { kind: "idle" };

/** The next player state: ticks and steps advance, and moving past the last step ends the show. */
export function playback(state: Playback, action: PlaybackAction): Playback {
  switch (action.type) {
    case "start":
      return action.steps.length === 0 ? IDLE : { kind: "showing", steps: action.steps, before: action.before, index: 0, playing: true };
    case "stop":
      return IDLE;
    default:
      break;
  }
  if (state.kind === "idle") return state;
  switch (action.type) {
    case "tick":
      return state.playing ? advance(state) : state;
    case "step":
      return advance({ ...state, playing: false });
    case "back":
      return { ...state, playing: false, index: Math.max(-1, state.index - 1) };
    case "play":
      return { ...state, playing: true };
    case "pause":
      return { ...state, playing: false };
  }
}

function advance(state: Extract<Playback, { kind: "showing" }>): Playback {
  return state.index + 1 >= state.steps.length ? IDLE : { ...state, index: state.index + 1 };
}

/** The step on screen, or null when idle. */
export function shownStep(state: Playback): PlayedStep | null {
  return state.kind === "idle" ? null : (state.steps[state.index] ?? null);
}

/** The grad of each variable backprop reaches, as it stands at the step shown; null when idle. */
export function shownGrads(state: Playback): Record<string, GradAtStep> | null {
  return state.kind === "idle" ? null : gradsAtStep(state.before, state.steps, state.index);
}

/** Ids of the nodes still waiting on the tape at the step shown (those after it); null when idle. */
export function pendingNodes(state: Playback): ReadonlySet<number> | null {
  if (state.kind === "idle") return null;
  return new Set(state.steps.slice(state.index + 1).map((step) => step.node));
}

/** The workspace as it looked at the shown step: exactly the `pending` nodes on the tape. */
export function atStep(state: LiveState, pending: ReadonlySet<number> | null): LiveState {
  if (pending === null) return state;
  const history = state.history.map((node): GraphNode => ({ ...node, on_tape: pending.has(node.id) }));
  return { ...state, history, tape: history.filter((node) => node.on_tape) };
}
