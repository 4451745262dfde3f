import { describe, expect, it } from "vitest";
import { isInView } from "./inView";

const box = { x: 100, y: 50, width: 40, height: 20 };

describe("isInView", () => {
  it("sees a box drawn inside the canvas", () => {
    expect(isInView(box, { x: 0, y: 0, zoom: 1 }, 800, 600)).toBe(true);
  });

  it("misses a box panned or zoomed past an edge", () => {
    expect(isInView(box, { x: -120, y: 0, zoom: 1 }, 800, 600)).toBe(false);
    expect(isInView(box, { x: 0, y: 0, zoom: 1 }, 130, 600)).toBe(false);
    // At zoom 2 the box spans 200..280 across and 100..140 down: past a 120-pixel-high canvas.
    expect(isInView(box, { x: 0, y: 0, zoom: 2 }, 800, 120)).toBe(false);
  });
});
