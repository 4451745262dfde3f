/** Whether a node lies on screen, so the view moves only when the node it follows has left it. */

/** A node's box in flow coordinates. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** React Flow's viewport: the flow is shifted by (x, y) and scaled by zoom on screen. */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** True when the whole box is inside a canvas of `width` × `height` pixels at this viewport. */
export function isInView(box: Box, viewport: Viewport, width: number, height: number): boolean {
  const left = box.x * viewport.zoom + viewport.x;
  const top = box.y * viewport.zoom + viewport.y;
  const right = left + box.width * viewport.zoom;
  const bottom = top + box.height * viewport.zoom;
  return left >= 0 && top >= 0 && right <= width && bottom <= height;
}
