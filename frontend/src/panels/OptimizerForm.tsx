/** One optimizer update of every parameter, from the gradients backprop left: the step of a training loop. */
import { useState, type FormEvent } from "react";
import { optimizerStepRequestOptimizerValues } from "../api/enums.gen";
import type { OptimizerStep } from "../api/types";
import { variableRole } from "../graph/variableRole";
import type { LiveVariable } from "../state/liveState";
import { FormError } from "./FormError";
import { growthWarning, noteStep, type LossWatch } from "./lossWatch";
import { CheckboxField, SelectField, TextField } from "./fields";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";

type Kind = OptimizerStep["optimizer"];
const KINDS: readonly Kind[] = optimizerStepRequestOptimizerValues;
const KIND_LABELS: Record<Kind, string> = { sgd: "SGD", momentum: "SGD with momentum", adam: "Adam" };

interface OptimizerFormProps {
  variables: LiveVariable[];
  /** The variable the last backprop started from and its scalar value, watched across steps; null when none. */
  watched: { name: string; value: number | null } | null;
  readOnly: boolean;
  onStep: (request: OptimizerStep) => Promise<void>;
  onZeroGrad: (variables: string[]) => Promise<void>;
}

/**
 * Picks the optimizer, the learning rate and the parameters (leaves that require grad; all of
 * them unless the user leaves some out) and updates those in place. Nodes recorded before the step then hold old values: the console's Run again records
 * the forward pass anew.
 */
export function OptimizerForm({ variables, watched, readOnly, onStep, onZeroGrad }: OptimizerFormProps) {
  const [kind, setKind] = useState<Kind>("sgd");
  // 0.05 keeps README's loop (mean((x @ w - t) ** 2) over [[1, 2], [3, 4]]) converging; 0.1 diverges.
  const [lr, setLr] = useState("0.05");
  const [lossWatch, setLossWatch] = useState<LossWatch | null>(null);
  // Gradients add up across backprops: a loop that steps must start the next one from zero.
  const [thenZero, setThenZero] = useState(true);
  const { pending, error, run, fail, fieldError, clearField } = useSubmit();
  // The parameters left out, so a parameter made later is updated until the user says otherwise.
  const [leftOut, setLeftOut] = useState<ReadonlySet<string>>(new Set());
  const allParams = variables.filter((v) => variableRole(v) === "param").map((v) => v.name);
  const params = allParams.filter((name) => !leftOut.has(name));
  const choose = (name: string, updated: boolean) => {
    const next = new Set(leftOut);
    if (updated) next.delete(name);
    else next.add(name);
    setLeftOut(next);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const rate = Number(lr);
    if (lr.trim() === "" || !Number.isFinite(rate) || rate <= 0) return fail("The learning rate is a positive number, like 0.05.", "lr");
    if (allParams.length === 0) return fail("Nothing to update: make a variable that requires grad first, as in `w = 2`.");
    if (params.length === 0) return fail("Nothing to update: tick at least one parameter.");
    const noted = watched?.value ?? null;
    const stepped = await run(async () => {
      await onStep({ optimizer: kind, lr: rate, params });
      if (thenZero) await onZeroGrad(params);
    }, new Set(["lr", "params"]));
    if (stepped && watched !== null && noted !== null) setLossWatch(noteStep(lossWatch, watched.name, noted));
  }

  return (
    <Panel title="Optimizer">
      <form className="form" onSubmit={submit} noValidate>
        <fieldset className="form" disabled={readOnly}>
          <SelectField label="Optimizer" value={kind} options={KINDS} optionLabel={(k) => KIND_LABELS[k]} onChange={setKind} />
          <TextField
            label="Learning rate"
            value={lr}
            inputMode="decimal"
            onChange={(value) => {
              clearField("lr");
              setLr(value);
            }}
            error={fieldError("lr")}
          />
          <CheckboxField label="Then zero their gradients" checked={thenZero} onChange={setThenZero} />
          {allParams.length === 0 ? (
            <p className="field__hint">No parameters yet.</p>
          ) : (
            <fieldset className="field field--radios">
              <legend>Parameters to update</legend>
              {allParams.map((name) => (
                <CheckboxField key={name} label={name} checked={!leftOut.has(name)} onChange={(updated) => choose(name, updated)} />
              ))}
            </fieldset>
          )}
          <button type="submit" disabled={pending}>
            Optimizer step
          </button>
        </fieldset>
        <FormError message={error} />
        <GrowthWarning watch={lossWatch} />
      </form>
    </Panel>
  );
}

/** Says so when the watched loss grew between the last two steps. */
function GrowthWarning({ watch }: { watch: LossWatch | null }) {
  const warning = growthWarning(watch);
  return warning === null ? null : (
    <p role="status" className="form-warning">
      {warning}
    </p>
  );
}
