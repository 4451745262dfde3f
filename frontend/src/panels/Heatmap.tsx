/** A tensor drawn as a grid of coloured cells on a canvas. */
import { useEffect, useRef } from "react";
import { divergingColor, sequentialColor } from "../colors";
import { formatScalar } from "../format";

interface HeatmapProps {
  rows: number[][];
  /** "diverging" (blue–white–red around zero) for gradients, "sequential" for values. */
  scale: "diverging" | "sequential";
  label: string;
  /** Largest size of the drawing in CSS pixels. */
  maxWidth?: number;
  maxHeight?: number;
}

/** A box the size of a small heatmap, named "{label}: loading", while a tensor's values load. */
export function HeatmapLoading({ label, maxWidth = 280, maxHeight = 200 }: Omit<HeatmapProps, "rows" | "scale">) {
  const side = Math.min(maxWidth, maxHeight);
  return <span className="heatmap heatmap--loading" role="img" aria-label={`${label}: loading`} style={{ width: side, height: side }} />;
}

/** Draws `rows` as a heatmap named `label`; its accessible name also gives the range shown. */
export function Heatmap({ rows, scale, label, maxWidth = 280, maxHeight = 200 }: HeatmapProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  const cell = Math.max(1, Math.min(maxWidth / Math.max(width, 1), maxHeight / Math.max(height, 1), 24));
  const [min, max] = range(rows);

  useEffect(() => {
    const context = ref.current?.getContext("2d");
    if (context === null || context === undefined) return;
    const limit = Math.max(Math.abs(min), Math.abs(max));
    rows.forEach((row, y) =>
      row.forEach((x, i) => {
        context.fillStyle = scale === "diverging" ? divergingColor(x, limit) : sequentialColor(x, min, max);
        context.fillRect(i, y, 1, 1);
      }),
    );
  }, [rows, scale, min, max]);

  return (
    <canvas
      ref={ref}
      className="heatmap"
      role="img"
      aria-label={`${label}: heatmap from ${formatScalar(min)} to ${formatScalar(max)}`}
      width={width}
      height={height}
      style={{ width: width * cell, height: height * cell }}
    />
  );
}

function range(rows: number[][]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) for (const x of row) if (Number.isFinite(x)) [min, max] = [Math.min(min, x), Math.max(max, x)];
  return min <= max ? [min, max] : [0, 0];
}
