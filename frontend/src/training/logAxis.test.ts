import { describe, expect, it } from "vitest";
import { decadeSplits, formatDecade } from "./logAxis";

describe("decadeSplits", () => {
  it("ticks each decade between the ends", () => {
    expect(decadeSplits(0.001, 1)).toEqual([0.001, 0.01, 0.1, 1]);
  });

  it("thins a wide range to at most six labels, keeping the top decade", () => {
    const splits = decadeSplits(1e-12, 1);
    expect(splits.length).toBeLessThanOrEqual(6);
    expect(splits.at(-1)).toBe(1);
  });

  it("gives a range inside one decade its two ends", () => {
    expect(decadeSplits(0.2, 0.5)).toEqual([0.2, 0.5]);
  });

  it("gives nothing for a range a log scale cannot draw", () => {
    expect(decadeSplits(0, 1)).toEqual([]);
  });
});

describe("formatDecade", () => {
  it("never writes 0 and never writes two decades alike", () => {
    const labels = decadeSplits(1e-9, 1e5).map(formatDecade);
    expect(labels).not.toContain("0");
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("writes small and large decades as powers", () => {
    expect(formatDecade(1e-4)).toBe("1e-4");
    expect(formatDecade(0.001)).toBe("0.001");
    expect(formatDecade(1000)).toBe("1000");
    expect(formatDecade(1e6)).toBe("1e6");
    expect(formatDecade(0.25)).toBe("0.25");
  });
});
