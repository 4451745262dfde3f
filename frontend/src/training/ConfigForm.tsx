/** The training setup: dataset and network, applied as soon as they change (a fresh run, as in
 * TensorFlow Playground); the training settings, which a run takes at once without a reset. */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { datasetConfigLimits, modelConfigLimits } from "../api/enums.gen";
import type { TrainingConfig, TrainingSettings } from "../api/types";
import { SelectField, TextField } from "../panels/fields";
import { FormError } from "../panels/FormError";
import { Panel } from "../panels/Panel";
import { asApiError } from "../state/asApiError";
import { errorsByField } from "../panels/fieldErrors";
import {
  ACTIVATIONS,
  configFromForm,
  DATASET_KINDS,
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
import { FeatureTiles } from "./FeatureTiles";
import { HiddenLayers } from "./HiddenLayers";
import { resetsRun, settingsChange } from "./settings";
import { Slider } from "./Slider";

/** What the server accepts of a dataset and a model. */
const { classes: CLASSES, test_fraction: TEST_FRACTION } = datasetConfigLimits;
const MAX_LAYERS = modelConfigLimits.hidden.maxItems;
/** A training setting typed or slid is sent once it has rested this long. */
const SETTLE_MS = 300;

interface ConfigFormProps {
  /** The config the form starts from. */
  initial: TrainingConfig;
  /** The run's config, whose training settings the form follows; null before a run is set up. */
  run: TrainingConfig | null;
  /** Sends the config; rejects with the server's ApiError. */
  onApply: (config: TrainingConfig) => Promise<void>;
  /** Sends changed training settings to the run; rejects with the server's ApiError. */
  onAdjust: (settings: TrainingSettings) => Promise<void>;
  /** Hears the config as the form now reads, at every change (to draw its data at once). */
  onDraft: (config: TrainingConfig) => void;
}

/**
 * The whole training setup as one form. What was typed stays after a refusal: every problem,
 * found here or by the server's 422, is shown at once under the field it names, anything else
 * under the Apply button.
 */
export function ConfigForm({ initial, run, onApply, onAdjust, onDraft }: ConfigFormProps) {
  const [form, setForm] = useState<TrainingForm>(() => formFromConfig(initial));
  const [errors, setErrors] = useState<FormErrors>({});
  const [pending, setPending] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // After a refusal, the first field at fault takes the focus (and scrolls into sight).
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  const set = <K extends keyof TrainingForm>(key: K) => (value: TrainingForm[K]) => setForm((old) => ({ ...old, [key]: value }));
  const draft = configFromForm(form).config;
  const draftText = JSON.stringify(draft);
  useEffect(() => onDraft(JSON.parse(draftText) as TrainingConfig), [draftText, onDraft]);

  // The run's settings, when they change (from here, another tab, or Train going on past
  // the stop), show in the form; the data and network the user may be editing stay.
  // The first setup is this form's own (the form started from it, or sent it): what was typed
  // since it left stays.
  const runSettings = run === null ? null : JSON.stringify(pickSettings(formFromConfig(run)));
  const setUp = useRef(runSettings !== null);
  useEffect(() => {
    if (runSettings === null) return;
    if (setUp.current) setForm((old) => ({ ...old, ...(JSON.parse(runSettings) as Partial<TrainingForm>) }));
    setUp.current = true;
  }, [runSettings]);

  // A training setting changed here goes to the run once it rests, without a reset.
  const runRef = useRef(run);
  runRef.current = run;
  const settingsText = JSON.stringify(pickSettings(form));
  useEffect(() => {
    const current = runRef.current;
    if (current === null) return;
    const timer = window.setTimeout(() => {
      const change = settingsChange(configFromForm(form).config, current);
      if (change === null) return;
      onAdjust(change).then(
        () => setErrors({}),
        (caught: unknown) => setErrors(errorsByField(asApiError(caught), shownFields(form))),
      );
    }, SETTLE_MS);
    return () => window.clearTimeout(timer);
    // Only a change of the settings typed here sends them (or the run first set up while they
    // were typed); the run changing does not.
  }, [settingsText, run === null]);

  // Data, network and loss changed here start the run over once they rest, without Apply; a
  // value still being typed (a problem found here) waits for the next change.
  const resetting = JSON.stringify({ dataset: draft.dataset, model: draft.model, loss: draft.loss });
  const applied = useRef(resetting);
  const latestForm = useRef(form);
  latestForm.current = form;
  useEffect(() => {
    if (resetting === applied.current) return;
    const timer = window.setTimeout(() => {
      // The form as it is when the change has rested, settings typed meanwhile included.
      const read = configFromForm(latestForm.current);
      if (read.errors !== null) return setErrors(read.errors);
      applied.current = resetting;
      void send(read);
    }, SETTLE_MS);
    return () => window.clearTimeout(timer);
    // Only a change of the data, network or loss typed here applies them.
  }, [resetting]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Apply sends what is typed now: a change still resting need not be sent again after it.
    applied.current = resetting;
    // Sent even with problems found here (see FormResult): the server names the rest.
    await send(configFromForm(form));
  }

  /** Applies `read`: a fresh run when its data, network or loss differ from the run's, else its settings. */
  async function send(read: ReturnType<typeof configFromForm>) {
    setPending(true);
    try {
      // Only new data, network or loss start the run over; settings alone go to it as they are.
      // The run as it is now: a change that rested may have been scheduled before it was set up.
      const current = runRef.current;
      if (current === null || resetsRun(read.config, current)) await onApply(read.config);
      else {
        const change = settingsChange(read.config, current);
        if (change !== null) await onAdjust(change);
      }
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
          <TextField label="Classes" inputMode="numeric" value={form.classes} onChange={set("classes")} error={errors["dataset.classes"]} hint={`${CLASSES.minimum} to ${CLASSES.maximum}`} />
        ) : null}
        {form.kind === "custom" ? (
          <p className="field__hint">Your own points: click on the plot to add them, or upload a CSV.</p>
        ) : (
          <Slider label="Noise" value={form.noise} min={0} max={0.5} step={0.01} onChange={set("noise")} format={(v) => v.toFixed(2)} error={errors["dataset.noise"]} />
        )}
        <Slider
          label="Test data"
          value={form.testFraction}
          min={TEST_FRACTION.minimum}
          max={TEST_FRACTION.maximum}
          step={0.05}
          onChange={set("testFraction")}
          format={(v) => `${Math.round(v * 100)}%`}
          error={errors["dataset.test_fraction"]}
        />
        <div className="training-form__pair">
          {form.kind === "custom" ? null : (
            <TextField label="Points" inputMode="numeric" value={form.n} onChange={set("n")} error={errors["dataset.n"]} />
          )}
          <TextField label="Data seed" inputMode="numeric" value={form.dataSeed} onChange={set("dataSeed")} error={errors["dataset.seed"]} />
        </div>
        <FeatureTiles chosen={form.features} onToggle={toggleFeature} error={errors["model.features"]} />
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
        <TextField label="Weight seed" inputMode="numeric" value={form.modelSeed} onChange={set("modelSeed")} error={errors["model.seed"]} />
        <SelectField label="Loss" value={form.loss} options={LOSSES} onChange={(v) => set("loss")(v as TrainingForm["loss"])} error={errors["loss"]} optionLabel={(v) => v.replaceAll("_", " ")} />
        <p className="field__hint" role="note">
          Data and network changes apply at once: the run starts over with new weights.
        </p>
        <button type="submit" disabled={pending}>
          Apply
        </button>
        <FormError message={errors[""] ?? null} />
      </Panel>
      <Panel title="Training">
        <p className="field__hint">These apply at once, even while training, without a reset.</p>
        <SelectField label="Optimizer" value={form.optimizer} options={OPTIMIZERS} onChange={(v) => set("optimizer")(v as TrainingForm["optimizer"])} error={errors["optimizer.kind"]} />
        <div className="training-form__pair">
          <TextField label="Learning rate" inputMode="decimal" value={form.lr} onChange={set("lr")} error={errors["optimizer.lr"]} />
          <TextField label="Epochs" inputMode="numeric" value={form.epochs} onChange={set("epochs")} error={errors["epochs"]} placeholder="until paused" />
        </div>
        <div className="training-form__pair">
          <TextField label="L2" inputMode="decimal" value={form.l2} onChange={set("l2")} error={errors["l2"]} />
          <TextField label="L1" inputMode="decimal" value={form.l1} onChange={set("l1")} error={errors["l1"]} />
        </div>
        {form.optimizer === "momentum" ? (
          <TextField label="Momentum" inputMode="decimal" value={form.momentum} onChange={set("momentum")} error={errors["optimizer.momentum"]} />
        ) : null}
        <Slider label="Batch size" value={form.batchSize} min={1} max={128} step={1} onChange={set("batchSize")} error={errors["batch_size"]} />
        <SelectField label="Speed" value={form.speed} options={SPEED_NAMES} onChange={(v) => set("speed")(v as Speed)} optionLabel={(v) => speedLabel(v as Speed)} error={errors["max_steps_per_second"]} />
      </Panel>
    </form>
  );
}

/** The form's training settings: what a run takes without a reset. */
function pickSettings(form: TrainingForm): Partial<TrainingForm> {
  const { optimizer, lr, momentum, beta1, beta2, batchSize, epochs, l2, l1, speed } = form;
  return { optimizer, lr, momentum, beta1, beta2, batchSize, epochs, l2, l1, speed };
}

function joinErrors(...messages: (string | undefined)[]): string | undefined {
  const present = messages.filter((message) => message !== undefined);
  return present.length === 0 ? undefined : present.join(" ");
}
