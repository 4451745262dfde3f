import { describe, expect, it } from "vitest";
import type { EventFields, EventType, WorkspaceEvent } from "../api/events";
import type { TensorPreview, VariableSummary } from "../api/types";
import { node, variable, workspaceState } from "../testing/workspace";
import { applyEvent, type Outcome } from "./applyEvent";
import type { LiveState } from "./liveState";

/** An event of `type` numbered `seq`. */
function event<T extends EventType>(seq: number, type: T, fields: EventFields[T]): WorkspaceEvent {
  return { seq, type, ...fields } as WorkspaceEvent;
}

/** A preview of a small tensor, which carries its values. */
function small(values: TensorPreview["values"], shape: number[] = []): TensorPreview {
  return { shape, values, min: null, max: null, mean: null };
}

/** A preview of a large tensor: statistics only. */
function large(shape: number[], min: TensorPreview["min"], max: TensorPreview["max"], mean: TensorPreview["mean"]): TensorPreview {
  return { shape, values: null, min, max, mean };
}

/** How an event describes a variable. */
function summary(name: string, value: TensorPreview, extra: Partial<VariableSummary> = {}): VariableSummary {
  return { name, shape: value.shape, dtype: "float64", requires_grad: true, created_by: null, value, grad: small(0), ...extra };
}

/** The state after the event; fails the test when the event asks for a reload. */
function applied(state: LiveState, next: WorkspaceEvent): LiveState {
  const outcome = applyEvent(state, next);
  if (!outcome.ok) throw new Error(`expected the event to apply, but: ${outcome.reload}`);
  return outcome.state;
}

/** Applies events in order. */
function replay(state: LiveState, ...events: WorkspaceEvent[]): LiveState {
  return events.reduce(applied, state);
}

function names(state: LiveState): string[] {
  return state.variables.map((v) => v.name);
}

const reloads = (outcome: Outcome) => expect(outcome.ok).toBe(false);

/** a and b made by hand, c = a * b on the tape; seq 3. */
function product(): LiveState {
  const mul = node(1, "mul", ["a", "b"], ["c"]);
  return { ...workspaceState([variable("a"), variable("b"), variable("c", { created_by: 1 })], [mul]), seq: 3, tape_bytes: 24 };
}

describe("applyEvent: numbering", () => {
  it("ignores an event the state already includes", () => {
    const state = product();
    const outcome = applyEvent(state, event(3, "no_grad", { enabled: true }));
    expect(outcome).toEqual({ ok: true, state });
    expect(applied(state, event(2, "no_grad", { enabled: true }))).toBe(state);
  });

  it("asks for a reload when an event was missed", () => {
    const outcome = applyEvent(product(), event(5, "no_grad", { enabled: true }));
    expect(outcome).toEqual({ ok: false, reload: "missed events 4 to 4" });
  });

  it("keeps the state's seq at the last event applied", () => {
    const state = replay(product(), event(4, "no_grad", { enabled: true }), event(5, "no_grad", { enabled: false }));
    expect(state.seq).toBe(5);
  });

  it("asks for a reload on a resync and on training, whose weight updates events do not spell out", () => {
    reloads(applyEvent(product(), event(4, "resync", {})));
    const metrics = { train_loss: null, test_loss: null, train_accuracy: null, test_accuracy: null, train_mse: null, test_mse: null };
    reloads(applyEvent(product(), event(4, "training", { state: "running", epoch: 1, step: 3, metrics, layers: [], pause_reason: null })));
  });

  it("takes a deleted workspace's last event as seen", () => {
    expect(applied(product(), event(4, "deleted", {})).seq).toBe(4);
  });
});

describe("applyEvent: variable_created", () => {
  it("appends a small variable with its values", () => {
    const state = applied(product(), event(4, "variable_created", { variable: summary("x", small([1, 2], [2])) }));
    expect(names(state)).toEqual(["a", "b", "c", "x"]);
    expect(state.variables[3]).toEqual({
      name: "x",
      shape: [2],
      dtype: "float64",
      requires_grad: true,
      created_by: null,
      value: { values: [1, 2] },
      grad: { values: 0 },
      health: null,
    });
  });

  it("keeps only the statistics of a large variable, marked with the event that gave them", () => {
    const preview = large([100, 100], -2, 3, 0.5);
    const created = summary("W", preview, { grad: null, requires_grad: false });
    const state = applied(product(), event(4, "variable_created", { variable: created }));
    expect(state.variables.at(-1)?.value).toEqual({ values: null, min: -2, max: 3, mean: 0.5, seq: 4 });
    expect(state.variables.at(-1)?.grad).toBeNull();
  });

  it("knows every value of a large tensor whose minimum is its maximum, such as a fresh gradient", () => {
    const created = summary("W", large([2, 40], 0.5, 0.5, 0.5), { grad: large([2, 40], 0, 0, 0) });
    const state = applied(product(), event(4, "variable_created", { variable: created }));
    expect(state.variables.at(-1)?.value).toEqual({ values: [Array(40).fill(0.5), Array(40).fill(0.5)] });
    expect(state.variables.at(-1)?.grad).toEqual({ values: [Array(40).fill(0), Array(40).fill(0)] });
  });

  it("keeps NaN and infinities, in values and in statistics", () => {
    const withValues = applied(product(), event(4, "variable_created", { variable: summary("x", small([1, NaN, Infinity, -Infinity], [4])) }));
    expect(withValues.variables.at(-1)?.value).toEqual({ values: [1, NaN, Infinity, -Infinity] });
    const withStats = applied(product(), event(4, "variable_created", { variable: summary("W", large([9, 9], -Infinity, Infinity, NaN)) }));
    expect(withStats.variables.at(-1)?.value).toEqual({ values: null, min: -Infinity, max: Infinity, mean: NaN, seq: 4 });
  });

  it("asks for a reload when the name is taken already", () => {
    reloads(applyEvent(product(), event(4, "variable_created", { variable: summary("a", small(1)) })));
  });
});

describe("applyEvent: node_recorded", () => {
  const exp = node(2, "exp", ["c"], ["d"]);

  it("adds the node to history and tape and its outputs as variables", () => {
    const state = applied(product(), event(4, "node_recorded", { node: exp, outputs: [summary("d", small(2.5), { created_by: 2 })] }));
    expect(state.history.map((n) => n.id)).toEqual([1, 2]);
    expect(state.tape.map((n) => n.id)).toEqual([1, 2]);
    expect(names(state)).toEqual(["a", "b", "c", "d"]);
    expect(state.variables.at(-1)).toMatchObject({ created_by: 2, value: { values: 2.5 } });
  });

  it("marks the tape's memory unknown: the event does not say what the node holds", () => {
    const state = applied(product(), event(4, "node_recorded", { node: exp, outputs: [summary("d", small(2.5))] }));
    expect(state.tape_bytes).toBeNull();
  });

  it("keeps a node recorded in no-grad mode off the tape, whose memory stays known", () => {
    const offTape = { ...exp, on_tape: false };
    const outputs = [summary("d", small(2.5), { requires_grad: false, grad: null })];
    const state = applied(product(), event(4, "node_recorded", { node: offTape, outputs }));
    expect(state.history.map((n) => n.id)).toEqual([1, 2]);
    expect(state.tape.map((n) => n.id)).toEqual([1]);
    expect(state.tape_bytes).toBe(24);
  });

  it("asks for a reload for a node it knows already or an output name that is taken", () => {
    reloads(applyEvent(product(), event(4, "node_recorded", { node: { ...exp, id: 1 }, outputs: [summary("d", small(1))] })));
    reloads(applyEvent(product(), event(4, "node_recorded", { node: exp, outputs: [summary("b", small(1))] })));
  });
});

describe("applyEvent: backprop", () => {
  /** c = a * b (#1), then d = exp(c) (#2) and e = exp(d) (#3), all on the tape; seq 5. */
  function chain(): LiveState {
    return replay(
      product(),
      event(4, "node_recorded", { node: node(2, "exp", ["c"], ["d"]), outputs: [summary("d", small(1), { created_by: 2 })] }),
      event(5, "node_recorded", { node: node(3, "exp", ["d"], ["e"]), outputs: [summary("e", small(1), { created_by: 3 })] }),
    );
  }

  it("takes each stepped node off the tape, leaving the gradients to backprop_done", () => {
    const state = applied(chain(), event(6, "backprop_step", { node: 2, gate: "exp", grads: { c: small(5) }, upstream: {}, accumulated: {} }));
    expect(state.tape.map((n) => n.id)).toEqual([1, 3]);
    expect(state.history.find((n) => n.id === 2)?.on_tape).toBe(false);
    expect(state.variables.find((v) => v.name === "c")?.grad).toBeNull();
  });

  it("asks for a reload when a step names a node it does not know", () => {
    reloads(applyEvent(chain(), event(6, "backprop_step", { node: 9, gate: "exp", grads: {}, upstream: {}, accumulated: {} })));
  });

  it("empties the tape, nodes after the producer included, and sets every gradient", () => {
    // Backprop from d discards #3 (recorded after d's producer) unstepped, as the engine does.
    const state = replay(
      chain(),
      event(6, "backprop_step", { node: 2, gate: "exp", grads: { c: small(1) }, upstream: {}, accumulated: {} }),
      event(7, "backprop_step", { node: 1, gate: "mul", grads: { a: small(2), b: small(3) }, upstream: {}, accumulated: {} }),
      event(8, "backprop_done", {
        variable: "d",
        gradients: { a: small(2), b: small(3), c: small(1), d: small(1), e: small(0) },
        health: {},
        anomaly: null,
      }),
    );
    expect(state.tape).toEqual([]);
    expect(state.history.every((n) => !n.on_tape)).toBe(true);
    expect(state.tape_bytes).toBe(0);
    expect(state.variables.map((v) => v.grad)).toEqual([2, 3, 1, 1, 0].map((values) => ({ values })));
  });

  it("keeps a large gradient as a summary, to be loaded when drawn", () => {
    const state = applied(product(), event(4, "backprop_done", { variable: "c", gradients: { a: large([80], 0, 1, 0.5) }, health: {}, anomaly: null }));
    expect(state.variables[0]?.grad).toEqual({ values: null, min: 0, max: 1, mean: 0.5, seq: 4 });
  });

  it("leaves the tape alone after backprop from a variable made by hand, which only seeds it", () => {
    const state = applied(product(), event(4, "backprop_done", { variable: "a", gradients: { a: small(1) }, health: {}, anomaly: null }));
    expect(state.tape.map((n) => n.id)).toEqual([1]);
    expect(state.tape_bytes).toBe(24);
    expect(state.variables[0]?.grad).toEqual({ values: 1 });
  });

  it("asks for a reload when backprop names a variable it does not know", () => {
    reloads(applyEvent(product(), event(4, "backprop_done", { variable: "zz", gradients: {}, health: {}, anomaly: null })));
    reloads(applyEvent(product(), event(4, "backprop_done", { variable: "c", gradients: { zz: small(1) }, health: {}, anomaly: null })));
  });
});

describe("applyEvent: zero_grad and no_grad", () => {
  const withGrads = (): LiveState => ({
    ...workspaceState(
      [
        variable("a", { grad: { values: 3 } }),
        variable("W", { shape: [2, 40], grad: { values: null, min: 1, max: 2, mean: 1.5, seq: 1 } }),
        variable("k", { requires_grad: false }),
      ],
      [],
    ),
    seq: 3,
  });

  it("zeroes the named gradients, large ones included, so nothing needs loading", () => {
    const state = applied(withGrads(), event(4, "zero_grad", { variables: ["W"] }));
    expect(state.variables[0]?.grad).toEqual({ values: 3 });
    expect(state.variables[1]?.grad).toEqual({ values: [Array(40).fill(0), Array(40).fill(0)] });
  });

  it("zeroes every gradient when no names are given, and leaves constants without one", () => {
    const state = applied(withGrads(), event(4, "zero_grad", { variables: null }));
    expect(state.variables.map((v) => v.grad?.values ?? null)).toEqual([0, [Array(40).fill(0), Array(40).fill(0)], null]);
  });

  it("asks for a reload when a name is unknown", () => {
    reloads(applyEvent(withGrads(), event(4, "zero_grad", { variables: ["nope"] })));
  });

  it("sets no-grad mode", () => {
    expect(applied(product(), event(4, "no_grad", { enabled: true })).no_grad).toBe(true);
  });
});

describe("applyEvent: renamed", () => {
  it("moves the variable to its new label, last, and relabels every node that names it", () => {
    const state = applied(product(), event(4, "renamed", { old: "a", new: "a@1" }));
    expect(names(state)).toEqual(["b", "c", "a@1"]);
    expect(state.history[0]?.inputs).toEqual(["a@1", "b"]);
    expect(state.tape[0]?.inputs).toEqual(["a@1", "b"]);
  });

  it("relabels outputs and repeated inputs, and leaves literal numbers alone", () => {
    const square = node(1, "mul", ["x", "x", 2], ["y"]);
    const start = { ...workspaceState([variable("x"), variable("y", { created_by: 1 })], [square]), seq: 1 };
    const state = applied(start, event(2, "renamed", { old: "y", new: "y@1" }));
    expect(state.history[0]).toMatchObject({ inputs: ["x", "x", 2], outputs: ["y@1"] });
    const again = applied(state, event(3, "renamed", { old: "x", new: "x@1" }));
    expect(again.history[0]).toMatchObject({ inputs: ["x@1", "x@1", 2], outputs: ["y@1"] });
  });

  it("follows a program that reassigns a name: a = a * 2", () => {
    const start = { ...workspaceState([variable("a", { value: { values: 3 } })], []), seq: 1 };
    const state = replay(
      start,
      event(2, "renamed", { old: "a", new: "a@1" }),
      event(3, "node_recorded", { node: node(1, "mul", ["a@1", 2], ["a"]), outputs: [summary("a", small(6), { created_by: 1 })] }),
    );
    expect(state.variables.map((v) => [v.name, v.value])).toEqual([
      ["a@1", { values: 3 }],
      ["a", { values: 6 }],
    ]);
    expect(state.history[0]).toMatchObject({ inputs: ["a@1", 2], outputs: ["a"] });
  });

  it("asks for a reload when the old name is unknown or the new one taken", () => {
    reloads(applyEvent(product(), event(4, "renamed", { old: "zz", new: "zz@1" })));
    reloads(applyEvent(product(), event(4, "renamed", { old: "a", new: "b" })));
  });
});

describe("applyEvent: optimizer_step", () => {
  it("replaces the parameters' values and gradients, and keeps every other variable as it was", () => {
    const start = product();
    const params = [summary("a", small(0.5), { grad: small(2) }), summary("b", large([90], -1, 1, 0), { grad: null })];
    const state = applied(start, event(4, "optimizer_step", { optimizer: "sgd", params }));
    expect(state.variables[0]).toMatchObject({ value: { values: 0.5 }, grad: { values: 2 } });
    expect(state.variables[1]).toMatchObject({ value: { values: null, min: -1, max: 1, mean: 0, seq: 4 } });
    expect(state.variables[2]).toBe(start.variables[2]);
  });

  it("asks for a reload when a parameter is unknown", () => {
    reloads(applyEvent(product(), event(4, "optimizer_step", { optimizer: "sgd", params: [summary("zz", small(1))] })));
  });
});

describe("applyEvent: weight_edited", () => {
  const edit = { parameter: "a", index: [0, 0], value: 0.5, previous: 1, step: 3 };

  it("replaces the edited weight and marks stale the nodes that read it", () => {
    const start = product();
    const state = applied(start, event(4, "weight_edited", { ...edit, variable: summary("a", small(0.5)) }));
    expect(state.variables[0]).toMatchObject({ value: { values: 0.5 } });
    expect(state.variables[1]).toBe(start.variables[1]);
    expect(state.history.map((n) => [n.id, n.stale ?? false])).toEqual([[1, true]]);
  });

  it("asks for a reload when the weight is unknown", () => {
    reloads(applyEvent(product(), event(4, "weight_edited", { ...edit, variable: summary("zz", small(1)) })));
  });
});

describe("applyEvent: what the page says about its numbers", () => {
  const born = { phase: "forward" as const, node: 1, gate: "log", variable: "c", index: [1], value: -Infinity, explanation: "log made −∞" };
  const backward = { ...born, phase: "backward" as const, gate: "sqrt", explanation: "sqrt's backward gave ∞" };

  it("keeps the anomaly a recorded gate made, and replaces the backward one at each backprop", () => {
    const recorded = applied(
      product(),
      event(4, "node_recorded", { node: { ...node(2, "log", ["c"], ["d"]), anomaly: born }, outputs: [summary("d", small(1))] }),
    );
    expect(recorded.anomalies).toEqual([born]);
    const first = applied(recorded, event(5, "backprop_done", { variable: "d", gradients: {}, health: {}, anomaly: backward }));
    expect(first.anomalies).toEqual([born, backward]);
    const clean = applied(first, event(6, "backprop_done", { variable: "d", gradients: {}, health: {}, anomaly: null }));
    expect(clean.anomalies).toEqual([born]);
  });

  it("sets each variable's health from backprop and forgets it when its gradient is zeroed", () => {
    const health = { norm: 0, max_abs: 0, zero_fraction: 1, ratio: 0, warnings: ["vanishing" as const], notes: ["nothing reaches it"] };
    const done = applied(product(), event(4, "backprop_done", { variable: "c", gradients: { a: small(0) }, health: { a: health }, anomaly: null }));
    expect(done.variables.map((v) => v.health)).toEqual([health, null, null]);
    const zeroed = applied(done, event(5, "zero_grad", { variables: null }));
    expect(zeroed.variables.map((v) => v.health)).toEqual([null, null, null]);
  });

  it("marks stale the nodes that read a parameter an optimizer step moved", () => {
    const stepped = applied(product(), event(4, "optimizer_step", { optimizer: "sgd", params: [summary("a", small(0.5))] }));
    expect(stepped.history.map((n) => [n.id, n.stale ?? false])).toEqual([[1, true]]);
    expect(stepped.tape.map((n) => n.stale)).toEqual([true]);
  });
});
