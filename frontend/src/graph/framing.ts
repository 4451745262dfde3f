/** Where the canvas looks: pure, so it can be tested without a browser. */
import type { Rect, Viewport } from "@xyflow/react";

/** The smallest zoom the canvas allows, and so the smallest at which the whole graph is framed. */
export const MIN_ZOOM = 0.1;
/**
 * A graph that fits whole at this zoom or closer opens fitted; a larger one opens on its output,
 * at FOCUS_ZOOM, since cards shrunk further cannot be read (the minimap shows the whole).
 */
export const READABLE_ZOOM = 0.5;
/** The zoom at which a graph too large to fit readably is shown: full cards, text at about 10 px. */
export const FOCUS_ZOOM = 0.8;
/**
 * Folded groups' cards read at this zoom or closer: their titles are drawn at 32 px when zoomed
 * out (graph.css), about 10 px on screen here. A model folded to cards that fit at this zoom
 * opens on all of them, though its whole graph would not read.
 */
export const GROUPS_READABLE_ZOOM = 0.32;
/** The closest the view frames a small graph. */
export const MAX_FIT_ZOOM = 1.25;
/**
 * Room around what is framed, as a fraction of the visible area: around the whole graph, or between
 * the nodes in focus and the canvas's edges, where the minimap and the controls float.
 */
export const FIT_PADDING = 0.1;

/** The canvas's size on screen, in pixels. */
export interface CanvasSize {
  width: number;
  height: number;
}

/** How far panels floating over the canvas reach in from each edge, in screen pixels. */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const NO_INSETS: Insets = { top: 0, right: 0, bottom: 0, left: 0 };

/**
 * The band along the canvas's bottom edge where the zoom controls float (a row of buttons and
 * its margin): framing keeps the cards above it, so no button covers a card it framed.
 */
export const CONTROLS_BAND: Insets = { ...NO_INSETS, bottom: 48 };

/** A node's rect in the graph's plane: its laid-out position and the card size the layout used. */
export function rectOf(node: { position: { x: number; y: number }; width?: number; height?: number }): Rect {
  return { x: node.position.x, y: node.position.y, width: node.width ?? 0, height: node.height ?? 0 };
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

/** The whole graph, centred in the area the panels leave, as close as MAX_FIT_ZOOM and no further out than MIN_ZOOM. */
export function fitView(graph: Rect, canvas: CanvasSize, insets: Insets): Viewport {
  const area = visibleScreen(canvas, insets);
  return centredOn(graph, clamp(fittingZoom(graph, area), MIN_ZOOM, MAX_FIT_ZOOM), area);
}

/** The zoom at which `rect` fills the area but for FIT_PADDING on each side. */
function fittingZoom(rect: Rect, area: Rect): number {
  const scale = 1 - 2 * FIT_PADDING;
  return Math.min((area.width * scale) / rect.width, (area.height * scale) / rect.height);
}

/**
 * The view a workspace opens at: the whole graph when it fits at READABLE_ZOOM or closer; else
 * every folded group's card (`groups`, their bounds) when they fit at GROUPS_READABLE_ZOOM or
 * closer, at FOCUS_ZOOM at most; otherwise `focus` (its output) at FOCUS_ZOOM. Either way with as
 * much of the graph around as the area holds, slid so no more empty space shows past it than needed.
 */
export function frameFor(graph: Rect, canvas: CanvasSize, insets: Insets, focus: Rect | null, groups: Rect | null = null): Viewport {
  const whole = fitView(graph, canvas, insets);
  if (whole.zoom >= READABLE_ZOOM) return whole;
  const groupsZoom = groups === null ? 0 : fittingZoom(groups, visibleScreen(canvas, insets));
  if (groups !== null && groupsZoom >= GROUPS_READABLE_ZOOM) return showing(groups, graph, canvas, insets, Math.min(groupsZoom, FOCUS_ZOOM));
  if (focus === null) return whole;
  return showing(focus, graph, canvas, insets, FOCUS_ZOOM);
}

/**
 * The view after the graph grew, or null to keep the user's: a graph that fits readably is
 * fitted again; otherwise nodes just added (`focus`) that are out of sight are brought into view
 * at the current zoom.
 */
export function followView(graph: Rect, canvas: CanvasSize, insets: Insets, focus: Rect | null, current: Viewport): Viewport | null {
  const whole = fitView(graph, canvas, insets);
  if (whole.zoom >= READABLE_ZOOM) return whole;
  if (focus === null || contains(visibleArea(current, canvas, insets), focus)) return null;
  return showing(focus, graph, canvas, insets, current.zoom);
}

/**
 * The view that brings `focus` (the nodes a backprop step acts on) back into sight, centred in
 * the area the panels leave, at the current zoom or as far out as it takes to show it whole; null
 * while the whole of it is in sight, so the view moves only once part of it has left.
 */
export function followNode(focus: Rect, canvas: CanvasSize, insets: Insets, current: Viewport): Viewport | null {
  if (contains(visibleArea(current, canvas, insets), focus)) return null;
  const area = visibleScreen(canvas, insets);
  return centredOn(focus, clamp(Math.min(current.zoom, fittingZoom(focus, area)), MIN_ZOOM, MAX_FIT_ZOOM), area);
}

/** The part of the graph's plane shown at `view` outside the panels. */
export function visibleArea(view: Viewport, canvas: CanvasSize, insets: Insets = NO_INSETS): Rect {
  const area = visibleScreen(canvas, insets);
  return {
    x: (area.x - view.x) / view.zoom,
    y: (area.y - view.y) / view.zoom,
    width: area.width / view.zoom,
    height: area.height / view.zoom,
  };
}

/** A view at `zoom` that shows `focus` and as much of the graph around it as the area holds. */
function showing(focus: Rect, graph: Rect, canvas: CanvasSize, insets: Insets, zoom: number): Viewport {
  const area = visibleScreen(canvas, insets);
  const [width, height] = [area.width / zoom, area.height / zoom];
  const [marginX, marginY] = [width * FIT_PADDING, height * FIT_PADDING];
  const x = windowStart(focus.x, focus.width, graph.x - marginX, graph.width + 2 * marginX, width);
  const y = windowStart(focus.y, focus.height, graph.y - marginY, graph.height + 2 * marginY, height);
  return { x: area.x - x * zoom, y: area.y - y * zoom, zoom };
}

/** The view at `zoom` whose visible area's centre is the rect's centre. */
function centredOn(rect: Rect, zoom: number, area: Rect): Viewport {
  const centreX = rect.x + rect.width / 2;
  const centreY = rect.y + rect.height / 2;
  return { x: area.x + area.width / 2 - centreX * zoom, y: area.y + area.height / 2 - centreY * zoom, zoom };
}

/** The canvas's area not under a panel, in screen pixels relative to the canvas. */
function visibleScreen(canvas: CanvasSize, insets: Insets): Rect {
  return {
    x: insets.left,
    y: insets.top,
    width: Math.max(1, canvas.width - insets.left - insets.right),
    height: Math.max(1, canvas.height - insets.top - insets.bottom),
  };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
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
