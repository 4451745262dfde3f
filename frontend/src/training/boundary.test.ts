import { describe, expect, it } from "vitest";
import type { DecisionBoundary } from "../api/types";
import { boundaryPixels, CLASS_COLORS, classOneShare, emptyBoundary, toPixel } from "./boundary";

/** A 2×2 boundary over [0, 2]²; row 0 is at y_min. */
function boundary(probabilities: number[][]): DecisionBoundary {
  return { x_min: 0, x_max: 2, y_min: 0, y_max: 2, resolution: probabilities.length, probabilities };
}

/** The RGBA of pixel (column, row) counted from the top. */
function pixel(pixels: Uint8ClampedArray, size: number, column: number, row: number): number[] {
  const at = (row * size + column) * 4;
  return [...pixels.slice(at, at + 4)];
}

describe("boundaryPixels", () => {
  it("puts the server's first row (y_min) at the bottom of the image", () => {
    const pixels = boundaryPixels(boundary([[1, 1], [0, 0]]));
    expect(pixel(pixels, 2, 0, 1).slice(0, 3)).toEqual([...CLASS_COLORS[1]]);
    expect(pixel(pixels, 2, 0, 0).slice(0, 3)).toEqual([...CLASS_COLORS[0]]);
  });

  it("colours by the predicted class, more opaque the surer the model", () => {
    const pixels = boundaryPixels(boundary([[0.5, 0.75], [0, 1]]));
    expect(pixel(pixels, 2, 0, 1)[3]).toBe(0); // undecided: transparent
    expect(pixel(pixels, 2, 1, 1)[3]).toBe(100);
    expect(pixel(pixels, 2, 0, 0)[3]).toBe(200);
    expect(pixel(pixels, 2, 1, 0)[3]).toBe(200);
  });

  it("draws hard classes when discretized: every decided cell fully coloured", () => {
    const pixels = boundaryPixels(boundary([[0.5, 0.55], [0.45, 1]]), true);
    expect(pixel(pixels, 2, 0, 1)[3]).toBe(0);
    expect(pixel(pixels, 2, 1, 1)[3]).toBe(200);
    expect(pixel(pixels, 2, 0, 0)[3]).toBe(200);
  });

  it("has one RGBA pixel per cell", () => {
    expect(boundaryPixels(boundary([[0, 0, 0], [0, 0, 0], [0, 0, 0]]))).toHaveLength(36);
  });
});

describe("toPixel", () => {
  it("maps the extent onto the drawing, y growing upwards", () => {
    const b = boundary([[0]]);
    expect(toPixel([0, 0], b, 100, 50)).toEqual([0, 50]);
    expect(toPixel([2, 2], b, 100, 50)).toEqual([100, 0]);
    expect(toPixel([1, 0.5], b, 100, 50)).toEqual([50, 37.5]);
  });
});

describe("classOneShare", () => {
  it("is the share of cells predicted as class 1", () => {
    expect(classOneShare(boundary([[0.9, 0.1], [0.6, 0.5]]))).toBe(0.5);
  });
});

describe("emptyBoundary", () => {
  it("frames all the points with a margin and predicts nothing", () => {
    const frame = emptyBoundary({ train: [[0, 1], [2, -1]], train_labels: [0, 1], test: [[3, 0]], test_labels: [1] });
    expect(frame).toMatchObject({ x_min: -0.25, x_max: 3.25, y_min: -1.25, y_max: 1.25, probabilities: [[0.5]] });
    expect(classOneShare(frame)).toBe(0);
  });
});
