import { describe, expect, it } from "vitest";
import { EMPTY_DRAFT, takesSeed, toNewVariable, type VariableDraft } from "./variableRequest";

const draft = (extra: Partial<VariableDraft>): VariableDraft => ({ ...EMPTY_DRAFT, name: "x", ...extra });
const generated = (extra: Partial<VariableDraft>): VariableDraft => draft({ source: "generated", ...extra });

describe("toNewVariable", () => {
  it("sends a literal value with requires_grad and the dtype, float64 unless chosen", () => {
    expect(toNewVariable(draft({ value: "[[1, 2], [3, 4]]" }))).toEqual({
      ok: true,
      variable: { name: "x", value: [[1, 2], [3, 4]], requires_grad: true, dtype: "float64" },
    });
    expect(toNewVariable(draft({ value: "2.5", dtype: "float32", requiresGrad: false }))).toEqual({
      ok: true,
      variable: { name: "x", value: 2.5, requires_grad: false, dtype: "float32" },
    });
  });

  it("trims the name and refuses an empty one", () => {
    expect(toNewVariable(draft({ name: "  w ", value: "1" }))).toMatchObject({ ok: true, variable: { name: "w" } });
    expect(toNewVariable(draft({ name: " ", value: "1" }))).toEqual({ ok: false, message: "Give the variable a name, such as x.", field: "name" });
  });

  it("says what is wrong with a literal value", () => {
    const result = toNewVariable(draft({ value: "two" }));
    expect(!result.ok && result.message).toMatch(/"two" is not a number/);
  });

  it("sends a generated value as init with the parsed shape and seed, not a value", () => {
    expect(toNewVariable(generated({ init: "randn", shape: "[2, 3]", seed: " 7 ", dtype: "float32" }))).toEqual({
      ok: true,
      variable: { name: "x", init: { kind: "randn", shape: [2, 3], seed: 7 }, requires_grad: true, dtype: "float32" },
    });
  });

  it("leaves the seed out when none is typed, so the server picks one", () => {
    const result = toNewVariable(generated({ init: "uniform", shape: "4" }));
    expect(result).toMatchObject({ ok: true, variable: { init: { kind: "uniform", shape: [4] } } });
    expect(result.ok && result.variable.init).not.toHaveProperty("seed");
  });

  it("ignores a seed typed for a kind that draws no random numbers", () => {
    const result = toNewVariable(generated({ init: "arange", shape: "3, 2", seed: "5" }));
    expect(result.ok && result.variable.init).toEqual({ kind: "arange", shape: [3, 2] });
  });

  it("generates a scalar from an empty shape and ignores the value typed before switching", () => {
    const result = toNewVariable(generated({ init: "ones", shape: "", value: "not used" }));
    expect(result).toEqual({ ok: true, variable: { name: "x", init: { kind: "ones", shape: [] }, requires_grad: true, dtype: "float64" } });
  });

  it("says what is wrong with a shape or a seed", () => {
    const shape = toNewVariable(generated({ shape: "2 by 3" }));
    expect(!shape.ok && shape.message).toMatch(/Shape "2 by 3" is not a list of whole numbers/);
    const seed = toNewVariable(generated({ init: "randn", shape: "2", seed: "-1" }));
    expect(!seed.ok && seed.message).toMatch(/Seed "-1" is not a whole number of 0 or more/);
  });
});

describe("takesSeed", () => {
  it("is true for the random kinds only", () => {
    expect(["zeros", "ones", "randn", "uniform", "arange"].filter((kind) => takesSeed(kind as VariableDraft["init"]))).toEqual([
      "randn",
      "uniform",
    ]);
  });
});
