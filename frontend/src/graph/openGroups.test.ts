import { describe, expect, it } from "vitest";
import type { GraphNode } from "../api/types";
import { node, variable, workspaceState as state } from "../testing/workspace";
import { buildGraph } from "./buildGraph";
import { foldGraph } from "./fold";
import { groupingOf } from "./groups";
import { FRAME_PADDING, foldGroup, openFrames } from "./openGroups";
import type { FlowNode } from "./types";

function inModule(n: GraphNode, group: string): GraphNode {
  return { ...n, group };
}

/** x -> [enc.a: mul by 2 -> a] -> [enc.b: relu -> b] -> exp -> y, the last gate in no module. */
function model() {
  const history = [inModule(node(1, "mul", ["x", 2], ["a"]), "enc.a"), inModule(node(2, "relu", ["a"], ["b"]), "enc.b"), node(3, "exp", ["b"], ["y"])];
  const variables = [variable("x", { requires_grad: false }), variable("a", { created_by: 1 }), variable("b", { created_by: 2 }), variable("y", { created_by: 3 })];
  return buildGraph(state(variables, history));
}

/** The drawn nodes laid out in a row, 100 apart, each 50 by 20. */
function inARow(nodes: FlowNode[]): FlowNode[] {
  return nodes.map((n, i) => ({ ...n, position: { x: 100 * i, y: 0 }, width: 50, height: 20 }));
}

describe("openFrames", () => {
  it("frames nothing while every group is folded", () => {
    const graph = model();
    const grouping = groupingOf(graph);
    const drawn = foldGraph(graph, grouping, new Set()).graph.nodes;
    expect(openFrames(inARow(drawn), grouping, new Set())).toEqual([]);
  });

  it("frames an opened group around its cards, folded inner groups included, and nothing outside it", () => {
    const graph = model();
    const grouping = groupingOf(graph);
    const opened = new Set(["enc"]);
    const drawn = inARow(foldGraph(graph, grouping, opened).graph.nodes);
    const inside = drawn.filter((n) => n.id === "group:enc.a" || n.id === "group:enc.b");
    expect(inside).toHaveLength(2);
    const frames = openFrames(drawn, grouping, opened);
    expect(frames.map((f) => f.key)).toEqual(["enc"]);
    const left = Math.min(...inside.map((n) => n.position.x));
    const right = Math.max(...inside.map((n) => n.position.x + 50));
    expect(frames[0]?.rect).toEqual({ x: left - FRAME_PADDING, y: -FRAME_PADDING, width: right - left + 2 * FRAME_PADDING, height: 20 + 2 * FRAME_PADDING });
  });

  it("pads an outer frame more than the open frame inside it", () => {
    const graph = model();
    const grouping = groupingOf(graph);
    const opened = new Set(["enc", "enc.a"]);
    const frames = openFrames(inARow(foldGraph(graph, grouping, opened).graph.nodes), grouping, opened);
    const outer = frames.find((f) => f.key === "enc")?.rect;
    const inner = frames.find((f) => f.key === "enc.a")?.rect;
    expect(outer && inner && outer.x < inner.x && outer.y < inner.y).toBe(true);
  });

  it("does not frame an opened group whose outer group is folded (its cards are not drawn)", () => {
    const graph = model();
    const grouping = groupingOf(graph);
    const opened = new Set(["enc.a"]);
    expect(openFrames(inARow(foldGraph(graph, grouping, opened).graph.nodes), grouping, opened)).toEqual([]);
  });
});

describe("foldGroup", () => {
  it("folds a group alone with the groups inside it, leaving other open groups open", () => {
    const graph = model();
    const grouping = groupingOf(graph);
    expect([...foldGroup(new Set(["enc", "enc.a", "enc.b"]), "enc.a", grouping)]).toEqual(["enc", "enc.b"]);
    expect([...foldGroup(new Set(["enc", "enc.a", "enc.b"]), "enc", grouping)]).toEqual([]);
  });
});
