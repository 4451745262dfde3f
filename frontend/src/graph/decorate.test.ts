import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import { buildGraph } from "./buildGraph";
import { decorate } from "./decorate";

const state = workspaceState(
  [variable("a"), variable("b"), variable("c", { created_by: 1 })],
  [node(1, "mul", ["a", "b"], ["c"])],
);

describe("decorate", () => {
  it("leaves the graph alone when nothing is marked", () => {
    const graph = buildGraph(state);
    expect(decorate(graph, { selected: null, step: null })).toBe(graph);
  });

  it("marks the selected card", () => {
    const { nodes } = decorate(buildGraph(state), { selected: "b", step: null });
    expect(nodes.find((n) => n.id === "var:b")?.className).toBe("is-selected");
    expect(nodes.find((n) => n.id === "var:a")?.className).toBeUndefined();
  });

  it("lights the step's gate, animates the edges from its parents and shows what arrives", () => {
    const { nodes, edges } = decorate(buildGraph(state), { selected: null, step: { node: 1, grads: { a: 4, b: 3 } } });
    const gate = nodes.find((n) => n.id === "gate:1");
    expect(gate?.type === "gate" && gate.data.active).toBe(true);
    const a = nodes.find((n) => n.id === "var:a");
    expect(a?.type === "variable" && a.data.arriving).toBe(4);
    const active = edges.filter((e) => e.animated).map((e) => e.source);
    expect(active.sort()).toEqual(["var:a", "var:b"]);
    expect(edges.find((e) => e.source === "gate:1")?.animated).toBeUndefined();
  });
});
