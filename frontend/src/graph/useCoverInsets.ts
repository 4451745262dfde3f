/** Measures how far a panel floating over the canvas reaches in, so framing can keep clear of it. */
import { useLayoutEffect, useState, type RefObject } from "react";
import { insetsAround, NO_INSETS, type Insets } from "./framing";

/**
 * The insets that keep the canvas's framing clear of `panel`, an element floating in a corner of
 * its parent (the canvas), followed as either changes size. The object changes only when a value does.
 */
export function useCoverInsets(panel: RefObject<HTMLElement | null>): Insets {
  const [insets, setInsets] = useState<Insets>(NO_INSETS);
  // Measured before the first paint, so the graph's first framing already keeps clear of the panel.
  useLayoutEffect(() => {
    const element = panel.current;
    const canvas = element?.parentElement;
    if (!element || !canvas) return;
    const measure = () => {
      const outer = canvas.getBoundingClientRect();
      const inner = element.getBoundingClientRect();
      const rect = { x: inner.x - outer.x, y: inner.y - outer.y, width: inner.width, height: inner.height };
      const next = insetsAround(rect, { width: outer.width, height: outer.height });
      setInsets((before) => (sameInsets(before, next) ? before : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [panel]);
  return insets;
}

function sameInsets(a: Insets, b: Insets): boolean {
  return a.top === b.top && a.right === b.right && a.bottom === b.bottom && a.left === b.left;
}
