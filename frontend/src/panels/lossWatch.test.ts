import { describe, expect, it } from "vitest";
import { growthWarning, noteStep } from "./lossWatch";

describe("lossWatch", () => {
  it("warns when the loss grows between two steps, as README's loop does at lr 0.1", () => {
    const watch = noteStep(noteStep(null, "loss", 0.66), "loss", 1.175);
    expect(growthWarning(watch)).toBe(
      "loss grew from 0.66 to 1.175 since the last step: the learning rate may be too large; try a smaller one.",
    );
  });

  it("says nothing while the loss falls, after one step, or when another variable is watched", () => {
    expect(growthWarning(noteStep(noteStep(null, "loss", 0.66), "loss", 0.517))).toBeNull();
    expect(growthWarning(noteStep(null, "loss", 0.66))).toBeNull();
    expect(growthWarning(noteStep(noteStep(null, "loss", 0.66), "error", 3))).toBeNull();
    expect(growthWarning(null)).toBeNull();
  });
});
