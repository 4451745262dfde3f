import { describe, expect, it } from "vitest";
import { boundsOf, frameView, MIN_ZOOM, READABLE_ZOOM, visibleArea } from "./framing";

const canvas = { width: 1000, height: 600 };
/** A row of `count` cards 184 wide, 240 apart: a long chain. */
const row = (count: number) => Array.from({ length: count }, (_, i) => ({ x: i * 240, y: 0, width: 184, height: 84 }));

const inside = (outer: { x: number; y: number; width: number; height: number }, inner: typeof outer) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

describe("boundsOf", () => {
  it("holds every rect", () => {
    expect(boundsOf([{ x: 0, y: 10, width: 5, height: 5 }, { x: -5, y: 0, width: 5, height: 5 }])).toEqual({
      x: -5,
      y: 0,
      width: 10,
      height: 15,
    });
    expect(boundsOf([])).toBeNull();
  });
});

describe("frameView", () => {
  it("fits a small graph whole", () => {
    const graph = boundsOf(row(3))!;
    const view = frameView(graph, null, canvas, null);
    expect(view?.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(inside(visibleArea(view!, canvas), graph)).toBe(true);
  });

  it("fits a medium graph whole while it fits at all, even with small cards", () => {
    const graph = boundsOf(row(25))!;
    const view = frameView(graph, graph, canvas, null);
    expect(view?.zoom).toBeLessThan(READABLE_ZOOM);
    expect(view?.zoom).toBeGreaterThanOrEqual(MIN_ZOOM);
    expect(inside(visibleArea(view!, canvas), graph)).toBe(true);
  });

  it("shows a large graph's newest node at a readable zoom, without empty space past the graph", () => {
    const cards = row(500);
    const graph = boundsOf(cards)!;
    const newest = cards.at(-1)!;
    const view = frameView(graph, newest, canvas, null)!;
    expect(view.zoom).toBe(READABLE_ZOOM);
    const seen = visibleArea(view, canvas);
    expect(inside(seen, newest)).toBe(true);
    // Clear of the canvas's right edge, where the minimap floats, but no emptier than that.
    const room = seen.x + seen.width - (newest.x + newest.width);
    expect(room).toBeGreaterThanOrEqual(0.2 * seen.width - 1);
    expect(room).toBeLessThanOrEqual(0.2 * seen.width + 1);
  });

  it("leaves the view alone when the new nodes are already in it", () => {
    const cards = row(500);
    const current = { x: 0, y: 100, zoom: 0.8 };
    expect(frameView(boundsOf(cards)!, cards[1]!, canvas, current)).toBeNull();
  });

  it("brings new nodes out of view into it, at the zoom the user chose", () => {
    const cards = row(500);
    const current = { x: 0, y: 100, zoom: 0.8 };
    const added = cards[300]!;
    const view = frameView(boundsOf(cards)!, added, canvas, current)!;
    expect(view.zoom).toBe(0.8);
    expect(inside(visibleArea(view, canvas), added)).toBe(true);
  });

  it("keeps the view of a large graph when nothing was added", () => {
    expect(frameView(boundsOf(row(500))!, null, canvas, { x: 0, y: 0, zoom: 1 })).toBeNull();
  });
});
