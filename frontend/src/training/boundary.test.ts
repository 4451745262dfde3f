import { describe, expect, it } from "vitest";
import type { DecisionBoundary } from "../api/types";
import { boundaryPixels, CLASS_COLORS, classOneShare, describeBoundary, emptyBoundary, fromPixel, toPixel } from "./boundary";

/** A 2×2 boundary over [0, 2]²; row 0 is at y_min. */
function boundary(probabilities: number[][]): DecisionBoundary {
  return { ...EXTENT, resolution: probabilities.length, probabilities, classes: 2, predicted: null, confidence: null, values: null };
}

const EXTENT = { x_min: 0, x_max: 2, y_min: 0, y_max: 2 };

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

describe("more than two classes", () => {
  const three: DecisionBoundary = {
    ...EXTENT,
    resolution: 2,
    probabilities: null,
    classes: 3,
    predicted: [
      [0, 1],
      [2, 2],
    ],
    confidence: [
      [1, 1 / 3],
      [2 / 3, 1],
    ],
    values: null,
  };

  it("colours each cell by its predicted class, clear at chance and opaque when certain", () => {
    const pixels = boundaryPixels(three);
    expect(pixel(pixels, 2, 0, 1)).toEqual([...CLASS_COLORS[0], 200]);
    expect(pixel(pixels, 2, 1, 1)[3]).toBe(0);
    expect(pixel(pixels, 2, 0, 0)).toEqual([...(CLASS_COLORS[2] ?? []), 100]);
  });

  it("says how much of the plane each class takes", () => {
    expect(describeBoundary(three)).toBe("the plane predicted as class 0 25%, class 1 25%, class 2 50%");
  });
});

describe("regression", () => {
  const plane: DecisionBoundary = {
    ...EXTENT,
    resolution: 2,
    probabilities: null,
    classes: null,
    predicted: null,
    confidence: null,
    values: [
      [-1, -0.5],
      [0, 2],
    ],
  };

  it("shades below zero orange and above blue, by distance from zero", () => {
    const pixels = boundaryPixels(plane);
    expect(pixel(pixels, 2, 0, 1)).toEqual([...CLASS_COLORS[0], 200]);
    expect(pixel(pixels, 2, 1, 1)).toEqual([...CLASS_COLORS[0], 100]);
    expect(pixel(pixels, 2, 0, 0)[3]).toBe(0);
    expect(pixel(pixels, 2, 1, 0)).toEqual([...CLASS_COLORS[1], 200]);
  });

  it("names the range of its predictions", () => {
    expect(describeBoundary(plane)).toBe("predictions from -1.00 to 2.00");
  });
});

describe("fromPixel", () => {
  it("undoes toPixel", () => {
    const b = boundary([[0]]);
    expect(fromPixel(toPixel([0.5, 1.5], b, 100, 50), b, 100, 50)).toEqual([0.5, 1.5]);
  });
});

describe("emptyBoundary", () => {
  it("frames all the points with a margin and predicts nothing", () => {
    const frame = emptyBoundary({
      train: [[0, 1], [2, -1]],
      train_labels: [0, 1],
      test: [[3, 0]],
      test_labels: [1],
      classes: 2,
      train_targets: null,
      test_targets: null,
    });
    expect(frame).toMatchObject({ x_min: -0.25, x_max: 3.25, y_min: -1.25, y_max: 1.25, probabilities: [[0.5]] });
    expect(classOneShare(frame)).toBe(0);
  });

  it("frames the square the user's own points go in when there are none yet", () => {
    const frame = emptyBoundary({ train: [], train_labels: [], test: [], test_labels: [], classes: 6, train_targets: null, test_targets: null });
    expect(frame).toMatchObject({ x_min: -1.5, x_max: 1.5, y_min: -1.5, y_max: 1.5 });
  });
});
