/** Where the canvas looks after the graph changes: pure, so it can be tested without a browser. */
import { getViewportForBounds, type Rect, type Viewport } from "@xyflow/react";

/** The smallest zoom the canvas allows, and so the smallest at which the whole graph is framed. */
export const MIN_ZOOM = 0.1;
/**
 * The zoom at which a graph too large to frame whole is shown, so its cards can be read. Graphs
 * that fit only further out are still framed whole (micrograd's example fits at about 0.16):
 * seeing all of a medium graph at first matters more than reading it without zooming in.
 */
export const READABLE_ZOOM = 0.5;
/** The closest the view frames a small graph. */
export const MAX_FIT_ZOOM = 1.25;
/**
 * Room around what is framed, as a fraction of the canvas: around the whole graph, or between
 * the nodes in focus and the canvas's edges, where the minimap and the controls float.
 */
export const FIT_PADDING = 0.2;

/** The canvas's size on screen, in pixels. */
export interface CanvasSize {
  width: number;
  height: number;
}

/** The smallest rectangle holding every rect; null for none. */
export function boundsOf(rects: readonly Rect[]): Rect | null {
  if (rects.length === 0) return null;
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The view to show: the whole graph when it fits at all (at MIN_ZOOM or closer); otherwise, if
 * `focus` (the nodes just added) is given and not already in view, a view at the current zoom
 * (at first, the readable one) that shows it, with as much of the graph around it as the canvas
 * holds. Null when the view should stay as it is: the user may have panned somewhere on purpose.
 */
export function frameView(graph: Rect, focus: Rect | null, canvas: CanvasSize, current: Viewport | null): Viewport | null {
  const whole = getViewportForBounds(graph, canvas.width, canvas.height, 0, MAX_FIT_ZOOM, FIT_PADDING);
  if (whole.zoom >= MIN_ZOOM) return whole;
  if (focus === null || (current !== null && contains(visibleArea(current, canvas), focus))) return null;
  const zoom = current?.zoom ?? READABLE_ZOOM;
  const [width, height] = [canvas.width / zoom, canvas.height / zoom];
  const [marginX, marginY] = [width * FIT_PADDING, height * FIT_PADDING];
  const x = windowStart(focus.x, focus.width, graph.x - marginX, graph.width + 2 * marginX, width);
  const y = windowStart(focus.y, focus.height, graph.y - marginY, graph.height + 2 * marginY, height);
  return { x: -x * zoom, y: -y * zoom, zoom };
}

/** The part of the graph's plane the canvas shows at `view`. */
export function visibleArea(view: Viewport, canvas: CanvasSize): Rect {
  return { x: -view.x / view.zoom, y: -view.y / view.zoom, width: canvas.width / view.zoom, height: canvas.height / view.zoom };
}

function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/**
 * Where a window of `size` starts along one axis: centred on the focus, then slid back inside
 * the graph's extent so no more empty space shows than needed; centred on the graph when the
 * whole extent fits.
 */
function windowStart(focusStart: number, focusSize: number, start: number, extent: number, size: number): number {
  if (extent <= size) return start + extent / 2 - size / 2;
  const centred = focusStart + focusSize / 2 - size / 2;
  return Math.min(Math.max(centred, start), start + extent - size);
}
