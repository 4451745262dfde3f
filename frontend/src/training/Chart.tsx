/** A line chart drawn by uPlot: epochs along x, one line per series. */
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Series } from "./series";

/** Line colours, in series order; they read on light and dark backgrounds alike. */
export const LINE_COLORS = ["#2563eb", "#e8590c", "#16a34a", "#9333ea", "#db2777", "#0891b2"];

/** Tick spacings along the epoch axis. */
const EPOCH_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

interface ChartProps {
  series: Series;
  /** Log scale on y (values ≤ 0 are left out). */
  log?: boolean;
  height?: number;
}

/**
 * Draws `series`, re-using one uPlot as the data changes (setData is cheap); a new uPlot is made
 * only when the set of series or the scale changes. Width follows the container.
 */
export function Chart({ series, log = false, height = 150 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = `${series.names.join("|")}:${log}`;
  const data = useMemo(() => (log ? positiveOnly(series.data) : series.data), [series.data, log]);

  useEffect(() => {
    const target = box.current;
    if (target === null) return;
    const made = new uPlot(options(series.names, log, target.clientWidth, height), data as uPlot.AlignedData, target);
    plot.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: target.clientWidth, height }));
    resize.observe(target);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = null;
    };
    // Only a new shape makes a new plot; data changes go through setData below.
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div ref={box} className="chart" />;
}

function options(names: string[], log: boolean, width: number, height: number): uPlot.Options {
  const style = getComputedStyle(document.documentElement);
  const text = style.getPropertyValue("--muted").trim() || "#5d616d";
  const grid = style.getPropertyValue("--border").trim() || "#d6d9e0";
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width: Math.max(width, 100),
    height,
    scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
    // The caption says the x axis counts epochs; whole epochs only.
    axes: [{ ...axis, size: 28, incrs: EPOCH_STEPS }, { ...axis, size: 48 }],
    series: [{ label: "epoch" }, ...names.map((label, i) => ({ label, stroke: LINE_COLORS[i % LINE_COLORS.length] ?? "currentColor", width: 2, points: { show: false } }))],
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
  };
}

/** The data with values a log scale cannot show (zero, negative) left out. */
function positiveOnly(data: Series["data"]): Series["data"] {
  const [x, ...ys] = data;
  return [x, ...ys.map((y) => y.map((v) => (v !== null && v > 0 ? v : null)))];
}
