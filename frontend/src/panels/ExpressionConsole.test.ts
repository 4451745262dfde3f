import { describe, expect, it } from "vitest";
import { summarize } from "./ExpressionConsole";

const node = { id: 1, gate: "mul", inputs: ["w", "x"], outputs: ["y"], params: {}, on_tape: true };

describe("summarize", () => {
  it("says what a run made, kept and assigned, each name once", () => {
    const result = { nodes: [node], assigned: { w: "w", x: "x", y: "y" }, created: ["w"], kept: ["x"] };
    expect(summarize(result, false)).toBe("Ran: 1 node; made w; kept x; assigned y.");
    expect(summarize({ ...result, created: [], kept: ["w", "x"] }, true)).toBe("Ran again: 1 node; kept w, x; assigned y.");
  });

  it("counts nodes in words", () => {
    expect(summarize({ nodes: [], assigned: {}, created: ["a"], kept: [] }, false)).toBe("Ran: 0 nodes; made a.");
  });
});
