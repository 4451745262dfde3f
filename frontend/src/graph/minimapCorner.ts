/** Where the minimap may float: a corner of the canvas no card lies under. Pure, so it is tested without a browser. */
import type { Rect, Viewport } from "@xyflow/react";
import type { CanvasSize } from "./framing";

/** The minimap's box on screen, in pixels. */
export const MINIMAP_SIZE = { width: 160, height: 110 } as const;
/** React Flow's gap between a floating panel and the canvas's edge. */
const PANEL_MARGIN = 15;
/** A canvas narrower than this (a phone's) keeps its width for the cards: no minimap. */
const NARROWEST_WITH_MINIMAP = 4 * MINIMAP_SIZE.width;

/** The corners the minimap may take, in order of preference; the bottom left holds the zoom controls. */
export const MINIMAP_CORNERS = ["bottom-right", "top-right", "top-left"] as const;
export type MinimapCorner = (typeof MINIMAP_CORNERS)[number];

/**
 * The first corner whose minimap box covers no part of any node (`nodes` in the graph's plane,
 * seen at `view`), or null when every corner would cover one or the canvas is too narrow: then
 * the minimap hides rather than sit on a card.
 */
export function freeCorner(nodes: readonly Rect[], view: Viewport, canvas: CanvasSize): MinimapCorner | null {
  if (canvas.width < NARROWEST_WITH_MINIMAP) return null;
  const onScreen = nodes.map((node) => ({
    x: node.x * view.zoom + view.x,
    y: node.y * view.zoom + view.y,
    width: node.width * view.zoom,
    height: node.height * view.zoom,
  }));
  return MINIMAP_CORNERS.find((corner) => !onScreen.some((node) => overlaps(node, minimapBox(corner, canvas)))) ?? null;
}

/** The minimap's box on screen in `corner`. */
function minimapBox(corner: MinimapCorner, canvas: CanvasSize): Rect {
  const x = corner.endsWith("right") ? canvas.width - PANEL_MARGIN - MINIMAP_SIZE.width : PANEL_MARGIN;
  const y = corner.startsWith("bottom") ? canvas.height - PANEL_MARGIN - MINIMAP_SIZE.height : PANEL_MARGIN;
  return { x, y, ...MINIMAP_SIZE };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
