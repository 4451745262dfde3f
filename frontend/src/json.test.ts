import { describe, expect, it } from "vitest";
import { sameJson } from "./json";

describe("sameJson", () => {
  it("compares numbers, strings, booleans and null by value", () => {
    expect(sameJson(1.5, 1.5)).toBe(true);
    expect(sameJson("x", "x")).toBe(true);
    expect(sameJson(null, null)).toBe(true);
    expect(sameJson(1, "1")).toBe(false);
    expect(sameJson(null, 0)).toBe(false);
  });

  it("compares nested lists element by element", () => {
    expect(sameJson([[1, 2], [3, 4]], [[1, 2], [3, 4]])).toBe(true);
    expect(sameJson([[1, 2], [3, 4]], [[1, 2], [3, 5]])).toBe(false);
    expect(sameJson([1, 2], [1, 2, 3])).toBe(false);
    expect(sameJson([], {})).toBe(false);
  });

  it("compares objects key by key, in any order", () => {
    expect(sameJson({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(sameJson({ a: null }, { a: null })).toBe(true);
  });
});
