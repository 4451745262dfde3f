/** A line chart drawn by uPlot: epochs along x, one line per series. */
import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { decadeSplits, formatDecade } from "./logAxis";
import type { Series } from "./series";

/** Line colours, in series order; they read on light and dark backgrounds alike. */
export const LINE_COLORS = ["#2563eb", "#e8590c", "#16a34a", "#9333ea", "#db2777", "#0891b2"];

/** Tick spacings along the epoch axis. */
const EPOCH_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** A vertical line across the chart at `x` (in epochs): the scrubbed step solid, a fork dashed. */
export interface Marker {
  x: number;
  dashed?: boolean;
}

interface ChartProps {
  series: Series;
  /** Log scale on y (values ≤ 0 are left out). */
  log?: boolean;
  /** A fixed y range (a fraction's 0 to 1), rather than one fitted to the values. */
  range?: [number, number];
  height?: number;
  /** Lines drawn across the plot at given epochs. */
  markers?: readonly Marker[] | undefined;
}

/**
 * Draws `series`, re-using one uPlot as the data changes (setData is cheap); a new uPlot is made
 * only when the set of series or the scale changes. Width follows the container.
 */
export function Chart({ series, log = false, range, height = 150, markers = NO_MARKERS }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const marked = useRef(markers);
  const shape = `${series.names.join("|")}:${log}:${range?.join(",") ?? ""}`;
  const data = useMemo(() => (log ? positiveOnly(series.data) : series.data), [series.data, log]);

  useEffect(() => {
    const target = box.current;
    if (target === null) return;
    const made = new uPlot(
      { ...options(series.names, log, range, target.clientWidth, height), plugins: [markerPlugin(() => marked.current)] },
      data as uPlot.AlignedData,
      target,
    );
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

  const markerKey = markers.map((marker) => `${marker.x}${marker.dashed === true ? "d" : ""}`).join(",");
  useEffect(() => {
    marked.current = markers;
    // Axes recalculated too: a plot made in this same commit has not placed its axes yet.
    plot.current?.redraw(false, true);
    // The key says when the markers changed; a new array of the same lines needs no redraw.
  }, [markerKey]);

  return <div ref={box} className="chart" data-markers={markerKey || undefined} />;
}

const NO_MARKERS: readonly Marker[] = [];

/** Draws the markers `current()` gives over the plot after each redraw. */
function markerPlugin(current: () => readonly Marker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (plot) => {
        const { ctx, bbox } = plot;
        const color = getComputedStyle(document.documentElement).getPropertyValue("--text").trim() || "#1f2330";
        ctx.save();
        ctx.strokeStyle = color;
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        for (const marker of current()) {
          const x = plot.valToPos(marker.x, "x", true);
          if (!Number.isFinite(x) || x < bbox.left || x > bbox.left + bbox.width) continue;
          ctx.setLineDash(marker.dashed === true ? [4 * devicePixelRatio, 3 * devicePixelRatio] : []);
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

function options(names: string[], log: boolean, range: [number, number] | undefined, width: number, height: number): uPlot.Options {
  const style = getComputedStyle(document.documentElement);
  const text = style.getPropertyValue("--muted").trim() || "#5d616d";
  const grid = style.getPropertyValue("--border").trim() || "#d6d9e0";
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width: Math.max(width, 100),
    height,
    scales: { x: { time: false }, y: log ? { distr: 3 } : range === undefined ? {} : { range } },
    // The caption says the x axis counts epochs; whole epochs only.
    axes: [{ ...axis, size: 28, incrs: EPOCH_STEPS }, { ...axis, ...(log ? LOG_AXIS : LINEAR_AXIS) }],
    series: [{ label: "epoch" }, ...names.map((label, i) => ({ label, stroke: LINE_COLORS[i % LINE_COLORS.length] ?? "currentColor", width: 2, points: { show: false } }))],
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
  };
}

/** A log axis labelled at decades only, as "0.01" or "1e-5": no label rounds to 0 or repeats another. */
const LOG_AXIS: uPlot.Axis = {
  size: 48,
  splits: (_plot, _axis, min, max) => decadeSplits(min, max),
  // The splits are thinned already: uPlot's own log filter would blank some of them out.
  filter: (_plot, splits) => splits,
  values: (plot, splits) => shown(plot, splits.map(formatDecade)),
};

/** A linear axis labelled by its ticks' values, without float noise ("0.3", not "0.30000000000000004"). */
const LINEAR_AXIS: uPlot.Axis = {
  size: 48,
  values: (plot, splits) => shown(plot, splits.map((value) => String(Number(value.toPrecision(4))))),
};

/**
 * The y axis's labels, also written to the chart's data-y-ticks (uPlot draws them on a canvas,
 * out of reach of the page's text), so what the axis says can be read and checked.
 */
function shown(plot: uPlot, labels: string[]): string[] {
  plot.root.parentElement?.setAttribute("data-y-ticks", labels.join(" "));
  return labels;
}

/** The data with values a log scale cannot show (zero, negative) left out. */
function positiveOnly(data: Series["data"]): Series["data"] {
  const [x, ...ys] = data;
  return [x, ...ys.map((y) => y.map((v) => (v !== null && v > 0 ? v : null)))];
}
