/** Reading the nested lists a tensor is held in: its elements, statistics and a 2-D view. */
import type { NestedNumbers } from "./api/types";

/** A tensor of `shape` whose every element is `x`: a number for a scalar, else nested lists. */
export function filled(shape: readonly number[], x: number): NestedNumbers {
  const [size, ...rest] = shape;
  return size === undefined ? x : Array.from({ length: size }, () => filled(rest, x));
}

/** Summary statistics of a tensor's elements. */
export interface TensorStats {
  min: number;
  max: number;
  mean: number;
  /** The Euclidean (Frobenius) norm. */
  norm: number;
}

/** Every element, in row-major order. */
export function flatten(value: NestedNumbers): number[] {
  if (typeof value === "number") return [value];
  return value.flatMap(flatten);
}

/** Min, max, mean and norm of the elements; null for an empty tensor. */
export function tensorStats(value: NestedNumbers): TensorStats | null {
  const items = flatten(value).map(Number);
  if (items.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (const x of items) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
    squares += x * x;
  }
  return { min, max, mean: sum / items.length, norm: Math.sqrt(squares) };
}

/** The smallest and largest finite element, [0, 0] when there is none. */
export function finiteRange(items: Iterable<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const x of items) if (Number.isFinite(x)) [min, max] = [Math.min(min, x), Math.max(max, x)];
  return min <= max ? [min, max] : [0, 0];
}

/**
 * The tensor as rows of numbers: a scalar is 1×1, a vector one row, a matrix itself, and a
 * higher-rank tensor its leading axes stacked into rows (shape [a, b, c] as (a·b)×c).
 */
export function asMatrix(value: NestedNumbers, shape: readonly number[]): number[][] {
  const items = flatten(value).map(Number);
  const columns = shape.length === 0 ? 1 : (shape[shape.length - 1] ?? 1);
  if (columns === 0) return [];
  const rows: number[][] = [];
  for (let i = 0; i < items.length; i += columns) rows.push(items.slice(i, i + columns));
  return rows;
}

/** The axes a slice picks one index of: all but the last two (none for a scalar, vector or matrix). */
export function leadingAxes(shape: readonly number[]): number[] {
  return shape.slice(0, Math.max(0, shape.length - 2));
}

/** A 2-D slice of a tensor: its rows and the shape of those rows. */
export interface Slice {
  rows: number[][];
  /** [rows, columns] of the slice; a vector is one row. */
  shape: [number, number];
}

/**
 * The 2-D slice of a tensor at `leading`, one index per leading axis (`value[i, j, :, :]` for a
 * rank-4 tensor); indices out of range are clamped. A scalar, vector or matrix is its own slice.
 */
export function sliceAt(value: NestedNumbers, shape: readonly number[], leading: readonly number[]): Slice {
  let picked: NestedNumbers = value;
  leadingAxes(shape).forEach((size, axis) => {
    const index = Math.max(0, Math.min(size - 1, leading[axis] ?? 0));
    picked = typeof picked === "number" ? picked : (picked[index] ?? []);
  });
  const trailing = shape.slice(leadingAxes(shape).length);
  const rows = asMatrix(picked, trailing);
  const columns = trailing.length === 0 ? 1 : (trailing[trailing.length - 1] ?? 0);
  return { rows, shape: [trailing.length === 2 ? (trailing[0] ?? 0) : 1, columns] };
}

/** Largest dimension a table shows; bigger tensors are drawn as heatmaps. */
export const TABLE_LIMIT = 32;

/** True when a tensor reads best as a table of numbers: at most 2-D and at most 32×32. */
export function fitsTable(shape: readonly number[]): boolean {
  return shape.length <= 2 && shape.every((n) => n <= TABLE_LIMIT);
}
