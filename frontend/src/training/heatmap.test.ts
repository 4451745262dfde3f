import { describe, expect, it } from "vitest";
import { heatmapPixels, layerOfHovered, spanOf } from "./heatmap";

describe("heatmapPixels", () => {
  it("puts steps across, the lowest bin at the bottom, the fullest bin opaque", () => {
    const { width, height, pixels } = heatmapPixels([
      [4, 0, 1],
      [0, 0, 4],
    ]);
    expect([width, height]).toEqual([2, 3]);
    const alpha = (x: number, y: number) => pixels[(y * width + x) * 4 + 3];
    expect(alpha(0, 2)).toBe(255); // step 0, bin 0: the largest count, at the bottom row
    expect(alpha(0, 1)).toBe(0); // an empty bin is transparent
    expect(alpha(0, 0)).toBe(128); // a quarter of the largest count: half opaque (square root)
    expect(alpha(1, 0)).toBe(255); // step 1, the top bin
  });

  it("draws nothing without steps", () => {
    expect(heatmapPixels([]).pixels.length).toBe(0);
  });
});

describe("spanOf", () => {
  it("names the bins' range", () => {
    expect(spanOf([-1.23456, 0, 1.5])).toBe("from -1.23 to 1.50");
    expect(spanOf([])).toBe("nothing yet");
  });
});

describe("layerOfHovered", () => {
  it("finds the layer of a weight or of a unit, none for an input", () => {
    expect(layerOfHovered({ kind: "edge", parameter: "net_W2" })).toBe(2);
    expect(layerOfHovered({ kind: "edge", parameter: "net_b12" })).toBe(12);
    expect(layerOfHovered({ kind: "tile", column: 1 })).toBe(1);
    expect(layerOfHovered({ kind: "tile", column: 0 })).toBeNull();
  });
});
