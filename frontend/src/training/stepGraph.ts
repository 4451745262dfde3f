/** One training step's tape, grouped by layer so an MLP reads as a few boxes, not dozens of nodes. */
import type { StepNode } from "../api/types";

/** A run of consecutive tape nodes that belong to one layer, or to the loss. */
export interface LayerGroup {
  /** "Layer 1", …, or "Loss" for the loss and the L2 penalty. */
  title: string;
  /** The parameters the group reads: "W1", "b1". */
  parameters: string[];
  nodes: StepNode[];
}

/** The names the model gives a layer's values: xW1 = h0 @ W1, z1 = xW1 + b1, h1 = act(z1). */
const LAYER_OUTPUT = /^(?:xW|z|h)(\d+)$/;
const PARAMETER = /^[Wb]\d+$/;

/** The layer a node computes, from the name of its first output; null for everything else. */
export function layerOf(node: StepNode): number | null {
  const match = LAYER_OUTPUT.exec(node.outputs[0] ?? "");
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** The tape in order, cut into groups of consecutive nodes of the same layer. */
export function groupByLayer(nodes: readonly StepNode[]): LayerGroup[] {
  const groups: LayerGroup[] = [];
  for (const node of nodes) {
    const layer = layerOf(node);
    const title = layer === null ? "Loss" : `Layer ${layer}`;
    let group = groups[groups.length - 1];
    if (group?.title !== title) {
      group = { title, parameters: [], nodes: [] };
      groups.push(group);
    }
    group.nodes.push(node);
    for (const input of node.inputs) {
      if (layer !== null && PARAMETER.test(input) && !group.parameters.includes(input)) group.parameters.push(input);
    }
  }
  return groups;
}

/** A node as one line: "matmul(input, W1) → xW1". */
export function describeNode(node: StepNode): string {
  const outputs = node.outputs.filter((name) => name !== "");
  const result = outputs.length === 0 ? "" : ` → ${outputs.join(", ")}`;
  return `${node.gate}(${node.inputs.join(", ")})${result}`;
}
