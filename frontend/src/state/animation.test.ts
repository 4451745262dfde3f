import { describe, expect, it } from "vitest";
import type { BackpropStep } from "../api/types";
import { node, workspaceState } from "../testing/workspace";
import { IDLE, atStep, pendingNodes, playback, readStep, shownGrads, shownStep, type PlayedStep, type Playback } from "./animation";

const steps: PlayedStep[] = [
  { node: 3, gate: "add", grads: { c: 1 }, upstream: { d: 1 }, accumulated: { c: 1 } },
  { node: 2, gate: "mul", grads: { a: 2 }, upstream: { c: 1 }, accumulated: { a: 2 } },
  { node: 1, gate: "exp", grads: { x: 3 }, upstream: { a: 2 }, accumulated: { x: 3 } },
];
const before = { a: 5 };

function run(...actions: Parameters<typeof playback>[1][]): Playback {
  return actions.reduce(playback, IDLE);
}

describe("playback", () => {
  it("starts playing at the first step", () => {
    const state = run({ type: "start", steps, before });
    expect(shownStep(state)).toBe(steps[0]);
    expect(state.kind === "showing" && state.playing).toBe(true);
  });

  it("stays idle when there is nothing to show", () => {
    expect(run({ type: "start", steps: [], before })).toBe(IDLE);
  });

  it("advances on ticks only while playing", () => {
    expect(shownStep(run({ type: "start", steps, before }, { type: "tick" }))).toBe(steps[1]);
    expect(shownStep(run({ type: "start", steps, before }, { type: "pause" }, { type: "tick" }))).toBe(steps[0]);
  });

  it("steps one at a time, pausing", () => {
    const state = run({ type: "start", steps, before }, { type: "step" });
    expect(shownStep(state)).toBe(steps[1]);
    expect(state.kind === "showing" && state.playing).toBe(false);
    expect(shownStep(run({ type: "start", steps, before }, { type: "step" }, { type: "play" }, { type: "tick" }))).toBe(steps[2]);
  });

  it("steps back, pausing, as far as the moment before the first step", () => {
    const back = run({ type: "start", steps, before }, { type: "step" }, { type: "play" }, { type: "back" });
    expect(shownStep(back)).toBe(steps[0]);
    expect(back.kind === "showing" && back.playing).toBe(false);
    const first = run({ type: "start", steps, before }, { type: "back" }, { type: "back" });
    expect(first.kind === "showing" && first.index).toBe(-1);
    expect(shownStep(first)).toBeNull();
    expect(shownGrads(first)?.a).toEqual({ kind: "value", value: 5, added: null });
    expect([...(pendingNodes(first) ?? [])]).toEqual([3, 2, 1]);
  });

  it("ends after the last step", () => {
    expect(run({ type: "start", steps, before }, { type: "tick" }, { type: "tick" }, { type: "tick" })).toBe(IDLE);
  });
});

describe("pendingNodes and atStep", () => {
  const state = workspaceState([], [1, 2, 3].map((id) => node(id, "g", [], [], false)));

  it("keeps the nodes after the shown step on the tape", () => {
    const pending = pendingNodes(run({ type: "start", steps, before }));
    expect([...(pending ?? [])]).toEqual([2, 1]);
    const shown = atStep(state, pending);
    expect(shown.tape.map((n) => n.id)).toEqual([1, 2]);
    expect(shown.history.map((n) => n.on_tape)).toEqual([true, true, false]);
  });

  it("shows the tape empty at the last step and the real state when idle", () => {
    const last = pendingNodes(run({ type: "start", steps, before }, { type: "tick" }, { type: "tick" }));
    expect(atStep(state, last).tape).toEqual([]);
    expect(atStep(state, pendingNodes(IDLE))).toBe(state);
  });
});

describe("readStep", () => {
  it("keeps the gradients a step sent, decoded at the boundary, NaN and infinities included", () => {
    const step: BackpropStep = { node: 4, gate: "log", grads: { x: [1, NaN] }, upstream: { y: -Infinity }, accumulated: { x: [Infinity, 2] } };
    expect(readStep(step)).toEqual({
      node: 4,
      gate: "log",
      grads: { x: [1, NaN] },
      upstream: { y: -Infinity },
      accumulated: { x: [Infinity, 2] },
    });
  });
});
