/** The decision boundary and the data points as pixels: pure, so the drawing can be tested. */
import type { DecisionBoundary, TrainingPoints } from "../api/types";

type Rgb = readonly [number, number, number];

/** The two classes' colours (TensorFlow Playground's orange and blue), class 0 first. */
export const CLASS_COLORS: readonly [Rgb, Rgb] = [
  [245, 147, 34],
  [8, 119, 189],
];

/** How opaque the most certain cells are: the page's background shows through the rest. */
const MAX_ALPHA = 200;
/** How far the drawing reaches past the outermost points (as the server's grid does). */
const MARGIN = 0.25;

/** "rgb(r g b)" for a class's colour. */
export function classColor(label: number): string {
  const [r, g, b] = CLASS_COLORS[label === 1 ? 1 : 0];
  return `rgb(${r} ${g} ${b})`;
}

/**
 * The boundary as RGBA pixels, `resolution` wide and high, top row first (so the highest y is
 * on top, whereas the server's row 0 is y_min). Each cell takes the colour of the class it
 * predicts, more opaque the surer the model is; a probability of exactly 0.5 is transparent.
 * `discrete` draws hard classes instead: every cell but the undecided 0.5 fully coloured.
 */
export function boundaryPixels(boundary: DecisionBoundary, discrete = false): Uint8ClampedArray {
  const size = boundary.resolution;
  const pixels = new Uint8ClampedArray(size * size * 4);
  boundary.probabilities.forEach((row, r) => {
    const top = size - 1 - r;
    row.forEach((p, column) => {
      const [red, green, blue] = CLASS_COLORS[p > 0.5 ? 1 : 0];
      const at = (top * size + column) * 4;
      pixels[at] = red;
      pixels[at + 1] = green;
      pixels[at + 2] = blue;
      const certainty = discrete ? Math.sign(Math.abs(p - 0.5)) : Math.min(1, Math.abs(p - 0.5) * 2);
      pixels[at + 3] = Math.round(certainty * MAX_ALPHA);
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

/** The share of the grid the model assigns to class 1, from 0 to 1. */
export function classOneShare(boundary: DecisionBoundary): number {
  const cells = boundary.probabilities.flat();
  return cells.length === 0 ? 0 : cells.filter((p) => p > 0.5).length / cells.length;
}

/** A boundary that predicts nothing (0.5 everywhere) over points' extent: the frame for data
 * drawn before a model has learned it. */
export function emptyBoundary(points: TrainingPoints): DecisionBoundary {
  const all = [...points.train, ...points.test];
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  return {
    x_min: Math.min(...xs) - MARGIN,
    x_max: Math.max(...xs) + MARGIN,
    y_min: Math.min(...ys) - MARGIN,
    y_max: Math.max(...ys) + MARGIN,
    resolution: 1,
    probabilities: [[0.5]],
  };
}
