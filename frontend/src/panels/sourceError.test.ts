import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { markError, sourcePosition } from "./sourceError";

describe("sourcePosition", () => {
  it("reads line and column from the error detail", () => {
    const error = new ApiError(422, "expression_error", "line 2, column 5: bad", { line: 2, column: 5 });
    expect(sourcePosition(error)).toEqual({ line: 2, column: 5 });
  });

  it("is null when the detail has no position", () => {
    expect(sourcePosition(new ApiError(404, "not_found", "gone"))).toBeNull();
    expect(sourcePosition(new ApiError(422, "x", "y", { line: "2" }))).toBeNull();
  });
});

describe("markError", () => {
  it("puts a caret under the column of the offending line", () => {
    expect(markError("c = a + b\nd = c * * 2", { line: 2, column: 9 })).toEqual(["d = c * * 2", "        ^"]);
  });

  it("keeps tabs so the caret lines up, and copes with a line past the end", () => {
    expect(markError("\tx = 1", { line: 1, column: 3 })).toEqual(["\tx = 1", "\t ^"]);
    expect(markError("x = 1", { line: 3, column: 1 })).toEqual(["", "^"]);
  });
});

describe("the caret of an unknown name", () => {
  it("sits under the name, where the server's detail points", () => {
    const error = new ApiError(422, "unknown_variable", "line 1, column 9: no variable named 'nope'", { line: 1, column: 9 });
    const [line, caret] = markError("z = W @ nope", sourcePosition(error)!);
    expect(line.slice(caret.indexOf("^"))).toBe("nope");
  });
});
