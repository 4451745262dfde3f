import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import { gradcheckRequest, LAST_BACKPROP_ROOT } from "./gradcheckRequest";

const a = variable("a");
const k = variable("k", { requires_grad: false });
const c = variable("c", { created_by: 1 });
const loss = variable("loss", { created_by: 2 });
const state = workspaceState([a, k, c, loss], [node(1, "mul", ["a", "k"], ["c"]), node(2, "mul", ["c", "c"], ["loss"])]);

describe("gradcheckRequest", () => {
  it("checks a param as an input of the root of the last backprop, never against itself", () => {
    expect(gradcheckRequest(state, a, LAST_BACKPROP_ROOT)).toEqual({ wrt: ["a"] });
  });

  it("checks a param against the output chosen", () => {
    expect(gradcheckRequest(state, a, "c")).toEqual({ variable: "c", wrt: ["a"] });
  });

  it("checks a computed variable as the output, against the params it depends on", () => {
    expect(gradcheckRequest(state, loss, LAST_BACKPROP_ROOT)).toEqual({ variable: "loss", wrt: ["a"] });
  });

  it("has nothing to check for a const", () => {
    expect(gradcheckRequest(state, k, LAST_BACKPROP_ROOT)).toBeNull();
  });
});
