import { describe, expect, it } from "vitest";
import type { WorkspaceState } from "../api/types";
import { variable } from "../testing/workspace";
import { fromLoaded, fromPreview, missingVersion } from "./liveState";

describe("fromLoaded", () => {
  it("holds every tensor of a full load as values, NaN and infinities included", () => {
    const loaded: WorkspaceState = {
      id: "w",
      variables: [{ name: "x", shape: [2], dtype: "float32", requires_grad: true, value: [NaN, 1], grad: [Infinity, -Infinity], created_by: null }],
      tape: [],
      history: [],
      no_grad: true,
      tape_bytes: 16,
      held_bytes: 32,
      seq: 7,
      access: "read",
      damage: null,
      anomalies: [],
    };
    expect(fromLoaded(loaded)).toEqual({
      id: "w",
      variables: [
        {
          name: "x",
          shape: [2],
          dtype: "float32",
          requires_grad: true,
          created_by: null,
          value: { values: [NaN, 1] },
          grad: { values: [Infinity, -Infinity] },
          health: null,
        },
      ],
      tape: [],
      history: [],
      no_grad: true,
      tape_bytes: 16,
      seq: 7,
      access: "read",
      damage: null,
      anomalies: [],
    });
  });
});

describe("fromLoaded, a large tensor", () => {
  it("holds the statistics the state gave of a large value and grad, as of the state", () => {
    const preview = { shape: [5000], values: null, min: -1, max: 2, mean: 0.5 };
    const big = { name: "W", shape: [5000], dtype: "float64", requires_grad: true, value: null, grad: null, created_by: null };
    const loaded: WorkspaceState = {
      id: "w",
      variables: [{ ...big, value_preview: preview, grad_preview: { ...preview, min: 0, max: 0, mean: 0 } }],
      tape: [],
      history: [],
      no_grad: false,
      tape_bytes: 0,
      held_bytes: 0,
      seq: 4,
      access: "read",
      damage: null,
      anomalies: [],
    };
    const variable = fromLoaded(loaded).variables[0]!;
    expect(variable.value).toEqual({ values: null, min: -1, max: 2, mean: 0.5, seq: 4 });
    expect(variable.grad).toEqual({ values: Array(5000).fill(0) });
    expect(missingVersion(variable)).toBe(4);
  });

  it("has no grad when the variable requires none", () => {
    const preview = { shape: [5000], values: null, min: -1, max: 2, mean: 0.5 };
    const big = { name: "x", shape: [5000], dtype: "float64", requires_grad: false, value: null, grad: null, created_by: null };
    const loaded: WorkspaceState = {
      id: "w",
      variables: [{ ...big, value_preview: preview }],
      tape: [],
      history: [],
      no_grad: false,
      tape_bytes: 0,
      held_bytes: 0,
      seq: 4,
      access: "read",
      damage: null,
      anomalies: [],
    };
    expect(fromLoaded(loaded).variables[0]!.grad).toBeNull();
  });
});

describe("fromPreview", () => {
  it("keeps the values an event carried", () => {
    expect(fromPreview({ shape: [2], values: [1, 2], min: 1, max: 2, mean: 1.5 }, 3)).toEqual({ values: [1, 2] });
  });

  it("keeps only the statistics of a large tensor, with the event that gave them", () => {
    expect(fromPreview({ shape: [100], values: null, min: -1, max: Infinity, mean: NaN }, 3)).toEqual({
      values: null,
      min: -1,
      max: Infinity,
      mean: NaN,
      seq: 3,
    });
  });

  it("knows every value when the minimum is the maximum, and nothing more from NaN statistics", () => {
    expect(fromPreview({ shape: [2, 50], values: null, min: 0, max: 0, mean: 0 }, 3)).toEqual({ values: [Array(50).fill(0), Array(50).fill(0)] });
    expect(fromPreview({ shape: [100], values: null, min: NaN, max: NaN, mean: NaN }, 3).values).toBeNull();
  });
});

describe("missingVersion", () => {
  const summary = (seq: number) => ({ values: null, min: 0, max: 1, mean: 0.5, seq });

  it("is null when the state holds every value", () => {
    expect(missingVersion(variable("x", { grad: { values: 0 } }))).toBeNull();
  });

  it("is the newest event that summarised the value or the grad", () => {
    expect(missingVersion(variable("W", { value: summary(4), grad: summary(9) }))).toBe(9);
    expect(missingVersion(variable("W", { value: summary(4), grad: { values: [0] } }))).toBe(4);
  });
});
