import { describe, expect, it } from "vitest";
import { MAX_DIMENSIONS, parseShape, parseValue, parseWholeNumber } from "./parse";

describe("parseValue", () => {
  it("reads numbers, including forms JSON does not allow", () => {
    expect(parseValue("2.5")).toEqual({ ok: true, value: 2.5 });
    expect(parseValue(" -3 ")).toEqual({ ok: true, value: -3 });
    expect(parseValue(".5")).toEqual({ ok: true, value: 0.5 });
    expect(parseValue("1e-3")).toEqual({ ok: true, value: 0.001 });
  });

  it("reads nested lists of numbers", () => {
    expect(parseValue("[[1, 2], [3, 4]]")).toEqual({ ok: true, value: [[1, 2], [3, 4]] });
  });

  it("refuses empty input with a hint", () => {
    const parsed = parseValue("  ");
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/empty/);
  });

  it("refuses text that is neither a number nor JSON", () => {
    const parsed = parseValue("two");
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/"two" is not a number/);
  });

  it("refuses lists holding anything but numbers", () => {
    expect(parseValue('[1, "2"]').ok).toBe(false);
    expect(parseValue("{\"a\": 1}").ok).toBe(false);
  });
});

describe("parseShape", () => {
  it("reads sizes however they are separated or bracketed", () => {
    for (const text of ["3, 2", "[3, 2]", "(3, 2)", "3 2", "3×2", "3x2", " [ 3 ,2 ] "]) {
      expect(parseShape(text)).toEqual({ ok: true, shape: [3, 2] });
    }
  });

  it("reads an empty shape, or empty brackets, as a scalar", () => {
    expect(parseShape("")).toEqual({ ok: true, shape: [] });
    expect(parseShape("  ")).toEqual({ ok: true, shape: [] });
    expect(parseShape("[]")).toEqual({ ok: true, shape: [] });
  });

  it("allows one trailing comma, as Python's (3,) does", () => {
    expect(parseShape("3,")).toEqual({ ok: true, shape: [3] });
    expect(parseShape("(4, )")).toEqual({ ok: true, shape: [4] });
  });

  it("allows a zero size, which the server accepts", () => {
    expect(parseShape("0, 3")).toEqual({ ok: true, shape: [0, 3] });
  });

  it("refuses anything but whole numbers, quoting the text and saying what to type", () => {
    for (const text of ["3, two", "3.5", "-1, 2", "3,,2", "[3, 2", "1e3"]) {
      const parsed = parseShape(text);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.message).toContain(`Shape "${text.trim()}" is not a list of whole numbers`);
      expect(!parsed.ok && parsed.message).toMatch(/such as 3, 2/);
    }
  });

  it("refuses more dimensions than the server allows", () => {
    const parsed = parseShape(Array(MAX_DIMENSIONS + 1).fill("1").join(", "));
    expect(!parsed.ok && parsed.message).toMatch(/has 9 dimensions; at most 8/);
  });
});

describe("parseWholeNumber", () => {
  it("reads digits, around spaces", () => {
    expect(parseWholeNumber(" 42 ")).toBe(42);
    expect(parseWholeNumber("0")).toBe(0);
  });

  it("refuses signs, fractions, exponents, empty text and numbers too large to be exact", () => {
    for (const text of ["-1", "+1", "1.5", "1e3", "", "99999999999999999999"]) expect(parseWholeNumber(text)).toBeNull();
  });
});
