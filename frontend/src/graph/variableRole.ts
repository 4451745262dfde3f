/** What a variable is to the graph, named the same way on its card and in the inspector. */
import type { LiveVariable } from "../state/liveState";

/**
 * "param": a leaf made by hand that requires grad, what an optimizer updates and gradcheck
 * checks; "computed": produced by a gate, whether or not gradients flow through it;
 * "const": a leaf that requires no grad.
 */
export type VariableRole = "param" | "computed" | "const";

export function variableRole(variable: Pick<LiveVariable, "created_by" | "requires_grad">): VariableRole {
  if (variable.created_by !== null) return "computed";
  return variable.requires_grad ? "param" : "const";
}
