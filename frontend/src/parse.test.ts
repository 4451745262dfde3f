import { describe, expect, it } from "vitest";
import { parseValue } from "./parse";

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
