/** One optimizer update of every parameter, from the gradients backprop left: the step of a training loop. */
import { useState, type FormEvent } from "react";
import type { OptimizerStep } from "../api/types";
import { variableRole } from "../graph/variableRole";
import type { LiveVariable } from "../state/liveState";
import { FormError } from "./FormError";
import { CheckboxField, SelectField, TextField } from "./fields";
import { Panel } from "./Panel";
import { useSubmit } from "./useSubmit";

type Kind = OptimizerStep["optimizer"];
const KINDS: readonly Kind[] = ["sgd", "momentum", "adam"];
const KIND_LABELS: Record<Kind, string> = { sgd: "SGD", momentum: "SGD with momentum", adam: "Adam" };

interface OptimizerFormProps {
  variables: LiveVariable[];
  readOnly: boolean;
  onStep: (request: OptimizerStep) => Promise<void>;
  onZeroGrad: (variables: string[]) => Promise<void>;
}

/**
 * Picks the optimizer and learning rate and updates every parameter (a leaf that requires grad)
 * in place. Nodes recorded before the step then hold old values: the console's Run again records
 * the forward pass anew.
 */
export function OptimizerForm({ variables, readOnly, onStep, onZeroGrad }: OptimizerFormProps) {
  const [kind, setKind] = useState<Kind>("sgd");
  const [lr, setLr] = useState("0.1");
  // Gradients add up across backprops: a loop that steps must start the next one from zero.
  const [thenZero, setThenZero] = useState(true);
  const { pending, error, run, fail, fieldError, clearField } = useSubmit();
  const params = variables.filter((v) => variableRole(v) === "param").map((v) => v.name);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const rate = Number(lr);
    if (lr.trim() === "" || !Number.isFinite(rate) || rate <= 0) return fail("The learning rate is a positive number, like 0.1.", "lr");
    if (params.length === 0) return fail("Nothing to update: make a variable that requires grad first, as in `w = 2`.");
    await run(async () => {
      await onStep({ optimizer: kind, lr: rate, params });
      if (thenZero) await onZeroGrad(params);
    }, new Set(["lr", "params"]));
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
          <p className="field__hint">{params.length === 0 ? "No parameters yet." : `Updates ${params.join(", ")}.`}</p>
          <button type="submit" disabled={pending}>
            Optimizer step
          </button>
        </fieldset>
        <FormError message={error} />
      </form>
    </Panel>
  );
}
