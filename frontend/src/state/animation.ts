/**
 * Playing back a backprop: which step is shown, whether it plays on its own, and the state as it
 * looked at that step (the nodes not yet run still on the tape). Pure, so it can be tested.
 */
import type { BackpropStep, GraphNode, NestedNumbers } from "../api/types";
import type { LiveState } from "./liveState";
import { gradsAtStep, type GradAtStep } from "./stepGrads";

/**
 * One backprop step as the player shows it: the node that ran, the gradient sent to each parent,
 * the gradient flowing in (each output's grad) and each parent's grad after the step. `offPath`
 * marks a node the root does not depend on: backprop runs the whole tape, so such a node gets a
 * zero upstream gradient only because it is unrelated.
 */
export interface PlayedStep {
  node: number;
  gate: string;
  grads: Record<string, NestedNumbers>;
  upstream: Record<string, NestedNumbers>;
  accumulated: Record<string, NestedNumbers>;
  offPath: boolean;
}

/** A step as backprop answered it; `onPath` holds the ids of the nodes the root depends on. */
export function readStep(step: BackpropStep, onPath: ReadonlySet<number>): PlayedStep {
  const { node, gate, grads, upstream, accumulated } = step;
  return { node, gate, grads, upstream, accumulated, offPath: !onPath.has(node) };
}

/** The ids of the nodes `root` was computed through: the path a gradient takes back from it. */
export function nodesOnPath(state: LiveState, root: string): Set<number> {
  const madeBy = new Map(state.variables.map((variable) => [variable.name, variable.created_by]));
  const nodes = new Map(state.history.map((node) => [node.id, node]));
  const found = new Set<number>();
  const pending = [root];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const id = madeBy.get(name);
    if (id === null || id === undefined || found.has(id)) continue;
    found.add(id);
    for (const input of nodes.get(id)?.inputs ?? []) if (typeof input === "string") pending.push(input);
  }
  return found;
}

/** Each variable's grad before backprop ran, by name; null where the page did not hold its values. */
export type GradsBefore = Readonly<Record<string, NestedNumbers | null>>;

/** The grads the page holds for every variable, as the player's `before`. */
export function gradsBefore(state: LiveState): GradsBefore {
  return Object.fromEntries(state.variables.map((variable) => [variable.name, variable.grad?.values ?? null]));
}

/**
 * The player: idle (nothing to show), or at step `index` of `steps`; index -1 is the moment
 * before the first step, when the grads are as they were (`before`). Steps off the path are
 * passed over unless `showOffPath`.
 */
export type Playback =
  | { kind: "idle" }
  | { kind: "showing"; steps: PlayedStep[]; before: GradsBefore; index: number; playing: boolean; showOffPath: boolean };

type Showing = Extract<Playback, { kind: "showing" }>;

/** What can happen to the player. */
export type PlaybackAction =
  | { type: "start"; steps: PlayedStep[]; before: GradsBefore; showOffPath: boolean }
  | { type: "offPath"; show: boolean }
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
    case "start": {
      const { steps, before, showOffPath } = action;
      return advance({ kind: "showing", steps, before, index: -1, playing: true, showOffPath });
    }
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
      return { ...state, playing: false, index: previousShown(state) };
    case "offPath":
      return showOffPath(state, action.show);
    case "play":
      return { ...state, playing: true };
    case "pause":
      return { ...state, playing: false };
  }
}

/** The next step shown after the current one; past the last, the show ends. */
function advance(state: Showing): Playback {
  const next = state.steps.findIndex((step, at) => at > state.index && isShown(state, step));
  return next < 0 ? IDLE : { ...state, index: next };
}

/** The step shown before the current one, or -1 (the moment before the first). */
function previousShown(state: Showing): number {
  for (let at = state.index - 1; at >= 0; at--) if (isShown(state, state.steps[at] as PlayedStep)) return at;
  return -1;
}

function isShown(state: Showing, step: PlayedStep): boolean {
  return state.showOffPath || !step.offPath;
}

/** Shows or hides the steps off the path; hidden while on one, the player moves back to the one before. */
function showOffPath(state: Showing, show: boolean): Showing {
  const next = { ...state, showOffPath: show };
  const current = state.steps[state.index];
  return current === undefined || isShown(next, current) ? next : { ...next, index: previousShown(next) };
}

/** Where the player stands among the steps it shows: "step `at` of `count`", and how many it passes over. */
export function position(state: Showing): { at: number; count: number; hidden: number } {
  const shown = state.steps.filter((step) => isShown(state, step));
  const at = shown.filter((step) => state.steps.indexOf(step) <= state.index).length;
  return { at, count: shown.length, hidden: state.steps.length - shown.length };
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
