/**
 * Applying one event of the live stream to the page's state, as the server applied the change:
 * pure, so every rule can be tested. When an event cannot be applied exactly (one was missed, it
 * names something the state lacks, or it describes a change it does not spell out), the answer
 * is to load the whole state again.
 */
import type { WorkspaceEvent } from "../api/events";
import type { Anomaly, GraphNode, VariableSummary } from "../api/types";
import { filled } from "../tensor";
import { fromPreview, fromSummary, type LiveState, type LiveVariable } from "./liveState";

type BackpropDone = Extract<WorkspaceEvent, { type: "backprop_done" }>;

/** The state after the event, or why the whole state must be loaded again instead. */
export type Outcome = { ok: true; state: LiveState } | { ok: false; reload: string };

/**
 * Applies `event` to `state`. An event the state already includes (seq not above the state's)
 * changes nothing; an event that does not follow the state's seq means one was missed.
 */
export function applyEvent(state: LiveState, event: WorkspaceEvent): Outcome {
  if (event.seq <= state.seq) return { ok: true, state };
  if (event.seq !== state.seq + 1) return reload(`missed events ${state.seq + 1} to ${event.seq - 1}`);
  const changed = change(state, event);
  return typeof changed === "string" ? reload(changed) : { ok: true, state: { ...changed, seq: event.seq } };
}

/** The state changed by the event (seq aside), or why it cannot be. */
function change(state: LiveState, event: WorkspaceEvent): LiveState | string {
  switch (event.type) {
    case "variable_created":
      return addVariables(state, [fromSummary(event.variable, event.seq)]);
    case "node_recorded":
      return recordNode(state, event.node, event.outputs.map((output) => fromSummary(output, event.seq)));
    case "backprop_step":
      return takeOffTape(state, event.node);
    case "backprop_done":
      return finishBackprop(state, event);
    case "zero_grad":
      return zeroGrads(state, event.variables);
    case "no_grad":
      return { ...state, no_grad: event.enabled };
    case "renamed":
      return rename(state, event.old, event.new);
    case "optimizer_step":
      return markStale(updateVariables(state, event.params.map((param) => fromSummary(param, event.seq))), event.params);
    case "deleted":
      return state;
    case "training_data":
      // The user's points changed; the reset of the run they caused comes as a "training" event.
      return state;
    case "training":
      // A run binds its weights as variables and updates them in place without saying how.
      return "training changed the weights";
    case "weight_edited":
      return markStale(updateVariables(state, [fromSummary(event.variable, event.seq)]), [event.variable]);
    case "resync":
      return "the server asked for a resync";
  }
}

function reload(reason: string): Outcome {
  return { ok: false, reload: reason };
}

/** Appends new variables, as the server binds a name: the names must be free. */
function addVariables(state: LiveState, added: LiveVariable[]): LiveState | string {
  const taken = added.find((variable) => state.variables.some((known) => known.name === variable.name));
  if (taken !== undefined) return `${taken.name} exists already`;
  return { ...state, variables: [...state.variables, ...added] };
}

/** Adds a gate's node to the history (and the tape, when it was recorded there) and its outputs. */
function recordNode(state: LiveState, node: GraphNode, outputs: LiveVariable[]): LiveState | string {
  if (state.history.some((known) => known.id === node.id)) return `node #${node.id} exists already`;
  const withOutputs = addVariables(state, outputs);
  if (typeof withOutputs === "string") return withOutputs;
  // The tape's memory grows by what the node holds, which the event does not say.
  const tapeBytes = node.on_tape ? null : state.tape_bytes;
  const anomalies = node.anomaly ? bornFirst([...state.anomalies, node.anomaly]) : state.anomalies;
  return withHistory({ ...withOutputs, tape_bytes: tapeBytes, anomalies }, [...state.history, node]);
}

/** Marks one node as consumed by a backprop step. */
function takeOffTape(state: LiveState, id: number): LiveState | string {
  if (!state.history.some((node) => node.id === id)) return `backprop stepped through unknown node #${id}`;
  const history = state.history.map((node) => (node.id === id ? { ...node, on_tape: false } : node));
  return withHistory({ ...state, tape_bytes: null }, history);
}

/**
 * Sets every gradient backprop reports. Backprop from a variable a gate produced empties the tape:
 * the nodes recorded after its producer are discarded unstepped, and the rest are stepped through
 * (engine/tape.py `_start`); from a variable made by hand it only seeds that variable's gradient.
 */
function finishBackprop(state: LiveState, event: BackpropDone): LiveState | string {
  const { variable: name, gradients, health, anomaly, seq } = event;
  const origin = state.variables.find((variable) => variable.name === name);
  if (origin === undefined) return `backprop from unknown variable ${name}`;
  const unknown = Object.keys(gradients).find((key) => !state.variables.some((variable) => variable.name === key));
  if (unknown !== undefined) return `gradient of unknown variable ${unknown}`;
  const variables = state.variables.map((variable) => {
    const grad = gradients[variable.name];
    const updated = { ...variable, health: health[variable.name] ?? null };
    return grad === undefined ? updated : { ...updated, grad: fromPreview(grad, seq) };
  });
  // The last backprop's anomaly replaces the one before: the state keeps one.
  const born = state.anomalies.filter((known) => known.phase === "forward");
  const anomalies = anomaly ? [...born, anomaly] : born;
  if (origin.created_by === null) return { ...state, variables, anomalies };
  const history = state.history.map((node) => (node.on_tape ? { ...node, on_tape: false } : node));
  return withHistory({ ...state, variables, anomalies, tape_bytes: 0 }, history);
}

/** Forward anomalies come before the backward one, as the server lists them. */
function bornFirst(anomalies: Anomaly[]): Anomaly[] {
  return [...anomalies.filter((a) => a.phase === "forward"), ...anomalies.filter((a) => a.phase === "backward")];
}

/**
 * Marks stale every node that took one of the stepped parameters as an input: its outputs were
 * computed from the values before the step, and backprop through it is refused.
 */
function markStale(state: LiveState | string, params: VariableSummary[]): LiveState | string {
  if (typeof state === "string") return state;
  const moved = new Set(params.map((param) => param.name));
  const history = state.history.map((node) =>
    !node.stale && node.inputs.some((input) => typeof input === "string" && moved.has(input)) ? { ...node, stale: true } : node,
  );
  return withHistory(state, history);
}

/** Zero gradients for the named variables that require them (the others have none). */
function zeroGrads(state: LiveState, names: string[] | null): LiveState | string {
  const targets = new Set(names ?? state.variables.map((variable) => variable.name));
  const unknown = [...targets].find((name) => !state.variables.some((variable) => variable.name === name));
  if (unknown !== undefined) return `zero_grad of unknown variable ${unknown}`;
  const variables = state.variables.map((variable) =>
    targets.has(variable.name) && variable.requires_grad ? { ...variable, grad: { values: filled(variable.shape, 0) }, health: null } : variable,
  );
  return { ...state, variables };
}

/**
 * Moves variable `old` to the label `renamed`, as the server does when a program assigns a name
 * that is taken (`a` -> `a@1`): the variable moves to the end of the list, and every node that
 * names it, in history and on the tape, names its new label.
 */
function rename(state: LiveState, old: string, renamed: string): LiveState | string {
  const variable = state.variables.find((known) => known.name === old);
  if (variable === undefined) return `rename of unknown variable ${old}`;
  if (state.variables.some((known) => known.name === renamed)) return `${renamed} exists already`;
  const variables = [...state.variables.filter((known) => known !== variable), { ...variable, name: renamed }];
  const relabel = (name: string) => (name === old ? renamed : name);
  const history = state.history.map((node): GraphNode => {
    if (!node.inputs.includes(old) && !node.outputs.includes(old)) return node;
    const inputs = node.inputs.map((input) => (typeof input === "string" ? relabel(input) : input));
    return { ...node, inputs, outputs: node.outputs.map(relabel) };
  });
  return withHistory({ ...state, variables }, history);
}

/** Replaces the values and gradients of existing variables, as an optimizer step updates them. */
function updateVariables(state: LiveState, updated: LiveVariable[]): LiveState | string {
  const byName = new Map(updated.map((variable) => [variable.name, variable]));
  const unknown = updated.find((variable) => !state.variables.some((known) => known.name === variable.name));
  if (unknown !== undefined) return `update of unknown variable ${unknown.name}`;
  return { ...state, variables: state.variables.map((variable) => byName.get(variable.name) ?? variable) };
}

/** The state with `history`, and its tape derived from it: the nodes still on the tape, in order. */
function withHistory(state: LiveState, history: GraphNode[]): LiveState {
  return { ...state, history, tape: history.filter((node) => node.on_tape) };
}
