/** A tensor drawn as a grid of coloured cells on a canvas, in the colours of the current theme. */
import { useEffect, useRef, useState, type MouseEvent } from "react";
import { colorScale, nonFiniteColor, type ColorScale, type ScaleKind } from "../colors";
import { formatScalar } from "../format";
import type { Theme } from "../state/theme";
import { useTheme } from "../state/theme";
import { finiteRange } from "../tensor";
import { Num } from "./Num";

interface HeatmapProps {
  rows: number[][];
  /** "diverging" (blue–surface–red around zero) for gradients, "sequential" for values. */
  scale: ScaleKind;
  label: string;
  /** Largest size of the drawing in CSS pixels. */
  maxWidth?: number;
  maxHeight?: number;
  /** The finite range the colours span; by default the range of `rows`. */
  range?: [number, number];
  /** The tensor index of a cell; given, hovering a cell shows its index and value. */
  cellIndex?: (row: number, column: number) => readonly number[];
}

/** Cells at least this many CSS pixels wide show NaN and infinities hatched, not just coloured. */
const HATCH_FROM = 4;

/** A box the size of a small heatmap, named "{label}: loading", while a tensor's values load. */
export function HeatmapLoading({ label, maxWidth = 280, maxHeight = 200 }: Pick<HeatmapProps, "label" | "maxWidth" | "maxHeight">) {
  const side = Math.min(maxWidth, maxHeight);
  return <span className="heatmap heatmap--loading" role="img" aria-label={`${label}: loading`} style={{ width: side, height: side }} />;
}

/** Draws `rows` as a heatmap named `label`; its accessible name also gives the range shown. */
export function Heatmap({ rows, scale, label, maxWidth = 280, maxHeight = 200, range, cellIndex }: HeatmapProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { theme } = useTheme();
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  // CSS pixels per cell: below one for a big tensor, drawn shrunk rather than spilling out of its box.
  const cell = Math.min(maxWidth / Math.max(width, 1), maxHeight / Math.max(height, 1), 24);
  // Canvas pixels per cell: one, unless cells are big enough to hatch.
  const pixels = cell >= HATCH_FROM ? Math.floor(cell) : 1;
  const [min, max] = range ?? finiteRange(rows.flat());
  const [hovered, setHovered] = useState<{ row: number; column: number } | null>(null);

  useEffect(() => {
    const context = ref.current?.getContext("2d");
    if (context === null || context === undefined) return;
    draw(context, rows, colorScale(scale, min, max, theme), theme, pixels);
  }, [rows, scale, min, max, theme, pixels]);

  function hover(event: MouseEvent<HTMLCanvasElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    const column = Math.floor(((event.clientX - box.left) / box.width) * width);
    const row = Math.floor(((event.clientY - box.top) / box.height) * height);
    const inside = row >= 0 && row < height && column >= 0 && column < width;
    setHovered(inside ? { row, column } : null);
  }

  const canvas = (
    <canvas
      ref={ref}
      className="heatmap"
      role="img"
      aria-label={`${label}: heatmap from ${formatScalar(min)} to ${formatScalar(max)}`}
      width={width * pixels}
      height={height * pixels}
      style={{ width: width * cell, height: height * cell }}
      onMouseMove={cellIndex === undefined ? undefined : hover}
      onMouseLeave={cellIndex === undefined ? undefined : () => setHovered(null)}
    />
  );
  if (cellIndex === undefined) return canvas;
  const value = hovered === null ? undefined : rows[hovered.row]?.[hovered.column];
  return (
    <span className="heatmap__frame">
      {canvas}
      {hovered === null || value === undefined ? null : (
        <span
          role="tooltip"
          className="heatmap__tooltip"
          style={{ left: (hovered.column + 1) * cell + 4, top: hovered.row * cell }}
        >
          [{cellIndex(hovered.row, hovered.column).join(", ")}] = <Num value={value} digits={7} />
        </span>
      )}
    </span>
  );
}

/** Paints every cell `pixels` square; NaN and infinities in the warning colour, hatched when there is room. */
function draw(context: CanvasRenderingContext2D, rows: number[][], scale: ColorScale, theme: Theme, pixels: number) {
  const warning = nonFiniteColor(theme);
  rows.forEach((row, y) =>
    row.forEach((x, i) => {
      context.fillStyle = scale.color(x);
      context.fillRect(i * pixels, y * pixels, pixels, pixels);
      if (Number.isFinite(x) || pixels < HATCH_FROM) return;
      context.fillStyle = warning.hatch;
      hatch(context, i * pixels, y * pixels, pixels);
    }),
  );
}

/** Diagonal stripes over the `size`-pixel square at (left, top), in the current fill colour. */
function hatch(context: CanvasRenderingContext2D, left: number, top: number, size: number) {
  const stripe = Math.max(1, Math.floor(size / 6));
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if ((x + y) % (3 * stripe) < stripe) context.fillRect(left + x, top + y, 1, 1);
}
