/**
 * A layout computed on the main thread in a few milliseconds, so a node is drawn the moment it
 * exists; ELK's layout (layout.ts) replaces it when it arrives. Pure, so it can be tested.
 */
import { SPACING } from "./elkGraph";
import type { FlowGraph, FlowNode, Positions } from "./types";

/**
 * Places nodes left to right in layers, with ELK's spacing: a node's layer is the longest path
 * to it from a node without inputs, except that a constant (a number typed as an input) sits in
 * the layer just before its gate, as ELK puts it; within a layer nodes keep the graph's order,
 * top to bottom, and each layer is centred on the tallest. Nodes on a cycle (none in a Wengert
 * graph) stay in the layer reached before the cycle.
 */
export function quickLayout(graph: FlowGraph): Positions {
  const layers = layering(graph);
  const heights = layers.map(columnHeight);
  const tallest = Math.max(0, ...heights);
  const positions: Positions = {};
  let x = SPACING.padding;
  layers.forEach((layer, l) => {
    let y = SPACING.padding + (tallest - (heights[l] ?? 0)) / 2;
    for (const node of layer) {
      positions[node.id] = { x, y };
      y += (node.height ?? 0) + SPACING.node;
    }
    x += layer.reduce((widest, node) => Math.max(widest, node.width ?? 0), 0) + SPACING.layer;
  });
  return positions;
}

/**
 * `laidOut` (ELK's latest positions) with a place for every node it lacks (nodes added since):
 * the quick layout's place, shifted the way ELK shifted the node's anchor, so the node keeps its
 * quick-layout offset from that anchor. A constant's anchor is its gate; any other node's is its
 * first input that is not a constant or, for a node without such inputs, the node above it in its
 * layer. Returns `laidOut` itself when it lacks nothing.
 */
export function completeLayout(graph: FlowGraph, laidOut: Positions): Positions {
  if (graph.nodes.every((node) => node.id in laidOut)) return laidOut;
  const quick = quickLayout(graph);
  const constants = new Set(graph.nodes.filter((node) => node.type === "constant").map((node) => node.id));
  const anchors = new Map<string, string>();
  for (const { source, target } of graph.edges) {
    const [node, anchor] = constants.has(source) ? [source, target] : [target, source];
    if (!anchors.has(node)) anchors.set(node, anchor);
  }
  const positions: Positions = { ...laidOut };
  // Layer by layer, top to bottom, constants last: every anchor is placed before the nodes anchored to it.
  const layered = layering(graph).flat();
  const ordered = [...layered.filter((node) => !constants.has(node.id)), ...layered.filter((node) => constants.has(node.id))];
  ordered.forEach((node, i) => {
    const own = quick[node.id];
    if (node.id in laidOut || own === undefined) return;
    const above = ordered[i - 1];
    const anchor = anchors.get(node.id) ?? (above !== undefined && quick[above.id]?.x === own.x ? above.id : undefined);
    const from = anchor === undefined ? undefined : quick[anchor];
    const to = anchor === undefined ? undefined : positions[anchor];
    positions[node.id] = from === undefined || to === undefined ? own : { x: own.x + to.x - from.x, y: own.y + to.y - from.y };
  });
  return positions;
}

/**
 * The nodes by layer, each layer in the graph's node order; Kahn's order makes layers longest
 * paths, then each constant moves up to the layer before its gate.
 */
function layering(graph: FlowGraph): FlowNode[][] {
  const next = new Map<string, string[]>();
  const waitingFor = new Map<string, number>(graph.nodes.map((node) => [node.id, 0]));
  for (const { source, target } of graph.edges) {
    const inputs = waitingFor.get(target);
    if (source === target || inputs === undefined || !waitingFor.has(source)) continue;
    const targets = next.get(source);
    if (targets === undefined) next.set(source, [target]);
    else targets.push(target);
    waitingFor.set(target, inputs + 1);
  }
  const layer = new Map<string, number>();
  const ready = graph.nodes.filter((node) => waitingFor.get(node.id) === 0).map((node) => node.id);
  for (let head = 0; head < ready.length; head++) {
    const from = ready[head] ?? "";
    const after = (layer.get(from) ?? 0) + 1;
    for (const to of next.get(from) ?? []) {
      layer.set(to, Math.max(layer.get(to) ?? 0, after));
      const inputs = (waitingFor.get(to) ?? 0) - 1;
      waitingFor.set(to, inputs);
      if (inputs === 0) ready.push(to);
    }
  }
  for (const node of graph.nodes) {
    const gate = node.type === "constant" ? next.get(node.id)?.[0] : undefined;
    if (gate !== undefined) layer.set(node.id, Math.max(0, (layer.get(gate) ?? 0) - 1));
  }
  const layers: FlowNode[][] = [];
  for (const node of graph.nodes) (layers[layer.get(node.id) ?? 0] ??= []).push(node);
  return layers;
}

/** The height of one layer's nodes stacked with the gap between them. */
function columnHeight(layer: FlowNode[]): number {
  return layer.reduce((sum, node) => sum + (node.height ?? 0), 0) + SPACING.node * (layer.length - 1);
}
