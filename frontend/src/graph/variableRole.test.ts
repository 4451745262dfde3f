import { describe, expect, it } from "vitest";
import { variableRole } from "./variableRole";

describe("variableRole", () => {
  it("calls a leaf that requires grad a param", () => {
    expect(variableRole({ created_by: null, requires_grad: true })).toBe("param");
  });

  it("calls a leaf without grad a const", () => {
    expect(variableRole({ created_by: null, requires_grad: false })).toBe("const");
  });

  it("calls what a gate produced computed, with or without grad, never a param", () => {
    expect(variableRole({ created_by: 3, requires_grad: true })).toBe("computed");
    expect(variableRole({ created_by: 3, requires_grad: false })).toBe("computed");
  });

});
