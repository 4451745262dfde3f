/** Colour scales for tensors drawn as heatmaps, in the light and the dark theme. */
import type { Theme } from "./state/theme";

type Rgb = [number, number, number];

/**
 * Blue for negative, the theme's surface at zero, red for positive: gradients, whose sign
 * matters. Zero is the surface colour (--surface in theme.css) so a zero gradient reads as empty.
 */
const DIVERGING: Record<Theme, Rgb[]> = {
  light: [
    [33, 102, 172],
    [146, 197, 222],
    [255, 255, 255],
    [244, 165, 130],
    [178, 24, 43],
  ],
  dark: [
    [96, 165, 250],
    [44, 84, 138],
    [26, 29, 36],
    [138, 48, 58],
    [248, 113, 113],
  ],
};

/** Dark to light (viridis stops): values, where only the order matters; readable on both themes. */
const SEQUENTIAL: Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** A NaN or infinity: the theme's --warn, hatched with its --surface where cells are big enough. */
const NON_FINITE: Record<Theme, { fill: string; hatch: string }> = {
  light: { fill: "rgb(180, 83, 9)", hatch: "rgb(255, 255, 255)" },
  dark: { fill: "rgb(251, 191, 36)", hatch: "rgb(26, 29, 36)" },
};

/** Which scale: "diverging" around zero for gradients, "sequential" min to max for values. */
export type ScaleKind = "diverging" | "sequential";

/** A colour for every number between `low` and `high` (clamped beyond), and a warning one for NaN and ±∞. */
export interface ColorScale {
  kind: ScaleKind;
  low: number;
  high: number;
  color(x: number): string;
}

/**
 * The scale for finite numbers from `min` to `max`: a diverging one spans ±max(|min|, |max|) so
 * zero sits in its middle; a sequential one spans min to max.
 */
export function colorScale(kind: ScaleKind, min: number, max: number, theme: Theme): ColorScale {
  if (kind === "diverging") {
    const limit = Math.max(Math.abs(min), Math.abs(max));
    return { kind, low: -limit, high: limit, color: (x) => (Number.isFinite(x) ? divergingColor(x, limit, theme) : nonFiniteColor(theme).fill) };
  }
  return { kind, low: min, high: max, color: (x) => (Number.isFinite(x) ? sequentialColor(x, min, max) : nonFiniteColor(theme).fill) };
}

/** The colours a NaN or infinity is drawn in: `fill`, striped with `hatch` where there is room. */
export function nonFiniteColor(theme: Theme): { fill: string; hatch: string } {
  return NON_FINITE[theme];
}

/** The colour of `x` on a diverging scale symmetric around zero, reaching full colour at ±`limit`. */
export function divergingColor(x: number, limit: number, theme: Theme = "light"): string {
  const t = limit > 0 && Number.isFinite(x) ? Math.max(-1, Math.min(1, x / limit)) : 0;
  return interpolate(DIVERGING[theme], (t + 1) / 2);
}

/** The colour of `x` on a sequential scale from `min` (dark) to `max` (light). */
export function sequentialColor(x: number, min: number, max: number): string {
  const t = max > min && Number.isFinite(x) ? (x - min) / (max - min) : 0.5;
  return interpolate(SEQUENTIAL, Math.max(0, Math.min(1, t)));
}

/** A CSS linear-gradient running through `scale` from low (left) to high (right). */
export function scaleGradient(scale: ColorScale): string {
  const steps = 8;
  const colors = Array.from({ length: steps + 1 }, (_, i) => scale.color(scale.low + ((scale.high - scale.low) * i) / steps));
  return `linear-gradient(to right, ${colors.join(", ")})`;
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
