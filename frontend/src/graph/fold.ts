/** A drawing with its folded groups drawn as one card each: pure, so it can be tested. */
import type { Edge } from "@xyflow/react";
import type { Grouping } from "./groups";
import { nodeHandles } from "./handles";
import type { FlowGraph, FlowNode, FoldedFlowNode } from "./types";

/** Size of a folded group's card; the layout and the CSS both rely on it. */
export const GROUP_SIZE = { width: 280, height: 88 } as const;

/** React Flow id of the card for a folded group. */
export const groupId = (key: string): string => `group:${key}`;

/** The drawing after folding, and which card stands for each node folded into one. */
export interface Folded {
  graph: FlowGraph;
  /** The id of the card in place of each folded node. */
  cardOf: ReadonlyMap<string, string>;
  /** The keys of the groups drawn folded, in the drawing's order. */
  folded: string[];
}

/**
 * Folds every group of `grouping` not in `opened`: a node is drawn inside the outermost group
 * on its path that is not open (so opening `encoder` shows `encoder.layer1` still folded), and
 * as itself when every group on its path is open. A card takes the place of its first member;
 * edges into and out of a card keep one per pair of ends (and per gate input), those inside it
 * go. Nodes and edges untouched by folding keep their objects.
 */
export function foldGraph(graph: FlowGraph, grouping: Grouping, opened: ReadonlySet<string>): Folded {
  const cardOf = new Map<string, string>();
  const members = new Map<string, FlowNode[]>();
  for (const node of graph.nodes) {
    const key = grouping.paths.get(node.id)?.find((group) => !opened.has(group));
    if (key === undefined) continue;
    cardOf.set(node.id, groupId(key));
    members.set(key, [...(members.get(key) ?? []), node]);
  }
  if (members.size === 0) return { graph, cardOf, folded: [] };
  const cards = new Map([...members].map(([key, inside]) => [groupId(key), groupCard(key, inside, grouping.by === "history")]));
  const placed = new Set<string>();
  const nodes = graph.nodes.flatMap((node): FlowNode[] => {
    const card = cards.get(cardOf.get(node.id) ?? "");
    if (card === undefined) return [node];
    if (placed.has(card.id)) return [];
    placed.add(card.id);
    return [card];
  });
  return { graph: { nodes, edges: foldEdges(graph.edges, cardOf) }, cardOf, folded: [...members.keys()] };
}

function groupCard(key: string, inside: FlowNode[], byHistory: boolean): FoldedFlowNode {
  const gates = inside.flatMap((node) => (node.type === "gate" ? [node.data] : []));
  const ids = gates.map((gate) => gate.node.id);
  const title = byHistory ? `gates #${Math.min(...ids)}–#${Math.max(...ids)}` : key;
  return {
    id: groupId(key),
    type: "folded",
    position: { x: 0, y: 0 },
    data: {
      key,
      title,
      gates: gates.length,
      variables: inside.filter((node) => node.type === "variable").length,
      members: new Set(inside.map((node) => node.id)),
      live: gates.some((gate) => gate.node.on_tape),
      anomaly: gates.some((gate) => gate.anomalies.length > 0),
    },
    width: GROUP_SIZE.width,
    height: GROUP_SIZE.height,
    handles: nodeHandles(GROUP_SIZE.width, GROUP_SIZE.height, [null], [null]),
    ariaRole: "group",
    ariaLabel: `folded ${title}`,
  };
}

/** Edges with folded ends moved to their cards: one per pair of ends, live if any it stands for is. */
function foldEdges(edges: Edge[], cardOf: ReadonlyMap<string, string>): Edge[] {
  const result = new Map<string, Edge>();
  for (const edge of edges) {
    const source = cardOf.get(edge.source);
    const target = cardOf.get(edge.target);
    if (source === undefined && target === undefined) result.set(edge.id, edge);
    else if (source !== target) {
      const moved = movedEdge(edge, source, target);
      const before = result.get(moved.id);
      if (before === undefined || (before.className !== "edge--live" && edge.className === "edge--live")) result.set(moved.id, moved);
    }
  }
  return [...result.values()];
}

/** The edge from `source` card (or its own source) to `target` card (or its own target); a card has one unnamed handle. */
function movedEdge(edge: Edge, source: string | undefined, target: string | undefined): Edge {
  const sourceHandle = source === undefined ? edge.sourceHandle : null;
  const targetHandle = target === undefined ? edge.targetHandle : null;
  const from = source ?? edge.source;
  const to = target ?? edge.target;
  return {
    id: `${from}${sourceHandle ? `:${sourceHandle}` : ""}->${to}${targetHandle ? `:${targetHandle}` : ""}`,
    source: from,
    target: to,
    ...(sourceHandle ? { sourceHandle } : {}),
    ...(targetHandle ? { targetHandle } : {}),
    ...(edge.className === undefined ? {} : { className: edge.className }),
    ariaLabel: `${from} into ${to}`,
  };
}
