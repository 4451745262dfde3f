import { describe, expect, it } from "vitest";
import { divergingColor, sequentialColor } from "./colors";

describe("divergingColor", () => {
  it("is white at zero, blue at -limit and red at +limit, clamped beyond", () => {
    expect(divergingColor(0, 2)).toBe("rgb(247, 247, 247)");
    expect(divergingColor(-2, 2)).toBe("rgb(33, 102, 172)");
    expect(divergingColor(5, 2)).toBe("rgb(178, 24, 43)");
  });

  it("falls back to white when there is no scale or no number", () => {
    expect(divergingColor(1, 0)).toBe("rgb(247, 247, 247)");
    expect(divergingColor(Number.NaN, 1)).toBe("rgb(247, 247, 247)");
  });
});

describe("sequentialColor", () => {
  it("runs from dark at min to light at max", () => {
    expect(sequentialColor(0, 0, 1)).toBe("rgb(68, 1, 84)");
    expect(sequentialColor(1, 0, 1)).toBe("rgb(253, 231, 37)");
    expect(sequentialColor(0.5, 0, 1)).toBe("rgb(33, 145, 140)");
  });
});
