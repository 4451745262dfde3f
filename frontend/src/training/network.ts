/** The network's drawing as geometry and names: pure, so the layout and the labels can be tested. */
import type { NetworkDrawing, NetworkLayer } from "../api/types";

/** Tiles never grow past this, nor shrink below the smaller, in CSS pixels. */
const TILE_MAX = 40;
const TILE_MIN = 14;
/** The tallest column's height the tiles are sized to fill. */
const COLUMN_HEIGHT = 400;
const GAP = 4;
/** Room between two columns of tiles, for the edges. */
const SPAN = 100;
/** Room left and right of the outer columns, for their titles. */
const PAD = 24;

/** Where one unit's tile sits (top-left corner), in CSS pixels. */
export interface Spot {
  x: number;
  y: number;
}

/** One weight drawn as an edge from a unit of one layer to a unit of the next. */
export interface Edge {
  /** The weight's variable ("net_W1") and its short name ("W1"). */
  parameter: string;
  short: string;
  /** [row, column]: the unit it comes from (in the previous layer) and the unit it feeds. */
  index: [number, number];
  /** The layer it feeds, 1 for the first hidden layer. */
  layer: number;
  value: number;
  from: Spot;
  to: Spot;
}

/** Every tile's spot, column by column, and the drawing's size. */
export interface NetworkLayout {
  tile: number;
  width: number;
  height: number;
  spots: Spot[][];
}

/** Tiles as big as fit COLUMN_HEIGHT for the widest layer; each column centred vertically. */
export function layoutNetwork(units: readonly number[]): NetworkLayout {
  const most = Math.max(1, ...units);
  const tile = Math.max(TILE_MIN, Math.min(TILE_MAX, Math.floor((COLUMN_HEIGHT + GAP) / most) - GAP));
  const height = most * (tile + GAP) - GAP;
  const spots = units.map((count, column) => {
    const top = (height - (count * (tile + GAP) - GAP)) / 2;
    return Array.from({ length: count }, (_, unit) => ({ x: PAD + column * (tile + SPAN), y: top + unit * (tile + GAP) }));
  });
  return { tile, width: 2 * PAD + units.length * (tile + SPAN) - SPAN, height, spots };
}

/** "W1" for "net_W1". */
export function shortName(parameter: string): string {
  return parameter.replace(/^net_/, "");
}

/** Every weight of the drawing as an edge, layer by layer, row by row. */
export function networkEdges(drawing: NetworkDrawing, layout: NetworkLayout): Edge[] {
  const edges: Edge[] = [];
  drawing.layers.forEach((layer, column) => {
    if (layer.weights === null || column === 0) return;
    const matrix = drawing.parameters[layer.weights] ?? [];
    matrix.forEach((row, i) =>
      row.forEach((value, j) => {
        const from = layout.spots[column - 1]?.[i];
        const to = layout.spots[column]?.[j];
        if (from === undefined || to === undefined || layer.weights === null) return;
        edges.push({ parameter: layer.weights, short: shortName(layer.weights), index: [i, j], layer: column, value, from, to });
      }),
    );
  });
  return edges;
}

/** "weight W1[0,3] = 0.52": an edge's accessible name. */
export function edgeName(edge: Edge): string {
  return `weight ${edge.short}[${edge.index[0]},${edge.index[1]}] = ${formatWeight(edge.value)}`;
}

/** A weight with at most 4 significant digits: 0.5213, -12.3, 1.235e-5. */
export function formatWeight(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/** "input x", "layer 1 unit 3", "output 1": a tile's accessible name. */
export function unitName(layer: NetworkLayer, column: number, unit: number): string {
  const name = layer.units[unit] ?? String(unit + 1);
  if (layer.kind === "input") return `input ${name}`;
  if (layer.kind === "output") return `output ${name}`;
  return `layer ${column} unit ${name}`;
}

/** The largest |value| in a layer's tiles (the scale its tiles share), 1 when all are zero. */
export function layerLimit(layer: NetworkLayer): number {
  let limit = 0;
  for (const tile of layer.tiles) for (const row of tile) for (const value of row) limit = Math.max(limit, Math.abs(value));
  return limit > 0 ? limit : 1;
}

/** The largest |weight| of the drawing, 1 when all are zero: edges are sized against it. */
export function weightLimit(edges: readonly Edge[]): number {
  const limit = edges.reduce((most, edge) => Math.max(most, Math.abs(edge.value)), 0);
  return limit > 0 ? limit : 1;
}

/** An edge's stroke width: 0.5 px for a zero weight to 4 px for the largest. */
export function edgeWidth(value: number, limit: number): number {
  return 0.5 + 3.5 * Math.min(1, Math.abs(value) / limit);
}
