/** Colour scales for tensors drawn as heatmaps. */

type Rgb = [number, number, number];

/** Blue for negative, white at zero, red for positive: gradients, whose sign matters. */
const DIVERGING: Rgb[] = [
  [33, 102, 172],
  [146, 197, 222],
  [247, 247, 247],
  [244, 165, 130],
  [178, 24, 43],
];

/** Dark to light (viridis stops): values, where only the order matters. */
const SEQUENTIAL: Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of `x` on a diverging scale symmetric around zero, reaching full colour at ±`limit`. */
export function divergingColor(x: number, limit: number): string {
  const t = limit > 0 && Number.isFinite(x) ? Math.max(-1, Math.min(1, x / limit)) : 0;
  return interpolate(DIVERGING, (t + 1) / 2);
}

/** The colour of `x` on a sequential scale from `min` (dark) to `max` (light). */
export function sequentialColor(x: number, min: number, max: number): string {
  const t = max > min && Number.isFinite(x) ? (x - min) / (max - min) : 0.5;
  return interpolate(SEQUENTIAL, Math.max(0, Math.min(1, t)));
}

/** The colour at `t` in [0, 1] along evenly spaced stops, as "rgb(r, g, b)". */
function interpolate(stops: Rgb[], t: number): string {
  const scaled = t * (stops.length - 1);
  const i = Math.min(Math.floor(scaled), stops.length - 2);
  const f = scaled - i;
  const [a, b] = [stops[i] as Rgb, stops[i + 1] as Rgb];
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}
