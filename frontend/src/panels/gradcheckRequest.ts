/** What gradcheck compares for the variable in the inspector. */
import type { GradcheckRequest } from "../api/types";
import { leafAncestors } from "../graph/ancestors";
import { variableRole } from "../graph/variableRole";
import type { LiveState, LiveVariable } from "../state/liveState";

/** The output choice that lets the server pick the root of the last backprop. */
export const LAST_BACKPROP_ROOT = "";

/**
 * A computed variable is checked as the output, against the params it depends on; a param as
 * an input, against `output` (the root of the last backprop when LAST_BACKPROP_ROOT), since
 * d a / d a says nothing. Null when there is nothing to check: a const, or nothing requires grad.
 */
export function gradcheckRequest(state: LiveState, variable: LiveVariable, output: string): GradcheckRequest | null {
  const role = variableRole(variable);
  if (role === "param") return output === LAST_BACKPROP_ROOT ? { wrt: [variable.name] } : { variable: output, wrt: [variable.name] };
  if (role === "const") return null;
  const wrt = leafAncestors(state, variable.name);
  return wrt.length === 0 ? null : { variable: variable.name, wrt };
}
