/** The form that creates a variable from a name and a typed or generated value. */
import { useRef, useState, type FormEvent } from "react";
import type { NewVariable } from "../api/types";
import { FormError } from "./FormError";
import { CheckboxField, RadioField, SelectField, TextField } from "./fields";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";
import {
  DRAFT_FIELDS,
  DTYPES,
  EMPTY_DRAFT,
  INIT_KINDS,
  SOURCE_LABELS,
  SOURCES,
  takesSeed,
  toNewVariable,
  type VariableDraft,
} from "./variableRequest";

/**
 * Collects a name, a literal value or a generated one (init, shape, seed), a dtype and
 * requires-grad. Whatever goes wrong is said under the form with everything typed kept; once the
 * variable exists, only its name and value are cleared, so several alike are quick to make —
 * unless the user already started typing the next one while the request was on its way.
 */
export function VariableForm({ onAdd }: { onAdd: (variable: NewVariable) => Promise<void> }) {
  const [draft, setDraft] = useState<VariableDraft>(EMPTY_DRAFT);
  const { pending, error, run, fail, fieldError, clearField, clearAll } = useSubmit();
  const edits = useRef(0);
  const set =
    <K extends keyof VariableDraft>(key: K) =>
    (value: VariableDraft[K]) => {
      edits.current += 1;
      // Switching the source swaps the fields an error may have named.
      if (key === "source") clearAll();
      else clearField(DRAFT_FIELDS[key]);
      setDraft((old) => ({ ...old, [key]: value }));
    };
  const shown = new Set(
    draft.source === "literal" ? ["name", "value", "dtype"] : ["name", "init", "init.kind", "init.shape", "init.seed", "dtype"],
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    const request = toNewVariable(draft);
    if (!request.ok) return fail(request.message, request.field);
    const editsAtSubmit = edits.current;
    const added = await run(() => onAdd(request.variable), shown);
    if (added && edits.current === editsAtSubmit) setDraft((old) => ({ ...old, name: "", value: "" }));
  }

  return (
    <Panel title="New variable">
      <form className="form" onSubmit={submit} noValidate>
        <TextField label="Name" value={draft.name} onChange={set("name")} placeholder="e.g. x" error={fieldError("name")} />
        <RadioField legend="Source" value={draft.source} options={SOURCES} onChange={set("source")} optionLabel={(s) => SOURCE_LABELS[s]} />
        {draft.source === "literal" ? (
          <TextField
            label="Value"
            value={draft.value}
            onChange={set("value")}
            placeholder="e.g. 2.5 or [[1, 2], [3, 4]]"
            error={fieldError("value")}
          />
        ) : (
          <GeneratedFields draft={draft} set={set} fieldError={fieldError} />
        )}
        <SelectField label="dtype" value={draft.dtype} options={DTYPES} onChange={set("dtype")} inline error={fieldError("dtype")} />
        <CheckboxField label="requires grad" checked={draft.requiresGrad} onChange={set("requiresGrad")} />
        <button type="submit" disabled={pending}>
          Add variable
        </button>
        <FormError message={error} />
      </form>
    </Panel>
  );
}

interface GeneratedFieldsProps {
  draft: VariableDraft;
  set: <K extends keyof VariableDraft>(key: K) => (value: VariableDraft[K]) => void;
  fieldError: (field: string) => string | undefined;
}

/** Init, Shape and, for the random kinds, Seed. */
function GeneratedFields({ draft, set, fieldError }: GeneratedFieldsProps) {
  return (
    <>
      <SelectField
        label="Init"
        value={draft.init}
        options={INIT_KINDS}
        onChange={set("init")}
        inline
        error={joined(fieldError("init"), fieldError("init.kind"))}
      />
      <TextField
        label="Shape"
        value={draft.shape}
        onChange={set("shape")}
        placeholder="e.g. 3, 2 (empty: a scalar)"
        error={fieldError("init.shape")}
      />
      {takesSeed(draft.init) ? (
        <TextField
          label="Seed"
          inputMode="numeric"
          value={draft.seed}
          onChange={set("seed")}
          placeholder="optional, e.g. 0"
          error={fieldError("init.seed")}
        />
      ) : null}
    </>
  );
}

function joined(...messages: (string | undefined)[]): string | undefined {
  const present = messages.filter((message) => message !== undefined);
  return present.length === 0 ? undefined : present.join(" ");
}
