import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import type { GradAtStep } from "../state/stepGrads";
import { buildGraph } from "./buildGraph";
import { decorate } from "./decorate";

const state = workspaceState(
  [variable("a"), variable("b"), variable("c", { created_by: 1 })],
  [node(1, "mul", ["a", "b"], ["c"])],
);

describe("decorate", () => {
  it("leaves the graph alone when nothing is marked", () => {
    const graph = buildGraph(state);
    expect(decorate(graph, { selected: null, step: null, grads: null })).toBe(graph);
  });

  it("marks the selected card", () => {
    const { nodes } = decorate(buildGraph(state), { selected: "b", step: null, grads: null });
    expect(nodes.find((n) => n.id === "var:b")?.className).toBe("is-selected");
    expect(nodes.find((n) => n.id === "var:a")?.className).toBeUndefined();
  });

  it("lights the step's gate, animates the edges from its parents and gives each reached card its grad", () => {
    const added: GradAtStep = { kind: "value", value: 4, added: 4 };
    const grads: Record<string, GradAtStep> = { a: added, c: { kind: "pending" } };
    const step = { node: 1, grads: { a: 4, b: 3 } };
    const { nodes, edges } = decorate(buildGraph(state), { selected: null, step, grads });
    const gate = nodes.find((n) => n.id === "gate:1");
    expect(gate?.type === "gate" && gate.data.active).toBe(true);
    const stepGrad = (id: string) => nodes.flatMap((n) => (n.id === id && n.type === "variable" ? [n.data.stepGrad] : []))[0];
    expect(stepGrad("var:a")).toBe(added);
    expect(stepGrad("var:c")).toEqual({ kind: "pending" });
    expect(stepGrad("var:b")).toBeUndefined();
    const active = edges.filter((e) => e.animated).map((e) => e.source);
    expect(active.sort()).toEqual(["var:a", "var:b"]);
    expect(edges.find((e) => e.source === "gate:1")?.animated).toBeUndefined();
  });
});
