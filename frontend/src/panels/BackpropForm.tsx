/** The form that runs backprop from one variable. */
import { useState, type FormEvent } from "react";
import type { Variable } from "../api/types";
import { FormError } from "./FormError";
import { SelectField } from "./fields";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";

interface BackpropFormProps {
  variables: Variable[];
  onBackprop: (variable: string) => Promise<void>;
}

/** Picks the variable to differentiate (by default the newest gate output) and runs backprop. */
export function BackpropForm({ variables, onBackprop }: BackpropFormProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const { pending, error, run, fail } = useSubmit();
  const variableNames = variables.map((v) => v.name);
  const variable = chosen !== null && variableNames.includes(chosen) ? chosen : newestResult(variables);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (variable === "") return fail("Add a variable first: backprop starts from one.");
    await run(() => onBackprop(variable));
  }

  return (
    <Panel title="Backprop">
      <form className="form" onSubmit={submit} noValidate>
        <SelectField label="Backprop from" value={variable} options={variableNames} onChange={setChosen} />
        <button type="submit" disabled={pending}>
          Backprop
        </button>
        <FormError message={error} />
      </form>
    </Panel>
  );
}

/** The newest variable a gate produced, else the newest variable, else "". */
function newestResult(variables: Variable[]): string {
  const computed = variables.filter((v) => v.created_by !== null);
  return (computed.at(-1) ?? variables.at(-1))?.name ?? "";
}
