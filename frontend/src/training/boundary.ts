/** The decision boundary and the data points as pixels: pure, so the drawing can be tested. */
import type { DecisionBoundary, TrainingPoints } from "../api/types";

type Rgb = readonly [number, number, number];

/**
 * Each class's colour, class 0 first: TensorFlow Playground's orange and blue, then green,
 * purple, red and teal, told apart by hue and lightness.
 */
export const CLASS_COLORS: readonly [Rgb, Rgb, ...Rgb[]] = [
  [245, 147, 34],
  [8, 119, 189],
  [44, 160, 44],
  [148, 103, 189],
  [214, 39, 40],
  [23, 190, 207],
];

/** How opaque the most certain cells are: the page's background shows through the rest. */
const MAX_ALPHA = 200;
/** How far the drawing reaches past the outermost points (as the server's grid does). */
const MARGIN = 0.25;
/** The user's own points, none set yet, are framed on [-1.5, 1.5]² (as the server's grid is). */
const EMPTY_EXTENT = 1.5;

/** A regression's prediction is drawn on this scale: -1 full orange, 0 clear, 1 full blue. */
export const VALUE_SCALE = 1;

/** "rgb(r g b)" for a class's colour. */
export function classColor(label: number): string {
  const [r, g, b] = CLASS_COLORS[label] ?? CLASS_COLORS[0];
  return `rgb(${r} ${g} ${b})`;
}

/** The colour and opacity (0 to 1) of a regression value: orange below zero, blue above. */
export function valueShade(value: number): { rgb: Rgb; strength: number } {
  const strength = Math.min(1, Math.abs(value) / VALUE_SCALE);
  return { rgb: value < 0 ? CLASS_COLORS[0] : CLASS_COLORS[1], strength };
}

/** "rgb(r g b / a)" for a regression target, drawn as a point. */
export function valueColor(value: number): string {
  const { rgb, strength } = valueShade(value);
  return `rgb(${rgb[0]} ${rgb[1]} ${rgb[2]} / ${(0.25 + 0.75 * strength).toFixed(2)})`;
}

/** Each cell's colour and opacity (0 to 1), row by row from y_min. */
function cellShades(boundary: DecisionBoundary): { rgb: Rgb; strength: number }[][] {
  if (boundary.values !== null) return boundary.values.map((row) => row.map(valueShade));
  if (boundary.predicted !== null && boundary.confidence !== null && boundary.classes !== null) {
    const chance = 1 / boundary.classes;
    const { confidence } = boundary;
    return boundary.predicted.map((row, r) =>
      row.map((label, c) => ({
        rgb: CLASS_COLORS[label] ?? CLASS_COLORS[0],
        // A cell as sure as chance is clear; a certain one fully coloured.
        strength: Math.max(0, Math.min(1, ((confidence[r]?.[c] ?? chance) - chance) / (1 - chance))),
      })),
    );
  }
  return (boundary.probabilities ?? []).map((row) =>
    row.map((p) => ({ rgb: CLASS_COLORS[p > 0.5 ? 1 : 0], strength: Math.min(1, Math.abs(p - 0.5) * 2) })),
  );
}

/**
 * The boundary as RGBA pixels, `resolution` wide and high, top row first (so the highest y is
 * on top, whereas the server's row 0 is y_min). A classifier's cell takes the colour of the
 * class it predicts, more opaque the surer the model is (as sure as chance: transparent); a
 * regression's cell is orange below zero and blue above, more opaque the further from zero.
 * `discrete` draws hard classes instead: every cell but the undecided ones (as sure as
 * chance, or a prediction of exactly zero) fully coloured.
 */
export function boundaryPixels(boundary: DecisionBoundary, discrete = false): Uint8ClampedArray {
  const size = boundary.resolution;
  const pixels = new Uint8ClampedArray(size * size * 4);
  cellShades(boundary).forEach((row, r) => {
    const top = size - 1 - r;
    row.forEach(({ rgb, strength }, column) => {
      const at = (top * size + column) * 4;
      pixels[at] = rgb[0];
      pixels[at + 1] = rgb[1];
      pixels[at + 2] = rgb[2];
      pixels[at + 3] = Math.round((discrete ? Math.sign(strength) : strength) * MAX_ALPHA);
    });
  });
  return pixels;
}

/** Where a data point falls on a `width` × `height` drawing of the boundary's extent. */
export function toPixel(
  [x, y]: readonly [number, number],
  boundary: DecisionBoundary,
  width: number,
  height: number,
): [number, number] {
  return [
    ((x - boundary.x_min) / (boundary.x_max - boundary.x_min)) * width,
    (1 - (y - boundary.y_min) / (boundary.y_max - boundary.y_min)) * height,
  ];
}

/** The data point under a pixel of a `width` × `height` drawing: the inverse of `toPixel`. */
export function fromPixel(
  [px, py]: readonly [number, number],
  boundary: DecisionBoundary,
  width: number,
  height: number,
): [number, number] {
  return [
    boundary.x_min + (px / width) * (boundary.x_max - boundary.x_min),
    boundary.y_min + (1 - py / height) * (boundary.y_max - boundary.y_min),
  ];
}

/** The share of the grid the model assigns to each class, from 0 to 1, class 0 first. */
export function classShares(boundary: DecisionBoundary): number[] {
  const classes = boundary.classes ?? 2;
  const cells = boundary.predicted?.flat() ?? (boundary.probabilities ?? []).flat().map((p) => (p > 0.5 ? 1 : 0));
  const counts = Array.from({ length: classes }, () => 0);
  cells.forEach((label) => (counts[label] = (counts[label] ?? 0) + 1));
  return counts.map((count) => (cells.length === 0 ? 0 : count / cells.length));
}

/** The share of the grid the model assigns to class 1, from 0 to 1. */
export function classOneShare(boundary: DecisionBoundary): number {
  return classShares(boundary)[1] ?? 0;
}

/** What the boundary shows, in words, for its accessible name (after "Decision boundary at step n: "). */
export function describeBoundary(boundary: DecisionBoundary): string {
  if (boundary.values !== null) {
    const values = boundary.values.flat();
    const low = Math.min(...values);
    const high = Math.max(...values);
    return `predictions from ${low.toFixed(2)} to ${high.toFixed(2)}`;
  }
  const shares = classShares(boundary);
  if (shares.length === 2) return `${Math.round((shares[1] ?? 0) * 100)}% of the plane predicted as class 1`;
  const named = shares
    .map((share, label) => ({ share, label }))
    .filter(({ share }) => share > 0)
    .map(({ share, label }) => `class ${label} ${Math.round(share * 100)}%`);
  return `the plane predicted as ${named.join(", ")}`;
}

/** The classes that occur among the points (or 0 and 1 for a two-class dataset), for the legend. */
export function legendClasses(points: TrainingPoints | null, boundary: DecisionBoundary | null): number[] {
  const seen = new Set([...(points?.train_labels ?? []), ...(points?.test_labels ?? [])]);
  const classes = points?.classes ?? boundary?.classes ?? 2;
  if (classes <= 2 && boundary?.values == null && points?.train_targets == null) return [0, 1];
  return [...seen].sort((a, b) => a - b);
}

/** A boundary that predicts nothing (0.5 everywhere) over points' extent: the frame for data
 * drawn before a model has learned it. */
export function emptyBoundary(points: TrainingPoints): DecisionBoundary {
  const all = [...points.train, ...points.test];
  // No points (the user's own, not set yet): the square they are usually placed in.
  const xs = all.length > 0 ? all.map(([x]) => x) : [-EMPTY_EXTENT + MARGIN, EMPTY_EXTENT - MARGIN];
  const ys = all.length > 0 ? all.map(([, y]) => y) : [-EMPTY_EXTENT + MARGIN, EMPTY_EXTENT - MARGIN];
  return {
    x_min: Math.min(...xs) - MARGIN,
    x_max: Math.max(...xs) + MARGIN,
    y_min: Math.min(...ys) - MARGIN,
    y_max: Math.max(...ys) + MARGIN,
    resolution: 1,
    probabilities: [[0.5]],
    classes: points.classes ?? null,
    predicted: null,
    confidence: null,
    values: null,
  };
}
