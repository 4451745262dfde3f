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
