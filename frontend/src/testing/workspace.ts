/** Builders of page states for unit tests: a scalar variable, a node, a state around them. */
import type { GraphNode } from "../api/types";
import type { LiveState, LiveVariable } from "../state/liveState";

/** A scalar variable that requires grad, holding 1 and no gradient yet, made by hand unless `extra` says otherwise. */
export function variable(name: string, extra: Partial<LiveVariable> = {}): LiveVariable {
  return { name, shape: [], dtype: "float64", requires_grad: true, value: { values: 1 }, grad: null, created_by: null, health: null, ...extra };
}

/** An applied gate, on the tape unless `on_tape` is false. */
export function node(
  id: number,
  gate: string,
  inputs: (string | number)[],
  outputs: string[],
  on_tape = true,
): GraphNode {
  return { id, gate, inputs, outputs, params: {}, on_tape };
}

/** A workspace holding `variables` and `history`; the tape is the history's nodes still on it. */
export function workspaceState(
  variables: LiveVariable[],
  history: GraphNode[],
  tape = history.filter((n) => n.on_tape),
): LiveState {
  return { id: "w", variables, tape, history, no_grad: false, tape_bytes: 0, seq: 0, anomalies: [] };
}
