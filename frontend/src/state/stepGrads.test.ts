import { describe, expect, it } from "vitest";
import type { PlayedStep } from "./animation";
import { gradsAtStep } from "./stepGrads";

// c = a * b, d = c + a with a = 2, b = 3, backprop from d: add runs first, then mul.
const steps: PlayedStep[] = [
  { node: 2, gate: "add", grads: { c: 1, a: 1 }, upstream: { d: 1 }, accumulated: { c: 1, a: 1 }, offPath: false },
  { node: 1, gate: "mul", grads: { a: 3, b: 2 }, upstream: { c: 1 }, accumulated: { a: 4, b: 2 }, offPath: false },
];
const before = { a: 0, b: 0, c: 0, d: 0 };

describe("gradsAtStep", () => {
  it("shows the grads from before backprop before the first step", () => {
    const grads = gradsAtStep(before, steps, -1);
    expect(grads.a).toEqual({ kind: "value", value: 0, added: null });
    expect(gradsAtStep({ ...before, a: null }, steps, -1).a).toEqual({ kind: "pending" });
  });

  it("gives the root its seed and leaves the variables not reached yet pending", () => {
    const grads = gradsAtStep(before, steps, 0);
    expect(grads.d).toEqual({ kind: "value", value: 1, added: null });
    expect(grads.a).toEqual({ kind: "value", value: 1, added: 1 });
    expect(grads.b).toEqual({ kind: "pending" });
  });

  it("adds a reused variable's second contribution to its running sum", () => {
    const grads = gradsAtStep(before, steps, 1);
    expect(grads.a).toEqual({ kind: "value", value: 4, added: 3 });
    expect(grads.b).toEqual({ kind: "value", value: 2, added: 2 });
    expect(grads.c).toEqual({ kind: "value", value: 1, added: null });
  });

  it("shows what a step added only while that step is on screen", () => {
    const leaf: PlayedStep = { node: 3, gate: "exp", grads: { e: 5 }, upstream: { f: 1 }, accumulated: { e: 5 }, offPath: false };
    expect(gradsAtStep(before, [leaf, ...steps], 1).e).toEqual({ kind: "value", value: 5, added: null });
  });

  it("names only the variables backprop reaches", () => {
    expect(Object.keys(gradsAtStep({ ...before, x: 5 }, steps, 1)).sort()).toEqual(["a", "b", "c", "d"]);
  });
});
