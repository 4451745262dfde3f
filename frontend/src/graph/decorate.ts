/** What the canvas marks on top of the derived graph: the selected card and the backprop step in view. */
import type { NestedNumbers } from "../api/types";
import type { GradAtStep } from "../state/stepGrads";
import { gateId, variableId } from "./buildGraph";
import type { FlowGraph, FlowNode } from "./types";

/** One backprop step being shown: the node that runs and the gradient it sends to each parent. */
export interface ShownStep {
  node: number;
  grads: Record<string, NestedNumbers>;
}

/** The marks to draw, all optional; `grads` are the gradients as they stand at the step shown. */
export interface Marks {
  selected: string | null;
  step: ShownStep | null;
  grads: Record<string, GradAtStep> | null;
}

/**
 * The graph with the selected card marked, and, for a step, its gate lit (or the folded group's
 * card holding it), the edges from its parents animated and each card reached by backprop
 * showing its grad at that step.
 */
export function decorate(graph: FlowGraph, { selected, step, grads }: Marks): FlowGraph {
  if (selected === null && step === null && grads === null) return graph;
  const activeGate = step === null ? null : gateId(step.node);
  const nodes = graph.nodes.map((node): FlowNode => {
    if (node.type === "gate") {
      return node.id === activeGate ? { ...node, className: "is-active", data: { ...node.data, active: true } } : node;
    }
    if (node.type === "constant") return node;
    if (node.type === "folded") return activeGate !== null && node.data.members.has(activeGate) ? { ...node, data: { ...node.data, active: true } } : node;
    const name = node.data.variable.name;
    const stepGrad = grads?.[name];
    const isSelected = name === selected;
    if (!isSelected && stepGrad === undefined) return node;
    return {
      ...node,
      ...(isSelected ? { className: "is-selected" } : {}),
      data: { ...node.data, ...(stepGrad === undefined ? {} : { stepGrad }) },
    };
  });
  const parents = new Set(Object.keys(step?.grads ?? {}).map(variableId));
  const edges = graph.edges.map((edge) =>
    edge.target === activeGate && parents.has(edge.source)
      ? { ...edge, animated: true, className: `${edge.className ?? ""} edge--active`.trim() }
      : edge,
  );
  return { nodes, edges };
}
