/** Translation between the drawing and ELK's graph format, kept pure so it can be tested. */
import type { Edge } from "@xyflow/react";
import type { ElkNode, ElkPort, LayoutOptions } from "elkjs/lib/elk-api";
import { handleOffset, inputHandle, outputHandle } from "./handles";
import type { FlowGraph, FlowNode, Positions } from "./types";

/** Gaps between nodes of one layer and between layers, and ELK's margin around the drawing. */
export const SPACING = { node: 28, layer: 56, padding: 12 } as const;

/** Left-to-right layered layout with room for edges between layers. */
const LAYOUT_OPTIONS: LayoutOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.spacing.nodeNode": String(SPACING.node),
  "elk.layered.spacing.nodeNodeBetweenLayers": String(SPACING.layer),
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
};

/** A tiny graph with the same options and a gate port: laying it out loads and warms ELK up. */
export const WARM_UP_GRAPH: ElkNode = {
  id: "root",
  layoutOptions: LAYOUT_OPTIONS,
  children: [
    { id: "a", width: 10, height: 10 },
    { id: "g", width: 10, height: 10, layoutOptions: { "elk.portConstraints": "FIXED_POS" }, ports: [port("g", inputHandle(0), 0, 5)] },
  ],
  edges: [{ id: "a->g", sources: ["a"], targets: [endpoint("g", inputHandle(0))] }],
};

/**
 * The ELK graph for a drawing: nodes with their sizes, gate handles as fixed ports, and edges.
 * Cards and constants attach by their one unnamed handle, so they need no ports.
 */
export function toElkGraph(graph: FlowGraph): ElkNode {
  return {
    id: "root",
    layoutOptions: LAYOUT_OPTIONS,
    children: graph.nodes.map(toElkNode),
    edges: graph.edges.map((edge) => ({
      id: edge.id,
      sources: [endpoint(edge.source, edge.sourceHandle)],
      targets: [endpoint(edge.target, edge.targetHandle)],
    })),
  };
}

/**
 * A text that changes exactly when the layout's input does: node ids and sizes, gate ports and
 * edges, but not values or gradients. Much cheaper than the ELK graph itself.
 */
export function layoutKey(graph: FlowGraph): string {
  const nodes = graph.nodes.map((node) => {
    const ports = node.type === "gate" ? ` ${node.data.node.inputs.length}>${node.data.node.outputs.length}` : "";
    return `${node.id} ${node.width ?? 0}x${node.height ?? 0}${ports}`;
  });
  return [...nodes, ...graph.edges.map((edge) => edge.id)].join("\n");
}

/** The top-left corner ELK chose for each node. */
export function positionsFrom(laidOut: ElkNode): Positions {
  const positions: Positions = {};
  for (const child of laidOut.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
}

function toElkNode(node: FlowNode): ElkNode {
  const width = node.width ?? 0;
  const height = node.height ?? 0;
  if (node.type !== "gate") return { id: node.id, width, height };
  const { inputs, outputs } = node.data.node;
  return {
    id: node.id,
    width,
    height,
    layoutOptions: { "elk.portConstraints": "FIXED_POS" },
    ports: [
      ...inputs.map((_, i) => port(node.id, inputHandle(i), 0, height * handleOffset(i, inputs.length))),
      ...outputs.map((_, j) => port(node.id, outputHandle(j), width, height * handleOffset(j, outputs.length))),
    ],
  };
}

function port(nodeId: string, handle: string, x: number, y: number): ElkPort {
  return { id: endpoint(nodeId, handle), x, y, width: 0, height: 0 };
}

/** A node id, or the id of one of its ports when the edge attaches to a named handle. */
function endpoint(nodeId: string, handle: Edge["sourceHandle"]): string {
  return handle == null ? nodeId : `${nodeId}/${handle}`;
}
