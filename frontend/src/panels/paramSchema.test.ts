import { describe, expect, it } from "vitest";
import { initialText, paramFields, parseInput, parseParam } from "./paramSchema";

const conv = {
  type: "object",
  properties: {
    stride: { type: ["integer", "array"], items: { type: "integer" }, default: 1, description: "step" },
    padding: { type: ["integer", "array"], items: { type: "integer" }, default: 0 },
  },
  required: [],
};

describe("paramFields", () => {
  it("reads kinds, requirement, nullability and defaults", () => {
    const fields = paramFields({
      type: "object",
      properties: {
        chunks: { type: "integer" },
        min: { type: ["number", "null"], default: null },
        training: { type: "boolean", default: true },
        mode: { enum: ["a", "b"] },
        axes: { type: ["array", "null"], items: { type: "integer" } },
        index: { type: "array", items: { anyOf: [{ type: "integer" }] } },
      },
      required: ["chunks"],
    });
    expect(fields.map((f) => [f.name, f.kind, f.required, f.nullable])).toEqual([
      ["chunks", "integer", true, false],
      ["min", "number", false, true],
      ["training", "boolean", false, false],
      ["mode", "enum", false, false],
      ["axes", "integers", false, true],
      ["index", "json", false, false],
    ]);
  });

  it("treats an int-or-int-list as integers and keeps the description", () => {
    const [stride] = paramFields(conv);
    expect(stride).toMatchObject({ kind: "integers", description: "step", default: 1 });
  });
});

describe("initialText", () => {
  it("writes defaults the way they are typed", () => {
    const [stride] = paramFields(conv);
    expect(stride && initialText(stride)).toBe("1");
    expect(initialText({ ...stride!, default: [2, 3] })).toBe("2, 3");
    expect(initialText({ ...stride!, default: null })).toBe("");
  });
});

describe("parseParam", () => {
  const [stride] = paramFields(conv);
  const field = stride!;

  it("reads one integer or a list", () => {
    expect(parseParam(field, "2")).toEqual({ ok: true, value: 2 });
    expect(parseParam(field, "2, 3")).toEqual({ ok: true, value: [2, 3] });
    expect(parseParam(field, "[4]")).toEqual({ ok: true, value: [4] });
    expect(parseParam(field, "1.5").ok).toBe(false);
  });

  it("omits an empty optional field and refuses an empty required one", () => {
    expect(parseParam(field, " ")).toEqual({ ok: true, omit: true });
    expect(parseParam({ ...field, required: true }, "").ok).toBe(false);
  });

  it("reads numbers, integers, booleans and JSON", () => {
    expect(parseParam({ ...field, kind: "number" }, "0.5")).toEqual({ ok: true, value: 0.5 });
    expect(parseParam({ ...field, kind: "integer" }, "0.5").ok).toBe(false);
    expect(parseParam({ ...field, kind: "boolean" }, "false")).toEqual({ ok: true, value: false });
    expect(parseParam({ ...field, kind: "json" }, '[0, {"start": 1}]')).toEqual({ ok: true, value: [0, { start: 1 }] });
    expect(parseParam({ ...field, kind: "json" }, "[0,").ok).toBe(false);
  });
});

describe("parseInput", () => {
  it("takes variable names as names and numbers as constants", () => {
    expect(parseInput("a", ["a"])).toEqual({ ok: true, value: "a" });
    expect(parseInput(" 2.5 ", ["a"])).toEqual({ ok: true, value: 2.5 });
    expect(parseInput("zz", ["a"]).ok).toBe(false);
    expect(parseInput("", ["a"]).ok).toBe(false);
  });
});
