import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import { computedFrom, leafAncestors } from "./ancestors";

const leaf = (name: string, requires_grad = true) => variable(name, { requires_grad });
const made = (name: string, id: number) => variable(name, { created_by: id });
const state = workspaceState;

describe("leafAncestors", () => {
  it("finds each leaf that requires grad once, in first-reached order", () => {
    const s = state(
      [leaf("a"), leaf("b"), leaf("k", false), made("c", 1), made("d", 2)],
      [node(1, "g", ["a", "b"], ["c"]), node(2, "g", ["c", "a", "k", 2], ["d"])],
    );
    expect(leafAncestors(s, "d")).toEqual(["a", "b"]);
  });

  it("is the variable itself for a leaf, and nothing for a constant", () => {
    const s = state([leaf("a"), leaf("k", false)], []);
    expect(leafAncestors(s, "a")).toEqual(["a"]);
    expect(leafAncestors(s, "k")).toEqual([]);
  });
});

describe("computedFrom", () => {
  it("finds what was computed from a variable, directly or not, in history order", () => {
    const s = state(
      [leaf("a"), leaf("b"), made("c", 1), made("d", 2), made("e", 3)],
      [node(1, "g", ["a", "b"], ["c"]), node(2, "g", ["b", 2], ["d"]), node(3, "g", ["c", "c"], ["e"])],
    );
    expect(computedFrom(s, "a")).toEqual(["c", "e"]);
    expect(computedFrom(s, "b")).toEqual(["c", "d", "e"]);
  });

  it("leaves out outputs that no longer exist", () => {
    const s = state([leaf("a"), made("d", 2)], [node(1, "g", ["a"], ["c"]), node(2, "g", ["c"], ["d"])]);
    expect(computedFrom(s, "a")).toEqual(["d"]);
  });
});
