import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import { tapeMemory } from "./tapeMemory";

describe("tapeMemory", () => {
  it("is the server's count when the state has one", () => {
    const state = { ...workspaceState([], []), tape_bytes: 1234 };
    expect(tapeMemory(state)).toEqual({ bytes: 1234, estimated: false });
  });

  it("estimates each variable on the tape once, by shape and dtype, when events changed the tape", () => {
    const state = {
      ...workspaceState(
        [variable("x", { shape: [2, 3] }), variable("w", { shape: [3], dtype: "float32" }), variable("y", { shape: [2, 3] })],
        [node(1, "mul", ["x", "x"], ["y"]), node(2, "add", ["w", "w"], ["v"], false)],
      ),
      tape_bytes: null,
    };
    // x and y: 6 float64 elements each; w is only held by a node off the tape.
    expect(tapeMemory(state)).toEqual({ bytes: 96, estimated: true });
  });

  it("counts a number given to a gate as a one-element constant of its first variable's dtype", () => {
    const state = {
      ...workspaceState([variable("a", { dtype: "float32" }), variable("b", { dtype: "float32" })], [node(1, "mul", ["a", 2], ["b"])]),
      tape_bytes: null,
    };
    expect(tapeMemory(state)).toEqual({ bytes: 12, estimated: true });
  });
});
