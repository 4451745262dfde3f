/** The form that creates a variable from a name and a typed value. */
import { useState, type FormEvent } from "react";
import type { NewVariable } from "../api/types";
import { parseValue } from "../parse";
import { FormError } from "./FormError";
import { CheckboxField, TextField } from "./fields";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";

/** Collects name, value and requires-grad; clears name and value only once the variable exists. */
export function VariableForm({ onAdd }: { onAdd: (variable: NewVariable) => Promise<void> }) {
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [requiresGrad, setRequiresGrad] = useState(true);
  const { pending, error, run, fail } = useSubmit();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseValue(value);
    if (name.trim() === "") return fail("Give the variable a name, such as x.");
    if (!parsed.ok) return fail(parsed.message);
    const added = await run(() => onAdd({ name: name.trim(), value: parsed.value, requires_grad: requiresGrad }));
    if (added) {
      setName("");
      setValue("");
    }
  }

  return (
    <Panel title="New variable">
      <form className="form" onSubmit={submit} noValidate>
        <TextField label="Name" value={name} onChange={setName} placeholder="e.g. x" />
        <TextField label="Value" value={value} onChange={setValue} placeholder="e.g. 2.5 or [[1, 2], [3, 4]]" />
        <CheckboxField label="requires grad" checked={requiresGrad} onChange={setRequiresGrad} />
        <button type="submit" disabled={pending}>
          Add variable
        </button>
        <FormError message={error} />
      </form>
    </Panel>
  );
}
