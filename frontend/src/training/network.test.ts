import { describe, expect, it } from "vitest";
import type { NetworkDrawing, NetworkLayer } from "../api/types";
import { edgeName, edgeWidth, layerLimit, layoutNetwork, networkEdges, unitName } from "./network";

function layer(kind: NetworkLayer["kind"], units: string[], weights: string | null, tiles?: number[][][]): NetworkLayer {
  return { kind, units, tiles: tiles ?? units.map(() => [[0]]), weights, biases: weights === null ? null : weights.replace("W", "b") };
}

const drawing: NetworkDrawing = {
  x_min: -1,
  x_max: 1,
  y_min: -1,
  y_max: 1,
  resolution: 1,
  step: 0,
  activation: "relu",
  layers: [layer("input", ["x", "y"], null), layer("hidden", ["1", "2", "3"], "net_W1"), layer("output", ["1"], "net_W2")],
  parameters: {
    net_W1: [
      [0.1, 0.2, 0.3],
      [-0.4, 0.5, 0.6],
    ],
    net_b1: [[0, 0, 0]],
    net_W2: [[1], [2], [-3]],
    net_b2: [[0]],
  },
};

describe("layoutNetwork", () => {
  it("puts a column per layer, centres the shorter ones, and sizes tiles to fit the widest", () => {
    const layout = layoutNetwork([2, 3, 1]);
    expect(layout.spots.map((column) => column.length)).toEqual([2, 3, 1]);
    expect(layout.tile).toBe(40);
    expect(layout.spots[2]?.[0]?.y).toBe((layout.height - layout.tile) / 2);
    expect(layout.spots[1]?.[0]?.x).toBeGreaterThan((layout.spots[0]?.[0]?.x ?? 0) + layout.tile);
  });

  it("shrinks tiles for wide layers, never below 14 px", () => {
    expect(layoutNetwork([2, 16, 16, 2]).tile).toBeLessThan(40);
    expect(layoutNetwork([2, 256]).tile).toBe(14);
  });
});

describe("networkEdges", () => {
  it("draws every weight from the unit of its row to the unit of its column", () => {
    const layout = layoutNetwork([2, 3, 1]);
    const edges = networkEdges(drawing, layout);
    expect(edges).toHaveLength(6 + 3);
    const edge = edges.find((e) => e.parameter === "net_W1" && e.index[0] === 1 && e.index[1] === 2);
    expect(edge).toMatchObject({ value: 0.6, layer: 1, from: layout.spots[0]?.[1], to: layout.spots[1]?.[2] });
    expect(edges.filter((e) => e.short === "W2").map((e) => e.value)).toEqual([1, 2, -3]);
  });

  it("names an edge by its weight and value", () => {
    const edges = networkEdges(drawing, layoutNetwork([2, 3, 1]));
    expect(edges.map(edgeName)).toContain("weight W1[1,0] = -0.4");
  });
});

describe("names and scales", () => {
  it("names tiles by layer and unit", () => {
    expect(drawing.layers.map((l, column) => unitName(l, column, 0))).toEqual(["input x", "layer 1 unit 1", "output 1"]);
  });

  it("scales a layer's tiles by its largest magnitude, and edges by the largest weight", () => {
    expect(layerLimit(layer("hidden", ["1", "2"], "net_W1", [[[0.5, -2]], [[1, 0]]]))).toBe(2);
    expect(layerLimit(layer("hidden", ["1"], "net_W1", [[[0]]]))).toBe(1);
    expect(edgeWidth(0, 3)).toBe(0.5);
    expect(edgeWidth(-3, 3)).toBe(4);
  });
});
