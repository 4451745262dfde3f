/** Walking the graph from a variable: back to the leaves it was computed from, forward to what was computed from it. */
import type { GraphNode } from "../api/types";
import type { LiveState } from "../state/liveState";

/**
 * The leaves (variables made by hand) that `name` depends on and that require grad, in the
 * order they are first reached; `name` itself when it is such a leaf. These are what gradcheck
 * compares against finite differences.
 */
export function leafAncestors(state: LiveState, name: string): string[] {
  const variables = new Map(state.variables.map((v) => [v.name, v]));
  const nodes = new Map<number, GraphNode>();
  for (const node of [...state.history, ...state.tape]) nodes.set(node.id, node);
  const found: string[] = [];
  const seen = new Set<string>();
  const pending = [name];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const variable = variables.get(current);
    if (variable === undefined) continue;
    if (variable.created_by === null) {
      if (variable.requires_grad) found.push(current);
      continue;
    }
    const inputs = nodes.get(variable.created_by)?.inputs ?? [];
    // Reversed so the stack pops the first input first.
    for (const input of [...inputs].reverse()) if (typeof input === "string") pending.push(input);
  }
  return found;
}

/**
 * The variables computed, directly or not, from `name`, in the order the history made them:
 * the outputs a gradient could flow back to `name` from.
 */
export function computedFrom(state: LiveState, name: string): string[] {
  const reached = new Set([name]);
  const found: string[] = [];
  for (const node of state.history) {
    if (!node.inputs.some((input) => typeof input === "string" && reached.has(input))) continue;
    for (const output of node.outputs) {
      reached.add(output);
      if (!found.includes(output)) found.push(output);
    }
  }
  const known = new Set(state.variables.map((v) => v.name));
  return found.filter((output) => known.has(output));
}
