import { describe, expect, it } from "vitest";
import type { BackpropStep } from "../api/types";
import { node, variable, workspaceState } from "../testing/workspace";
import {
  IDLE,
  atStep,
  nodesOnPath,
  pendingNodes,
  playback,
  position,
  readStep,
  shownGrads,
  shownStep,
  type PlayedStep,
  type Playback,
} from "./animation";

const steps: PlayedStep[] = [
  { node: 3, gate: "add", grads: { c: 1 }, upstream: { d: 1 }, accumulated: { c: 1 }, offPath: false },
  { node: 2, gate: "mul", grads: { a: 2 }, upstream: { c: 1 }, accumulated: { a: 2 }, offPath: false },
  { node: 1, gate: "exp", grads: { x: 3 }, upstream: { a: 2 }, accumulated: { x: 3 }, offPath: false },
];
const before = { a: 5 };
const START = { type: "start", steps, before, showOffPath: false } as const;

function run(...actions: Parameters<typeof playback>[1][]): Playback {
  return actions.reduce(playback, IDLE);
}

describe("playback", () => {
  it("starts playing at the first step", () => {
    const state = run(START);
    expect(shownStep(state)).toBe(steps[0]);
    expect(state.kind === "showing" && state.playing).toBe(true);
  });

  it("stays idle when there is nothing to show", () => {
    expect(run({ ...START, steps: [] })).toBe(IDLE);
  });

  it("advances on ticks only while playing", () => {
    expect(shownStep(run(START, { type: "tick" }))).toBe(steps[1]);
    expect(shownStep(run(START, { type: "pause" }, { type: "tick" }))).toBe(steps[0]);
  });

  it("steps one at a time, pausing", () => {
    const state = run(START, { type: "step" });
    expect(shownStep(state)).toBe(steps[1]);
    expect(state.kind === "showing" && state.playing).toBe(false);
    expect(shownStep(run(START, { type: "step" }, { type: "play" }, { type: "tick" }))).toBe(steps[2]);
  });

  it("steps back, pausing, as far as the moment before the first step", () => {
    const back = run(START, { type: "step" }, { type: "play" }, { type: "back" });
    expect(shownStep(back)).toBe(steps[0]);
    expect(back.kind === "showing" && back.playing).toBe(false);
    const first = run(START, { type: "back" }, { type: "back" });
    expect(first.kind === "showing" && first.index).toBe(-1);
    expect(shownStep(first)).toBeNull();
    expect(shownGrads(first)?.a).toEqual({ kind: "value", value: 5, added: null });
    expect([...(pendingNodes(first) ?? [])]).toEqual([3, 2, 1]);
  });

  it("ends after the last step", () => {
    expect(run(START, { type: "tick" }, { type: "tick" }, { type: "tick" })).toBe(IDLE);
  });
});

describe("pendingNodes and atStep", () => {
  const state = workspaceState([], [1, 2, 3].map((id) => node(id, "g", [], [], false)));

  it("keeps the nodes after the shown step on the tape", () => {
    const pending = pendingNodes(run(START));
    expect([...(pending ?? [])]).toEqual([2, 1]);
    const shown = atStep(state, pending);
    expect(shown.tape.map((n) => n.id)).toEqual([1, 2]);
    expect(shown.history.map((n) => n.on_tape)).toEqual([true, true, false]);
  });

  it("shows the tape empty at the last step and the real state when idle", () => {
    const last = pendingNodes(run(START, { type: "tick" }, { type: "tick" }));
    expect(atStep(state, last).tape).toEqual([]);
    expect(atStep(state, pendingNodes(IDLE))).toBe(state);
  });
});

describe("readStep", () => {
  it("keeps the gradients a step sent, decoded at the boundary, NaN and infinities included", () => {
    const step: BackpropStep = { node: 4, gate: "log", grads: { x: [1, NaN] }, upstream: { y: -Infinity }, accumulated: { x: [Infinity, 2] } };
    expect(readStep(step, new Set([4]))).toEqual({
      node: 4,
      gate: "log",
      grads: { x: [1, NaN] },
      upstream: { y: -Infinity },
      accumulated: { x: [Infinity, 2] },
      offPath: false,
    });
    expect(readStep(step, new Set([3])).offPath).toBe(true);
  });
});

describe("steps off the path to the root", () => {
  // Backprop from d = c + 1, c = a * b walks the whole tape: e = exp(z) is unrelated to d.
  const state = workspaceState(
    [
      variable("a"),
      variable("b"),
      variable("z"),
      variable("c", { created_by: 1 }),
      variable("e", { created_by: 2 }),
      variable("d", { created_by: 3 }),
    ],
    [node(1, "mul", ["a", "b"], ["c"]), node(2, "exp", ["z"], ["e"]), node(3, "add", ["c", 1], ["d"])],
  );
  const onPath = nodesOnPath(state, "d");
  const walked = [3, 2, 1].map((id) =>
    readStep({ node: id, gate: "g", grads: {}, upstream: {}, accumulated: {} }, onPath),
  );

  it("finds the nodes the root was computed through", () => {
    expect([...onPath].sort()).toEqual([1, 3]);
    expect(walked.map((step) => step.offPath)).toEqual([false, true, false]);
  });

  it("passes over them by default, forward and back", () => {
    const started = run({ type: "start", steps: walked, before, showOffPath: false });
    expect(shownStep(started)?.node).toBe(3);
    const stepped = playback(started, { type: "step" });
    expect(shownStep(stepped)?.node).toBe(1);
    expect(stepped.kind === "showing" && position(stepped)).toEqual({ at: 2, count: 2, hidden: 1 });
    expect(shownStep(playback(stepped, { type: "back" }))?.node).toBe(3);
  });

  it("shows them when asked, and hiding them again leaves the one shown", () => {
    const shown = run({ type: "start", steps: walked, before, showOffPath: true }, { type: "step" });
    expect(shownStep(shown)?.node).toBe(2);
    expect(shown.kind === "showing" && position(shown)).toEqual({ at: 2, count: 3, hidden: 0 });
    expect(shownStep(playback(shown, { type: "offPath", show: false }))?.node).toBe(3);
  });
});
