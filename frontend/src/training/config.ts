/**
 * The training form as typed (numbers kept as text, so a half-typed value survives) and its
 * translation to and from the config the server takes. Ranges are the server's to check: its
 * 422 names the field, and `errorsByField` (panels/fieldErrors.ts) puts each problem next to that field.
 */
import type {
  Activation,
  DatasetKind,
  Feature,
  LossKind,
  OptimizerKind,
  TrainingConfig,
} from "../api/types";
import {
  datasetConfigKindGroups,
  datasetConfigKindValues,
  modelConfigActivationValues,
  modelConfigFeaturesValues,
  optimizerConfigKindValues,
  trainingConfigLossValues,
} from "../api/enums.gen";
import type { FormErrors } from "../panels/fieldErrors";

/** A form's problems by the config field they belong to ("dataset.n", "model.hidden.0", ""). */
export type { FormErrors };

/** The datasets, activations, losses and optimizers the server accepts, in its order (its enums). */
export const DATASET_KINDS: readonly DatasetKind[] = datasetConfigKindValues;
/** Datasets whose target is a number: trained with the mse loss (the server's group). */
export const REGRESSION_KINDS: readonly DatasetKind[] = datasetConfigKindGroups.regression;
/** Datasets that take a number of classes (the server's group). */
export const MULTICLASS_KINDS: readonly DatasetKind[] = datasetConfigKindGroups.multiclass;
export const ACTIVATIONS: readonly Activation[] = modelConfigActivationValues;
export const LOSSES: readonly LossKind[] = trainingConfigLossValues;
export const OPTIMIZERS: readonly OptimizerKind[] = optimizerConfigKindValues;

/** How each input feature reads on its tile (a feature the server adds fails to compile here). */
const FEATURE_LABELS: Record<Feature, string> = { x: "x", y: "y", x2: "x²", y2: "y²", xy: "xy", sin_x: "sin x", sin_y: "sin y" };

/** Every input feature the server accepts, with the label its checkbox shows. */
export const FEATURES: readonly { feature: Feature; label: string }[] = modelConfigFeaturesValues.map((feature) => ({
  feature,
  label: FEATURE_LABELS[feature],
}));

/** The speeds offered, as steps per second; "full" sends no limit at all. */
export const SPEEDS = {
  slow: 20,
  medium: 100,
  fast: 500,
  full: null,
} as const satisfies Record<string, number | null>;
export type Speed = keyof typeof SPEEDS;
export const SPEED_NAMES = Object.keys(SPEEDS) as Speed[];

/** How a speed reads in the picker: "medium (100 steps/s)". */
export function speedLabel(speed: Speed): string {
  const limit = SPEEDS[speed];
  return limit === null ? "full speed" : `${speed} (${limit} steps/s)`;
}

/** The offered speed closest to a limit (on a log scale); no limit is "full". */
export function speedOf(limit: number | null): Speed {
  if (limit === null) return "full";
  const distance = (speed: Speed) => Math.abs(Math.log((SPEEDS[speed] ?? Infinity) / limit));
  return SPEED_NAMES.filter((speed) => SPEEDS[speed] !== null).reduce((best, speed) =>
    distance(speed) < distance(best) ? speed : best,
  );
}

/** The form as typed: one entry per control, numbers as the text in their box. */
export interface TrainingForm {
  kind: DatasetKind;
  n: string;
  noise: string;
  dataSeed: string;
  testFraction: string;
  classes: string;
  hidden: string[];
  activation: Activation;
  features: Feature[];
  modelSeed: string;
  loss: LossKind;
  optimizer: OptimizerKind;
  lr: string;
  momentum: string;
  batchSize: string;
  /** Blank: no stop, train until paused. */
  epochs: string;
  l2: string;
  l1: string;
  speed: Speed;
  /** Adam's betas have no control; they travel through unchanged. */
  beta1: number;
  beta2: number;
}


/**
 * The config a new run is offered with: the server's defaults as GET …/training answers them
 * before a run is set up (the OpenAPI document cannot say them all: hidden sizes and features
 * are default factories, which it does not show), but at a speed one can watch when the server's
 * default is full speed.
 */
export function newRunConfig(serverDefault: TrainingConfig): TrainingConfig {
  return serverDefault.max_steps_per_second === null ? { ...serverDefault, max_steps_per_second: SPEEDS.medium } : serverDefault;
}

/** The form showing a config. */
export function formFromConfig(config: TrainingConfig): TrainingForm {
  const { dataset, model, optimizer } = config;
  return {
    kind: dataset.kind,
    n: String(dataset.n),
    noise: String(dataset.noise),
    dataSeed: String(dataset.seed),
    testFraction: String(dataset.test_fraction),
    classes: String(dataset.classes),
    hidden: model.hidden.map(String),
    activation: model.activation,
    features: [...model.features],
    modelSeed: String(model.seed),
    loss: config.loss,
    optimizer: optimizer.kind,
    lr: String(optimizer.lr),
    momentum: String(optimizer.momentum),
    batchSize: String(config.batch_size),
    epochs: config.epochs === null ? "" : String(config.epochs),
    l2: String(config.l2),
    l1: String(config.l1),
    speed: speedOf(config.max_steps_per_second),
    beta1: optimizer.beta1,
    beta2: optimizer.beta2,
  };
}

/**
 * The config a form asks for and the problems found in it before sending. A field with a
 * problem holds NaN, which JSON sends as null and the server always refuses (no number of the
 * config may be null): sent anyway, the config comes back as a 422 that names every other
 * field out of range too, so the form lists all its problems at once.
 */
export interface FormResult {
  config: TrainingConfig;
  errors: FormErrors | null;
}

/** Reads the form into a config; text that is no number (or no whole number) is an error of its field. */
export function configFromForm(form: TrainingForm): FormResult {
  const errors: FormErrors = {};
  const read = (field: string, text: string, whole: boolean): number => {
    const value = text.trim() === "" ? NaN : Number(text);
    if (!Number.isFinite(value)) errors[field] = "Enter a number.";
    else if (whole && !Number.isInteger(value)) errors[field] = "Enter a whole number.";
    return field in errors ? NaN : value;
  };
  const config: TrainingConfig = {
    dataset: {
      kind: form.kind,
      n: read("dataset.n", form.n, true),
      noise: read("dataset.noise", form.noise, false),
      seed: read("dataset.seed", form.dataSeed, true),
      test_fraction: read("dataset.test_fraction", form.testFraction, false),
      classes: read("dataset.classes", form.classes, true),
    },
    model: {
      hidden: form.hidden.map((size, i) => read(`model.hidden.${i}`, size, true)),
      activation: form.activation,
      features: FEATURES.map(({ feature }) => feature).filter((feature) => form.features.includes(feature)),
      seed: read("model.seed", form.modelSeed, true),
    },
    loss: form.loss,
    optimizer: {
      kind: form.optimizer,
      lr: read("optimizer.lr", form.lr, false),
      momentum: read("optimizer.momentum", form.momentum, false),
      beta1: form.beta1,
      beta2: form.beta2,
    },
    batch_size: read("batch_size", form.batchSize, true),
    epochs: form.epochs.trim() === "" ? null : read("epochs", form.epochs, true),
    l2: read("l2", form.l2, false),
    l1: read("l1", form.l1, false),
    max_steps_per_second: SPEEDS[form.speed],
  };
  return { config, errors: Object.keys(errors).length === 0 ? null : errors };
}

/**
 * The form with another dataset chosen: a regression dataset takes the mse loss, and leaving one
 * goes back to softmax cross-entropy, so a new choice is never refused for its loss alone.
 */
export function withKind(form: TrainingForm, kind: DatasetKind): TrainingForm {
  const regression = REGRESSION_KINDS.includes(kind);
  const wasRegression = REGRESSION_KINDS.includes(form.kind);
  const loss = regression ? "mse" : wasRegression ? "softmax_cross_entropy" : form.loss;
  return { ...form, kind, loss };
}

/** The config fields the form has a control for (the hidden sizes counted from the form). */
export function shownFields(form: TrainingForm): Set<string> {
  return new Set([
    "dataset.kind",
    "dataset.n",
    "dataset.noise",
    "dataset.seed",
    "dataset.test_fraction",
    "dataset.classes",
    "model",
    "model.hidden",
    ...form.hidden.map((_, i) => `model.hidden.${i}`),
    "model.activation",
    "model.features",
    "model.seed",
    "loss",
    "optimizer.kind",
    "optimizer.lr",
    "optimizer.momentum",
    "batch_size",
    "epochs",
    "l2",
    "l1",
    "max_steps_per_second",
  ]);
}
