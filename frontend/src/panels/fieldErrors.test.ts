import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { errorsByField, withoutField } from "./fieldErrors";

const shown = new Set(["name", "output", "inputs.0", "inputs.1", "params.axis"]);

describe("errorsByField", () => {
  it("puts an error that names one field beside that field", () => {
    const taken = new ApiError(409, "name_taken", "a variable named 'x' already exists", { field: "output", name: "x" });
    expect(errorsByField(taken, shown)).toEqual({ output: "a variable named 'x' already exists" });
    const param = new ApiError(422, "invalid_params", "sum: parameter 'axis' ...", { gate: "sum", field: "params.axis" });
    expect(errorsByField(param, shown)).toEqual({ "params.axis": "sum: parameter 'axis' ..." });
  });

  it("puts each problem of a 422 beside its field, all at once", () => {
    const problems = [
      { field: "output", problem: "'2x' is not a variable name" },
      { field: "inputs.1", problem: "not a number" },
    ];
    const error = new ApiError(422, "invalid_request", "invalid request: output: ...", problems);
    expect(errorsByField(error, shown)).toEqual({ output: "'2x' is not a variable name", "inputs.1": "not a number" });
  });

  it("puts an error under the whole form when the field it names is not shown", () => {
    const error = new ApiError(422, "unknown_variable", "no variable named 'v'", { field: "variable", name: "v" });
    expect(errorsByField(error, shown)).toEqual({ "": "no variable named 'v'" });
    expect(errorsByField(new ApiError(413, "tape_full", "the tape is full"), shown)).toEqual({ "": "the tape is full" });
  });

  it("reads a list only from a 422", () => {
    const error = new ApiError(500, "internal_error", "broke", [{ field: "output", problem: "x" }]);
    expect(errorsByField(error, shown)).toEqual({ "": "broke" });
  });
});

describe("withoutField", () => {
  it("drops the error of the field being edited and keeps the others", () => {
    expect(withoutField({ output: "taken", "": "other" }, "output")).toEqual({ "": "other" });
    const errors = { name: "bad" };
    expect(withoutField(errors, "output")).toBe(errors);
  });
});
