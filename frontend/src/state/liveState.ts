/**
 * The workspace as the page holds it: loaded in full once, then kept current by the events,
 * which carry a large tensor only as a summary. Numbers are read (NaN and infinities included)
 * as they enter, so everything downstream holds plain numbers.
 */
import type {
  Access,
  Anomaly,
  Damage,
  GraphNode,
  Health,
  NestedNumbers,
  TensorPreview,
  VariableSummary,
  WorkspaceState,
} from "../api/types";
import { filled } from "../tensor";

/**
 * What an event said of a tensor too large to carry: its statistics, as of event `seq`. A later
 * event with the same statistics may still have changed the values, so `seq` tells versions apart.
 */
export interface TensorSummary {
  values: null;
  min: number | null;
  max: number | null;
  mean: number | null;
  seq: number;
}

/** A tensor as the page holds it: every value, or only an event's summary of a large one. */
export type LiveTensor = { values: NestedNumbers } | TensorSummary;

/** A variable as the page holds it; `grad` is null when it requires none. */
export interface LiveVariable {
  name: string;
  shape: number[];
  dtype: string;
  requires_grad: boolean;
  /** Id of the gate node that produced it; null for variables made by hand. */
  created_by: number | null;
  value: LiveTensor;
  grad: LiveTensor | null;
  /** The gradient's health after the last backprop, and a ReLU output's dead units; null when unknown. */
  health: Health | null;
}

/** A workspace as the page holds it. */
export interface LiveState {
  id: string;
  variables: LiveVariable[];
  /** The history's nodes still on the tape, in order (as the server derives it too). */
  tape: GraphNode[];
  history: GraphNode[];
  no_grad: boolean;
  /**
   * Bytes the tape keeps alive, as counted by the server at the last full load; null when events
   * have changed the tape since (they do not say how much memory it holds).
   */
  tape_bytes: number | null;
  /** Number of the last event this state includes. */
  seq: number;
  access?: Access;
  damage?: Damage | null;
  /** Where NaN and infinity were born: by gates of the history, then by the last backprop. */
  anomalies: Anomaly[];
}

/** The state as loaded in full from the server: every tensor's values are known. */
export function fromLoaded(state: WorkspaceState): LiveState {
  const variables = state.variables.map(
    (variable): LiveVariable => ({
      name: variable.name,
      shape: variable.shape,
      dtype: variable.dtype,
      requires_grad: variable.requires_grad,
      created_by: variable.created_by,
      value: loadedTensor(variable.value, variable.value_preview ?? null, state.seq),
      grad: variable.grad === null && !variable.grad_preview ? null : loadedTensor(variable.grad, variable.grad_preview ?? null, state.seq),
      health: variable.health ?? null,
    }),
  );
  const { id, tape, history, no_grad, tape_bytes, seq, access, damage, anomalies } = state;
  return {
    id,
    variables,
    tape,
    history,
    no_grad,
    tape_bytes,
    seq,
    access,
    damage,
    anomalies,
  };
}

/** A variable as event `seq` described it. */
export function fromSummary(summary: VariableSummary, seq: number): LiveVariable {
  const { name, shape, dtype, requires_grad, created_by } = summary;
  return {
    name,
    shape,
    dtype,
    requires_grad,
    created_by,
    value: fromPreview(summary.value, seq),
    grad: summary.grad === null ? null : fromPreview(summary.grad, seq),
    health: null,
  };
}

/**
 * A tensor as event `seq` previewed it: its values when it carried them, or when its minimum is
 * its maximum (a fresh gradient's zeros, say), which tells every value; else its summary.
 */
export function fromPreview(preview: TensorPreview, seq: number): LiveTensor {
  if (preview.values !== null) return { values: preview.values };
  const { min, max, mean } = preview;
  if (min !== null && min === max) return { values: filled(preview.shape, min) };
  return { values: null, min, max, mean, seq };
}

/** A tensor of a loaded state: its values, or the preview the state gives of a large one (as
 * events do); a tensor without either (a large new variable's answer) is fetched like a summary's. */
function loadedTensor(values: NestedNumbers | null, preview: TensorPreview | null, seq: number): LiveTensor {
  if (values !== null) return { values };
  return preview === null ? { values: null, min: null, max: null, mean: null, seq } : fromPreview(preview, seq);
}

/**
 * The version of a variable's tensors the page lacks: the newest event that summarised its value
 * or grad, or null when the page holds every value. Loading the variable after that event gives
 * values at least that new.
 */
export function missingVersion(variable: LiveVariable): number | null {
  const seqs = [variable.value, variable.grad].flatMap((tensor) => (tensor === null || tensor.values !== null ? [] : [tensor.seq]));
  return seqs.length === 0 ? null : Math.max(...seqs);
}
