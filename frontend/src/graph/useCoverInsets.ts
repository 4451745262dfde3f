/** Measures how far a panel floating over the canvas reaches in, so framing can keep clear of it. */
import { useLayoutEffect, useMemo, useState, type RefObject } from "react";
import { insetsAround, NO_INSETS, type CanvasSize, type Insets } from "./framing";
import type { Rect } from "@xyflow/react";

/** The panel's rect inside the canvas and the canvas's size, in screen pixels. */
interface Cover {
  panel: Rect;
  canvas: CanvasSize;
}

/**
 * The insets that keep the canvas's framing clear of `panel`, an element floating in a corner of
 * its parent (the canvas), followed as either changes size, on the side that shows `graph` (its
 * bounds) largest. The object changes only when a value does.
 */
export function useCoverInsets(panel: RefObject<HTMLElement | null>, graph: Rect | null): Insets {
  const [cover, setCover] = useState<Cover | null>(null);
  // Measured before the first paint, so the graph's first framing already keeps clear of the panel.
  useLayoutEffect(() => {
    const element = panel.current;
    const canvas = element?.parentElement;
    if (!element || !canvas) return;
    const measure = () => {
      const outer = canvas.getBoundingClientRect();
      const inner = element.getBoundingClientRect();
      const next = {
        panel: { x: inner.x - outer.x, y: inner.y - outer.y, width: inner.width, height: inner.height },
        canvas: { width: outer.width, height: outer.height },
      };
      setCover((before) => (before !== null && sameCover(before, next) ? before : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [panel]);
  const { top, right, bottom, left } = cover === null ? NO_INSETS : insetsAround(cover.panel, cover.canvas, graph);
  return useMemo(() => ({ top, right, bottom, left }), [top, right, bottom, left]);
}

function sameCover(a: Cover, b: Cover): boolean {
  const [p, q] = [a.panel, b.panel];
  const samePanel = p.x === q.x && p.y === q.y && p.width === q.width && p.height === q.height;
  return samePanel && a.canvas.width === b.canvas.width && a.canvas.height === b.canvas.height;
}
