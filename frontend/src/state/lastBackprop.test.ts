import { describe, expect, it } from "vitest";
import type { BackpropStep } from "../api/types";
import { memoryStorage } from "../testing/storage";
import { KEEP_LIMIT_CHARS, keepLastBackprop, lastBackprop } from "./lastBackprop";

const step: BackpropStep = { node: 2, gate: "log", grads: { z: [Infinity, NaN] }, upstream: { r: 1 }, accumulated: { z: [-Infinity, 2] } };

describe("lastBackprop", () => {
  it("gives back the run kept for the workspace, NaN and infinities included", () => {
    const storage = memoryStorage();
    expect(keepLastBackprop("w1", { root: "r", steps: [step], before: { z: null, r: NaN } }, storage)).toBe(true);
    expect(lastBackprop("w1", storage)).toEqual({ root: "r", steps: [step], before: { z: null, r: NaN } });
    expect(lastBackprop("w2", storage)).toBeNull();
  });

  it("forgets the older run when a new one is too large to keep", () => {
    const storage = memoryStorage();
    keepLastBackprop("w", { root: "r", steps: [step], before: {} }, storage);
    const huge: BackpropStep = { ...step, grads: { z: new Array(KEEP_LIMIT_CHARS / 2).fill(1) } };
    expect(keepLastBackprop("w", { root: "r", steps: [huge], before: {} }, storage)).toBe(false);
    expect(lastBackprop("w", storage)).toBeNull();
  });

  it("reads a damaged entry as none", () => {
    const storage = memoryStorage();
    storage.setItem("wengert.backprop.w", "{not json");
    expect(lastBackprop("w", storage)).toBeNull();
    storage.setItem("wengert.backprop.w", JSON.stringify({ root: 3, steps: [] }));
    expect(lastBackprop("w", storage)).toBeNull();
  });
});
