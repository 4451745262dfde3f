import { describe, expect, it } from "vitest";
import { nearestKept, playedAfter, StepCache, stepLabel } from "./timeline";

describe("stepLabel", () => {
  it("names the step and its epoch", () => {
    expect(stepLabel({ step: 120, epoch: 3 })).toBe("Step 120 · epoch 3");
  });
});

describe("nearestKept", () => {
  it("finds the nearest kept step, the earlier of two as near", () => {
    expect(nearestKept([0, 1, 2, 8, 16], 11)).toBe(8);
    expect(nearestKept([0, 1, 2, 8, 16], 12)).toBe(8);
    expect(nearestKept([0, 1, 2, 8, 16], 13)).toBe(16);
    expect(nearestKept([0, 4], 40)).toBe(4);
  });

  it("is null when nothing is kept", () => {
    expect(nearestKept([], 3)).toBeNull();
  });
});

describe("playedAfter", () => {
  const steps = [0, 1, 2, 4, 8, 16];

  it("moves on by the stride in kept steps, not in step numbers", () => {
    expect(playedAfter(steps, 2, 1)).toBe(4);
    expect(playedAfter(steps, 0, 3)).toBe(4);
  });

  it("ends past the newest step", () => {
    expect(playedAfter(steps, 16, 1)).toBeNull();
    expect(playedAfter(steps, 8, 2)).toBeNull();
  });

  it("goes on from the nearest kept step when the shown one was thinned away", () => {
    expect(playedAfter(steps, 3, 1)).toBe(4);
  });
});

describe("StepCache", () => {
  it("forgets the least recently used entry past its limit", () => {
    const cache = new StepCache<string>(2);
    cache.set("a", "A");
    cache.set("b", "B");
    expect(cache.get("a")).toBe("A"); // a is now the most recent
    cache.set("c", "C");
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe("A");
    expect(cache.get("c")).toBe("C");
    expect(cache.size).toBe(2);
  });

  it("forgets everything on clear", () => {
    const cache = new StepCache<number>(4);
    cache.set("1:3", 3);
    cache.clear();
    expect(cache.get("1:3")).toBeUndefined();
  });
});
