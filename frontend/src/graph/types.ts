/** The React Flow shapes of the graph: variable cards, gate nodes, constants and the edges between them. */
import type { Edge, Node } from "@xyflow/react";
import type { Anomaly, GraphNode } from "../api/types";
import type { LiveVariable } from "../state/liveState";
import type { GradAtStep } from "../state/stepGrads";

/** A variable drawn as a card; `stepGrad` is its gradient at the backprop step being played. */
export type VariableFlowNode = Node<{ variable: LiveVariable; stepGrad?: GradAtStep }, "variable">;

/**
 * An applied gate drawn as a compact node; `anomalies` are the NaN or infinity it made (forward,
 * or in its backward step); `active` while its backprop step is shown.
 */
export type GateFlowNode = Node<{ node: GraphNode; anomalies: Anomaly[]; active?: boolean }, "gate">;

/**
 * A number typed as a gate's input (the 3 of `x * 3`) drawn as a small pill feeding that input;
 * `on_tape` follows its gate, so it greys out with the gate once backprop consumes it.
 */
export type ConstantFlowNode = Node<{ value: number; on_tape: boolean }, "constant">;

/**
 * A folded group drawn as one card: its key (`encoder.layer1`, or a run of the history such as
 * `#1–#256`), the title shown, how many gates and variables it holds and the ids of the nodes it
 * stands for; `live` while one of its gates is on the tape, `anomaly` when one made NaN or ∞,
 * `active` while the backprop step shown is inside it.
 */
export type FoldedFlowNode = Node<
  {
    key: string;
    title: string;
    gates: number;
    variables: number;
    members: ReadonlySet<string>;
    live: boolean;
    anomaly: boolean;
    active?: boolean;
  },
  "folded"
>;

/** Any node on the canvas. */
export type FlowNode = VariableFlowNode | GateFlowNode | ConstantFlowNode | FoldedFlowNode;

/** The whole drawing: nodes (not yet placed) and edges input (variable or constant) -> gate -> output. */
export interface FlowGraph {
  nodes: FlowNode[];
  edges: Edge[];
}

/** Where the layout put each node, by node id (top-left corner). */
export type Positions = Record<string, { x: number; y: number }>;
