/** "Fork from step N" with an optional new learning rate, L2 or batch size, and "Reset to the same initial weights". */
import { type FormEvent, useState } from "react";
import { FormError } from "../panels/FormError";
import { TextField } from "../panels/fields";
import { asApiError } from "../state/asApiError";
import { RunSelect } from "./RunSelect";
import { BLANK_FORK, type ForkFields, forkRequest, originOf } from "./forkForm";
import type { Runs } from "./useRuns";

interface ForkFormProps {
  runs: Runs;
  /** The step the timeline shows: the one a fork continues from. */
  step: number;
  disabled: boolean;
  /** Called once the new run exists (the page then follows it live). */
  onForked: () => void;
}

/**
 * Forks the current run at the timeline's step with the settings typed (blank: as they were), or
 * starts a run from step 0 of a chosen run, which is the same initial weights.
 */
export function ForkForm({ runs, step, disabled, onForked }: ForkFormProps) {
  const [fields, setFields] = useState<ForkFields>(BLANK_FORK);
  const [errors, setErrors] = useState<Partial<Record<keyof ForkFields, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [chosenOrigin, setOrigin] = useState<number | null>(null);
  const origin = originOf(chosenOrigin, runs.runs);
  const [pending, setPending] = useState(false);

  async function send(at: number, run: number | null) {
    const made = forkRequest(at, run, fields);
    setErrors(made.errors ?? {});
    if (made.request === null) return;
    setPending(true);
    setFailure(null);
    try {
      await runs.fork(made.request);
      setFields(BLANK_FORK);
      onForked();
    } catch (caught) {
      setFailure(asApiError(caught).message);
    } finally {
      setPending(false);
    }
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(step, null);
  };
  const field = (key: keyof ForkFields) => ({
    value: fields[key],
    onChange: (value: string) => setFields({ ...fields, [key]: value }),
    error: errors[key],
    placeholder: "as now",
    inputMode: "decimal" as const,
  });

  return (
    <form className="fork-form" onSubmit={submit} aria-label="Fork">
      <fieldset disabled={disabled || pending} className="fork-form__fields">
        <TextField label="Fork learning rate" {...field("lr")} />
        <TextField label="Fork L2" {...field("l2")} />
        <TextField label="Fork batch size" {...field("batchSize")} />
      </fieldset>
      <div className="fork-form__actions">
        <button type="submit" disabled={disabled || pending}>
          Fork from step {step}
        </button>
        <button type="button" className="button--quiet" disabled={disabled || pending} onClick={() => void send(0, origin)}>
          Reset to the same initial weights
        </button>
        <label className="fork-form__origin">
          as run{" "}
          <RunSelect runs={runs.runs} value={origin ?? ""} onChange={setOrigin} />
        </label>
      </div>
      <FormError message={failure} />
    </form>
  );
}
