/** The training setup: dataset, network and training settings, sent with "Apply". */
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { TrainingConfig } from "../api/types";
import { CheckboxField, SelectField, TextField } from "../panels/fields";
import { FormError } from "../panels/FormError";
import { Panel } from "../panels/Panel";
import { asApiError } from "../state/asApiError";
import { errorsByField } from "../panels/fieldErrors";
import {
  ACTIVATIONS,
  configFromForm,
  DATASET_KINDS,
  FEATURES,
  formFromConfig,
  LOSSES,
  MULTICLASS_KINDS,
  OPTIMIZERS,
  shownFields,
  SPEED_NAMES,
  speedLabel,
  type FormErrors,
  type Speed,
  type TrainingForm,
  withKind,
} from "./config";
import { HiddenLayers } from "./HiddenLayers";

/** Most hidden layers the server accepts. */
const MAX_LAYERS = 6;

interface ConfigFormProps {
  /** The config the form starts from. */
  initial: TrainingConfig;
  /** Sends the config; rejects with the server's ApiError. */
  onApply: (config: TrainingConfig) => Promise<void>;
}

/**
 * The whole training setup as one form. What was typed stays after a refusal: every problem,
 * found here or by the server's 422, is shown at once under the field it names, anything else
 * under the Apply button.
 */
export function ConfigForm({ initial, onApply }: ConfigFormProps) {
  const [form, setForm] = useState<TrainingForm>(() => formFromConfig(initial));
  const [errors, setErrors] = useState<FormErrors>({});
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // After a refusal, the first field at fault takes the focus (and scrolls into sight).
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  const set = <K extends keyof TrainingForm>(key: K) => (value: TrainingForm[K]) => setForm((old) => ({ ...old, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Sent even with problems found here (see FormResult): the server names the rest.
    const read = configFromForm(form);
    setPending(true);
    try {
      await onApply(read.config);
      setErrors(read.errors ?? {});
    } catch (caught) {
      // The server's problems beside their fields, this form's own words where it found one.
      setErrors({ ...errorsByField(asApiError(caught), shownFields(form)), ...read.errors });
    } finally {
      setPending(false);
    }
  }

  const toggleFeature = (feature: TrainingForm["features"][number], on: boolean) =>
    setForm((old) => ({ ...old, features: on ? [...old.features, feature] : old.features.filter((f) => f !== feature) }));

  return (
    <form ref={formRef} className="training-form" onSubmit={(event) => void submit(event)} noValidate>
      <Panel title="Dataset">
        <SelectField label="Dataset" value={form.kind} options={DATASET_KINDS} onChange={(v) => setForm((old) => withKind(old, v as TrainingForm["kind"]))} error={errors["dataset.kind"]} />
        {MULTICLASS_KINDS.includes(form.kind) ? (
          <TextField label="Classes" inputMode="numeric" value={form.classes} onChange={set("classes")} error={errors["dataset.classes"]} hint="2 to 6" />
        ) : null}
        {form.kind === "custom" ? (
          <p className="field__hint">Your own points: Apply, then click on the plot to add them or upload a CSV.</p>
        ) : (
          <div className="training-form__pair">
            <TextField label="Points" inputMode="numeric" value={form.n} onChange={set("n")} error={errors["dataset.n"]} />
            <TextField label="Noise" inputMode="decimal" value={form.noise} onChange={set("noise")} error={errors["dataset.noise"]} />
          </div>
        )}
        <div className="training-form__pair">
          <TextField label="Test fraction" inputMode="decimal" value={form.testFraction} onChange={set("testFraction")} error={errors["dataset.test_fraction"]} />
          <TextField label="Data seed" inputMode="numeric" value={form.dataSeed} onChange={set("dataSeed")} error={errors["dataset.seed"]} />
        </div>
      </Panel>
      <Panel title="Network">
        <HiddenLayers
          sizes={form.hidden}
          max={MAX_LAYERS}
          onChange={set("hidden")}
          errors={errors}
          error={joinErrors(errors["model"], errors["model.hidden"])}
        />
        <SelectField label="Activation" value={form.activation} options={ACTIVATIONS} onChange={(v) => set("activation")(v as TrainingForm["activation"])} error={errors["model.activation"]} />
        <fieldset className="training-form__features" aria-describedby={errors["model.features"] === undefined ? undefined : "features-error"}>
          <legend>Features</legend>
          {FEATURES.map(({ feature, label }) => (
            <CheckboxField key={feature} label={label} checked={form.features.includes(feature)} onChange={(on) => toggleFeature(feature, on)} />
          ))}
          {errors["model.features"] === undefined ? null : (
            <p id="features-error" role="alert" className="field__error">
              {errors["model.features"]}
            </p>
          )}
        </fieldset>
        <TextField label="Weight seed" inputMode="numeric" value={form.modelSeed} onChange={set("modelSeed")} error={errors["model.seed"]} />
      </Panel>
      <Panel title="Training">
        <SelectField label="Loss" value={form.loss} options={LOSSES} onChange={(v) => set("loss")(v as TrainingForm["loss"])} error={errors["loss"]} optionLabel={(v) => v.replaceAll("_", " ")} />
        <SelectField label="Optimizer" value={form.optimizer} options={OPTIMIZERS} onChange={(v) => set("optimizer")(v as TrainingForm["optimizer"])} error={errors["optimizer.kind"]} />
        <div className="training-form__pair">
          <TextField label="Learning rate" inputMode="decimal" value={form.lr} onChange={set("lr")} error={errors["optimizer.lr"]} />
          <TextField label="L2" inputMode="decimal" value={form.l2} onChange={set("l2")} error={errors["l2"]} />
        </div>
        {form.optimizer === "momentum" ? (
          <TextField label="Momentum" inputMode="decimal" value={form.momentum} onChange={set("momentum")} error={errors["optimizer.momentum"]} />
        ) : null}
        <div className="training-form__pair">
          <TextField label="Batch size" inputMode="numeric" value={form.batchSize} onChange={set("batchSize")} error={errors["batch_size"]} />
          <TextField label="Epochs" inputMode="numeric" value={form.epochs} onChange={set("epochs")} error={errors["epochs"]} />
        </div>
        <SelectField label="Speed" value={form.speed} options={SPEED_NAMES} onChange={(v) => set("speed")(v as Speed)} optionLabel={(v) => speedLabel(v as Speed)} error={errors["max_steps_per_second"]} />
        <p className="field__hint">Apply starts a fresh run with new weights.</p>
        <button type="submit" disabled={pending}>
          Apply
        </button>
        <FormError message={errors[""] ?? null} />
      </Panel>
    </form>
  );
}

function joinErrors(...messages: (string | undefined)[]): string | undefined {
  const present = messages.filter((message) => message !== undefined);
  return present.length === 0 ? undefined : present.join(" ");
}
