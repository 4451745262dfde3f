/** Derives the drawing from the workspace state: the state is the only source of truth. */
import type { Edge } from "@xyflow/react";
import type { Anomaly, GraphNode } from "../api/types";
import { formatScalar } from "../format";
import { sameJson } from "../json";
import type { LiveState, LiveVariable } from "../state/liveState";
import { inputHandle, nodeHandles, outputHandle } from "./handles";
import type { ConstantFlowNode, FlowGraph, FlowNode, GateFlowNode, VariableFlowNode } from "./types";

/** Size of a variable card; the layout and the CSS both rely on it. */
export const VARIABLE_SIZE = { width: 200, height: 84 } as const;
/** Extra height of a tensor's card, for the heatmaps of its value and grad. */
export const HEATMAP_ROW = 44;
/** Height of a gate node; its width grows with the gate's name. */
export const GATE_HEIGHT = 36;
/** Height of a constant's pill; its width grows with the number shown. */
export const CONSTANT_HEIGHT = 24;

/** React Flow id of the card for a variable. */
export const variableId = (name: string): string => `var:${name}`;
/** React Flow id of the node for an applied gate. */
export const gateId = (id: number): string => `gate:${id}`;
/** React Flow id of the pill for the number typed as input `index` of gate node `id`. */
export const constantId = (id: number, index: number): string => `const:${id}:${index}`;

const EMPTY: FlowGraph = { nodes: [], edges: [] };

/**
 * Nodes for every variable, every applied gate and every number typed as a gate's input (each
 * listed just before its gate), and edges input -> gate -> output. Given the graph built from an
 * earlier state, it reuses each node and edge whose content has not changed (and the earlier
 * arrays, or the whole graph, when nothing changed), so the canvas redraws only what changed.
 */
export function buildGraph(state: LiveState, previous: FlowGraph = EMPTY): FlowGraph {
  const names = new Set(state.variables.map((variable) => variable.name));
  const applied = appliedNodes(state);
  const oldNodes = new Map<string, FlowNode>(previous.nodes.map((node) => [node.id, node]));
  const oldEdges = new Map(previous.edges.map((edge) => [edge.id, edge]));
  const nodes = [
    ...state.variables.map((variable) => {
      const old = oldNodes.get(variableId(variable.name));
      return old?.type === "variable" && sameJson(old.data.variable, variable) ? old : variableNode(variable);
    }),
    ...applied.flatMap((node): FlowNode[] => {
      const old = oldNodes.get(gateId(node.id));
      const anomalies = state.anomalies.filter((anomaly) => anomaly.node === node.id);
      const same = old?.type === "gate" && sameJson(old.data.node, node) && sameJson(old.data.anomalies, anomalies);
      const gate = same ? old : gateNode(node, anomalies);
      return [...constantNodes(node, oldNodes), gate];
    }),
  ];
  const edges = applied
    .flatMap((node) => gateEdges(node, names))
    .map((edge) => {
      const old = oldEdges.get(edge.id);
      return old !== undefined && old.className === edge.className && old.ariaLabel === edge.ariaLabel ? old : edge;
    });
  const sameNodes = sameItems(nodes, previous.nodes);
  const sameEdges = sameItems(edges, previous.edges);
  if (sameNodes && sameEdges) return previous;
  return { nodes: sameNodes ? previous.nodes : nodes, edges: sameEdges ? previous.edges : edges };
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Every node in history, plus any tape node history lacks, in id order. */
function appliedNodes(state: LiveState): GraphNode[] {
  const byId = new Map<number, GraphNode>();
  for (const node of [...state.history, ...state.tape]) if (!byId.has(node.id)) byId.set(node.id, node);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function variableNode(variable: LiveVariable): VariableFlowNode {
  const height = VARIABLE_SIZE.height + (isTensor(variable) ? HEATMAP_ROW : 0);
  return {
    id: variableId(variable.name),
    type: "variable",
    position: { x: 0, y: 0 },
    data: { variable },
    width: VARIABLE_SIZE.width,
    height,
    handles: nodeHandles(VARIABLE_SIZE.width, height, [null], [null]),
    ariaRole: "group",
    ariaLabel: `variable ${variable.name}`,
  };
}

/** True for variables with more than one element, which their card draws as heatmaps. */
export function isTensor(variable: LiveVariable): boolean {
  return variable.shape.length > 0 && variable.shape.reduce((a, b) => a * b, 1) > 1;
}

function gateNode(node: GraphNode, anomalies: Anomaly[]): GateFlowNode {
  const width = gateWidth(node.gate);
  return {
    id: gateId(node.id),
    type: "gate",
    position: { x: 0, y: 0 },
    data: { node, anomalies },
    width,
    height: GATE_HEIGHT,
    handles: nodeHandles(width, GATE_HEIGHT, node.inputs.map((_, i) => inputHandle(i)), node.outputs.map((_, j) => outputHandle(j))),
    ariaRole: "group",
    // "mul #1", not "gate mul #1": a label holding "gate" would also match the form's "Gate" select.
    ariaLabel: `${node.gate} #${node.id}`,
    domAttributes: { "aria-roledescription": "gate" },
  };
}

/** A pill for each number among the gate's inputs, reusing the earlier pill when it is unchanged. */
function constantNodes(node: GraphNode, oldNodes: ReadonlyMap<string, FlowNode>): ConstantFlowNode[] {
  return node.inputs.flatMap((input, i) => {
    if (typeof input !== "number") return [];
    const data = { value: input, on_tape: node.on_tape };
    const old = oldNodes.get(constantId(node.id, i));
    return [old?.type === "constant" && sameJson(old.data, data) ? old : constantNode(constantId(node.id, i), data)];
  });
}

/** A pill wide enough for the number as the cards write it, named "constant 3" for assistive technology. */
function constantNode(id: string, data: ConstantFlowNode["data"]): ConstantFlowNode {
  const text = formatScalar(data.value);
  const width = Math.max(32, 8 * text.length + 20);
  return {
    id,
    type: "constant",
    position: { x: 0, y: 0 },
    data,
    width,
    height: CONSTANT_HEIGHT,
    handles: nodeHandles(width, CONSTANT_HEIGHT, [], [null]),
    ariaRole: "group",
    ariaLabel: `constant ${text}`,
  };
}

/** Wide enough for the gate's name in the node's monospace font. */
function gateWidth(gate: string): number {
  return Math.max(64, 8 * gate.length + 32);
}

/**
 * One edge per input (duplicates kept, so x * x has two), from a variable's card or a number's
 * pill, and one per output; unknown names are skipped.
 */
function gateEdges(node: GraphNode, names: ReadonlySet<string>): Edge[] {
  const gate = gateId(node.id);
  const look = { className: node.on_tape ? "edge--live" : "edge--consumed" };
  const label = `${node.gate} #${node.id}`;
  const inputs = node.inputs.map((input, i): Edge | null => {
    if (typeof input === "string" && !names.has(input)) return null;
    const [source, shown] =
      typeof input === "number" ? [constantId(node.id, i), formatScalar(input)] : [variableId(input), input];
    return {
      ...look,
      id: `${source}->${gate}:${i}`,
      source,
      target: gate,
      targetHandle: inputHandle(i),
      ariaLabel: `${shown} into ${label}`,
    };
  });
  const outputs = node.outputs.map((name, j): Edge | null =>
    names.has(name)
      ? {
          ...look,
          id: `${gate}:${j}->${variableId(name)}`,
          source: gate,
          sourceHandle: outputHandle(j),
          target: variableId(name),
          ariaLabel: `${label} makes ${name}`,
        }
      : null,
  );
  return [...inputs, ...outputs].filter((edge) => edge !== null);
}
