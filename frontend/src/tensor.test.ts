import { describe, expect, it } from "vitest";
import { asMatrix, filled, finiteRange, fitsTable, flatten, leadingAxes, sliceAt, tensorStats } from "./tensor";

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

describe("leadingAxes", () => {
  it("lists every axis but the last two", () => {
    expect(leadingAxes([])).toEqual([]);
    expect(leadingAxes([3, 4])).toEqual([]);
    expect(leadingAxes([2, 3, 4, 5])).toEqual([2, 3]);
  });
});

describe("sliceAt", () => {
  // x[i, j, k] = 100 i + 10 j + k, so every element names its own index.
  const cube = [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => 100 * i + 10 * j + k)));

  it("picks the matrix at the leading index of a rank-3 tensor", () => {
    expect(sliceAt(cube, [2, 3, 4], [0])).toEqual({
      rows: [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]],
      shape: [3, 4],
    });
    expect(sliceAt(cube, [2, 3, 4], [1]).rows[2]).toEqual([120, 121, 122, 123]);
  });

  it("takes one index per leading axis of a rank-4 tensor", () => {
    const hyper = [0, 1, 2].map((h) => cube.map((plane) => plane.map((row) => row.map((x) => 1000 * h + x))));
    expect(sliceAt(hyper, [3, 2, 3, 4], [2, 1]).rows[0]).toEqual([2100, 2101, 2102, 2103]);
  });

  it("clamps indices out of range and treats missing ones as zero", () => {
    expect(sliceAt(cube, [2, 3, 4], [7]).rows[0]).toEqual([100, 101, 102, 103]);
    expect(sliceAt(cube, [2, 3, 4], []).rows[0]).toEqual([0, 1, 2, 3]);
  });

  it("leaves a scalar, vector or matrix whole", () => {
    expect(sliceAt(5, [], [])).toEqual({ rows: [[5]], shape: [1, 1] });
    expect(sliceAt([1, 2, 3], [3], [])).toEqual({ rows: [[1, 2, 3]], shape: [1, 3] });
    expect(sliceAt([[1, 2], [3, 4]], [2, 2], [])).toEqual({ rows: [[1, 2], [3, 4]], shape: [2, 2] });
  });

  it("gives an empty slice for an empty leading axis", () => {
    expect(sliceAt([], [0, 2, 2], [0]).rows).toEqual([]);
  });
});

describe("finiteRange", () => {
  it("spans the finite elements, skipping NaN and infinities", () => {
    expect(finiteRange([3, Number.NaN, -2, Infinity, -Infinity])).toEqual([-2, 3]);
  });

  it("is [0, 0] when no element is finite", () => {
    expect(finiteRange([])).toEqual([0, 0]);
    expect(finiteRange([Number.NaN])).toEqual([0, 0]);
  });
});
