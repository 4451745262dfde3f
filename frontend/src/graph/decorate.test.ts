import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import type { GradAtStep } from "../state/stepGrads";
import { buildGraph } from "./buildGraph";
import { decorate } from "./decorate";
import { foldGraph } from "./fold";
import { groupingOf } from "./groups";

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

  it("lights the folded group's card when the step's gate is inside it", () => {
    const grouped = workspaceState(state.variables, [{ ...node(1, "mul", ["a", "b"], ["c"]), group: "layer1" }, node(2, "exp", ["c"], ["d"])]);
    const graph = buildGraph(grouped);
    const folded = foldGraph(graph, groupingOf(graph), new Set()).graph;
    const inside = decorate(folded, { selected: null, step: { node: 1, grads: { a: 4 } }, grads: null }).nodes.find((n) => n.id === "group:layer1");
    const outside = decorate(folded, { selected: null, step: { node: 2, grads: { c: 1 } }, grads: null }).nodes.find((n) => n.id === "group:layer1");
    expect(inside?.type === "folded" && inside.data.active).toBe(true);
    expect(outside?.type === "folded" && outside.data.active).toBeFalsy();
  });
});
