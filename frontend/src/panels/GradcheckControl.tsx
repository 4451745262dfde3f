/** The inspector's gradcheck: which derivative to check, and the verdicts. */
import { useState } from "react";
import { onWorkspace } from "../api/client";
import { answer, rest } from "../api/rest";
import type { GradcheckResult } from "../api/types";
import { computedFrom } from "../graph/ancestors";
import { variableRole } from "../graph/variableRole";
import type { LiveState, LiveVariable } from "../state/liveState";
import type { Workspace } from "../state/useWorkspace";
import { SelectField } from "./fields";
import { FormError } from "./FormError";
import { Num } from "./Num";
import { gradcheckRequest, LAST_BACKPROP_ROOT } from "./gradcheckRequest";
import { useSubmit } from "./useSubmit";

interface GradcheckControlProps {
  workspace: Workspace;
  state: LiveState;
  variable: LiveVariable;
}

/**
 * A Gradcheck button; for a param, an "Output" choice first (by default the root of the last
 * backprop). Each verdict names the derivative checked: "d loss / d a: match".
 */
export function GradcheckControl({ workspace, state, variable }: GradcheckControlProps) {
  const [output, setOutput] = useState(LAST_BACKPROP_ROOT);
  const check = useSubmit();
  const [checked, setChecked] = useState<GradcheckResult | null>(null);
  const request = gradcheckRequest(state, variable, output);

  async function gradcheck() {
    if (request === null) return;
    setChecked(null);
    await check.run(async () => setChecked(await answer(rest.POST("/api/workspaces/{workspace_id}/gradcheck", { ...onWorkspace(workspace.access), body: request }))));
  }

  return (
    <div className="form">
      {variableRole(variable) === "param" ? (
        <SelectField
          label="Output"
          value={output}
          options={[LAST_BACKPROP_ROOT, ...computedFrom(state, variable.name)]}
          optionLabel={(name) => (name === LAST_BACKPROP_ROOT ? "root of the last backprop" : name)}
          onChange={setOutput}
        />
      ) : null}
      <button
        type="button"
        className="button--quiet"
        disabled={check.pending || request === null}
        title={request === null ? "Nothing it depends on requires grad" : "Compares backprop's gradients with finite differences"}
        onClick={() => void gradcheck()}
      >
        Gradcheck
      </button>
      <FormError message={check.error} />
      {checked === null ? null : <GradcheckList result={checked} />}
    </div>
  );
}

function GradcheckList({ result }: { result: GradcheckResult }) {
  return (
    <ul className="gradcheck" aria-label="Gradcheck results">
      {Object.entries(result.results).map(([name, entry]) => (
        <li key={name} className={entry.ok ? "gradcheck--match" : "gradcheck--mismatch"}>
          <code>
            d {result.variable} / d {name}
          </code>
          : <strong>{entry.ok ? "match" : "mismatch"}</strong>{" "}
          <span className="muted">
            (abs error <Num value={entry.max_abs_error} digits={2} />, rel error <Num value={entry.max_rel_error} digits={2} />)
          </span>
        </li>
      ))}
    </ul>
  );
}
