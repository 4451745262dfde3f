import { describe, expect, it } from "vitest";
import { asMatrix, filled, fitsTable, flatten, tensorStats } from "./tensor";

describe("filled", () => {
  it("builds a number for a scalar and nested lists for a tensor", () => {
    expect(filled([], 0)).toBe(0);
    expect(filled([2, 3], 1.5)).toEqual([[1.5, 1.5, 1.5], [1.5, 1.5, 1.5]]);
    expect(filled([0], 0)).toEqual([]);
  });
});

describe("flatten", () => {
  it("lists elements in row-major order", () => {
    expect(flatten(3)).toEqual([3]);
    expect(flatten([[1, 2], [3, 4]])).toEqual([1, 2, 3, 4]);
  });
});

describe("tensorStats", () => {
  it("gives min, max, mean and the Euclidean norm", () => {
    expect(tensorStats([[3, -4], [0, 1]])).toEqual({ min: -4, max: 3, mean: 0, norm: Math.sqrt(26) });
  });

  it("is null for an empty tensor", () => {
    expect(tensorStats([])).toBeNull();
  });
});

describe("asMatrix", () => {
  it("shows scalars as 1x1, vectors as a row and stacks the leading axes of bigger tensors", () => {
    expect(asMatrix(5, [])).toEqual([[5]]);
    expect(asMatrix([1, 2, 3], [3])).toEqual([[1, 2, 3]]);
    expect(asMatrix([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [2, 2, 2])).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
  });
});

describe("fitsTable", () => {
  it("accepts up to 2-D and 32x32", () => {
    expect(fitsTable([])).toBe(true);
    expect(fitsTable([32, 32])).toBe(true);
    expect(fitsTable([33])).toBe(false);
    expect(fitsTable([2, 2, 2])).toBe(false);
  });
});
