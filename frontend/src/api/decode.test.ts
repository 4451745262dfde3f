import { describe, expect, it } from "vitest";
import { decodeNonFinite } from "./decode";

describe("decodeNonFinite", () => {
  it("reads spelled-out numbers in tensors and statistics as NaN and the infinities", () => {
    const answer = { value: [[1, "nan"], ["inf", "-inf"]], grad: "inf", preview: { values: null, min: "-inf", max: 2, mean: "nan" } };
    expect(decodeNonFinite(answer)).toEqual({
      value: [[1, NaN], [Infinity, -Infinity]],
      grad: Infinity,
      preview: { values: null, min: -Infinity, max: 2, mean: NaN },
    });
  });

  it("reads every tensor of a map of gradients by name", () => {
    expect(decodeNonFinite({ grads: { x: ["nan"] }, upstream: { y: "inf" }, accumulated: { z: "-inf" }, gradients: { w: { values: "nan" } } })).toEqual({
      grads: { x: [NaN] },
      upstream: { y: Infinity },
      accumulated: { z: -Infinity },
      gradients: { w: { values: NaN } },
    });
  });

  it("leaves strings outside tensors alone, such as a variable called inf", () => {
    const state = { variables: [{ name: "inf", value: 1 }], assigned: { nan: "nan" }, zero: { variables: ["-inf"] } };
    expect(decodeNonFinite(state)).toEqual(state);
  });
});
