import { describe, expect, it } from "vitest";
import {
  boundsOf,
  fitView,
  FOCUS_ZOOM,
  followNode,
  followView,
  frameFor,
  GROUPS_READABLE_ZOOM,
  MIN_ZOOM,
  NO_INSETS,
  READABLE_ZOOM,
  visibleArea,
} from "./framing";

const canvas = { width: 1000, height: 600 };
/** A row of `count` cards 184 wide, 240 apart: a long chain. */
const row = (count: number) => Array.from({ length: count }, (_, i) => ({ x: i * 240, y: 0, width: 184, height: 84 }));
/** Something floating along the canvas's left edge, 332 px wide. */
const leftPanel = { ...NO_INSETS, left: 332 };

type Rect = { x: number; y: number; width: number; height: number };
const inside = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x - 1e-6 &&
  inner.y >= outer.y - 1e-6 &&
  inner.x + inner.width <= outer.x + outer.width + 1e-6 &&
  inner.y + inner.height <= outer.y + outer.height + 1e-6;

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

describe("fitView", () => {
  it("shows the whole graph clear of the panel", () => {
    const graph = boundsOf(row(3))!;
    const view = fitView(graph, canvas, leftPanel);
    expect(inside(visibleArea(view, canvas, leftPanel), graph)).toBe(true);
  });

  it("goes no further out than the smallest zoom", () => {
    expect(fitView(boundsOf(row(900))!, canvas, NO_INSETS).zoom).toBe(MIN_ZOOM);
  });
});

describe("frameFor", () => {
  it("fits a small graph whole, readable, beside the panel", () => {
    const graph = boundsOf(row(3))!;
    const view = frameFor(graph, canvas, leftPanel, graph);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(inside(visibleArea(view, canvas, leftPanel), graph)).toBe(true);
  });

  it("opens a graph too large to read whole on its output, at the focus zoom, beside the panel", () => {
    const cards = row(25);
    const output = cards.at(-1)!;
    const view = frameFor(boundsOf(cards)!, canvas, leftPanel, output);
    expect(view.zoom).toBe(FOCUS_ZOOM);
    const seen = visibleArea(view, canvas, leftPanel);
    expect(inside(seen, output)).toBe(true);
    // Clear of the canvas's right edge, where the minimap floats, but no emptier than that.
    const room = seen.x + seen.width - (output.x + output.width);
    expect(room).toBeCloseTo(0.1 * seen.width);
  });
});

describe("frameFor a folded model", () => {
  // Three module cards 280 wide in a row among 25 plain cards: too wide to read whole.
  const cards = row(25);
  const groups = boundsOf(cards.slice(8, 14))!;
  const output = cards.at(-1)!;

  it("opens on every folded group's card, readable, when they fit at the groups' zoom", () => {
    const view = frameFor(boundsOf(cards)!, canvas, leftPanel, output, groups);
    expect(view.zoom).toBeGreaterThanOrEqual(GROUPS_READABLE_ZOOM);
    expect(view.zoom).toBeLessThanOrEqual(FOCUS_ZOOM);
    expect(inside(visibleArea(view, canvas, leftPanel), groups)).toBe(true);
  });

  it("opens on its output as before when the groups are too wide to read together", () => {
    const wide = boundsOf(row(40))!;
    const view = frameFor(boundsOf(row(60))!, canvas, leftPanel, output, wide);
    expect(view).toEqual(frameFor(boundsOf(row(60))!, canvas, leftPanel, output));
  });
});

describe("followView", () => {
  const large = row(500);
  const current = { x: 0, y: 100, zoom: 0.8 };

  it("fits a small graph again as it grows", () => {
    const graph = boundsOf(row(3))!;
    expect(followView(graph, canvas, NO_INSETS, null, current)).toEqual(fitView(graph, canvas, NO_INSETS));
  });

  it("leaves the view alone when the new nodes are already in it", () => {
    expect(followView(boundsOf(large)!, canvas, NO_INSETS, large[1]!, current)).toBeNull();
  });

  it("brings new nodes out of view into it, at the zoom the user chose", () => {
    const added = large[300]!;
    const view = followView(boundsOf(large)!, canvas, leftPanel, added, current)!;
    expect(view.zoom).toBe(0.8);
    expect(inside(visibleArea(view, canvas, leftPanel), added)).toBe(true);
  });

  it("keeps the view of a large graph when nothing was added", () => {
    expect(followView(boundsOf(large)!, canvas, NO_INSETS, null, current)).toBeNull();
  });
});

describe("followNode", () => {
  const current = { x: 0, y: 100, zoom: 0.8 };
  const cards = row(10);

  it("leaves the view alone while the node is in sight", () => {
    expect(followNode(cards[4]!, canvas, NO_INSETS, current)).toBeNull();
  });

  it("centres a node that left the canvas in the area the panels leave, at the same zoom", () => {
    const view = followNode(cards[9]!, canvas, leftPanel, current)!;
    expect(view.zoom).toBe(0.8);
    const area = visibleArea(view, canvas, leftPanel);
    expect(inside(area, cards[9]!)).toBe(true);
    expect(area.x + area.width / 2).toBeCloseTo(cards[9]!.x + cards[9]!.width / 2);
  });

  it("zooms out as far as it takes to show a focus wider than the area", () => {
    const focus = boundsOf(cards.slice(0, 8))!;
    const view = followNode(focus, canvas, NO_INSETS, { x: 5000, y: 0, zoom: 1 })!;
    expect(view.zoom).toBeLessThan(1);
    expect(inside(visibleArea(view, canvas, NO_INSETS), focus)).toBe(true);
  });

  it("counts a node under a panel as out of sight", () => {
    // At this view card 0 is on the canvas, but under the tape panel's 332 px.
    expect(followNode(cards[0]!, canvas, NO_INSETS, current)).toBeNull();
    const view = followNode(cards[0]!, canvas, leftPanel, current)!;
    expect(inside(visibleArea(view, canvas, leftPanel), cards[0]!)).toBe(true);
  });
});
