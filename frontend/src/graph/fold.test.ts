import { describe, expect, it } from "vitest";
import type { GraphNode } from "../api/types";
import { node, variable, workspaceState as state } from "../testing/workspace";
import { buildGraph } from "./buildGraph";
import { foldGraph, groupId } from "./fold";
import { groupingOf } from "./groups";

function inModule(n: GraphNode, group: string): GraphNode {
  return { ...n, group };
}

/** x -> [enc.a: mul by 2 -> a] -> [enc.b: relu -> b] -> exp -> y, the last gate in no module. */
function model(onTape = true) {
  const history = [
    inModule(node(1, "mul", ["x", 2], ["a"], onTape), "enc.a"),
    inModule(node(2, "relu", ["a"], ["b"], onTape), "enc.b"),
    node(3, "exp", ["b"], ["y"], onTape),
  ];
  const variables = [
    variable("x", { requires_grad: false }),
    variable("a", { created_by: 1 }),
    variable("b", { created_by: 2 }),
    variable("y", { created_by: 3 }),
  ];
  return buildGraph(state(variables, history));
}

describe("foldGraph", () => {
  it("draws a graph without groups as it is", () => {
    const graph = buildGraph(state([variable("x"), variable("y", { created_by: 1 })], [node(1, "exp", ["x"], ["y"])]));
    const folded = foldGraph(graph, groupingOf(graph), new Set());
    expect(folded.graph).toBe(graph);
    expect(folded.folded).toEqual([]);
  });

  it("folds every module into its outermost group, one card where its first node was", () => {
    const graph = model();
    const { graph: drawn, folded, cardOf } = foldGraph(graph, groupingOf(graph), new Set());
    expect(drawn.nodes.map((n) => n.id)).toEqual(["var:x", "group:enc", "var:y", "gate:3"]);
    expect(folded).toEqual(["enc"]);
    expect(cardOf.get("gate:2")).toBe("group:enc");
    const card = drawn.nodes.find((n) => n.type === "folded");
    expect(card?.type === "folded" && [card.data.title, card.data.gates, card.data.variables, card.ariaLabel]).toEqual(["enc", 2, 2, "folded enc"]);
  });

  it("moves edges to the card once per pair of ends and drops those inside it", () => {
    const graph = model();
    const { graph: drawn } = foldGraph(graph, groupingOf(graph), new Set());
    expect(drawn.edges.map((e) => [e.source, e.sourceHandle ?? null, e.target, e.targetHandle ?? null])).toEqual([
      ["var:x", null, "group:enc", null],
      ["group:enc", null, "gate:3", "in-0"],
      ["gate:3", "out-0", "var:y", null],
    ]);
    expect(new Set(drawn.edges.map((e) => e.id)).size).toBe(drawn.edges.length);
  });

  it("shows the modules inside an opened group still folded, and a node itself once every group around it is open", () => {
    const graph = model();
    const grouping = groupingOf(graph);
    const one = foldGraph(graph, grouping, new Set(["enc"]));
    expect(one.graph.nodes.map((n) => n.id)).toEqual(["var:x", "group:enc.a", "group:enc.b", "var:y", "gate:3"]);
    const all = foldGraph(graph, grouping, new Set(["enc", "enc.a", "enc.b"]));
    expect(all.graph.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
  });

  it("keeps untouched nodes and edges as the same objects", () => {
    const graph = model();
    const { graph: drawn } = foldGraph(graph, groupingOf(graph), new Set());
    expect(drawn.nodes[0]).toBe(graph.nodes[0]);
    expect(drawn.edges.at(-1)).toBe(graph.edges.at(-1));
  });

  it("marks a card consumed once backprop consumed its gates", () => {
    const live = foldGraph(model(), groupingOf(model()), new Set()).graph.nodes.find((n) => n.id === groupId("enc"));
    const spent = foldGraph(model(false), groupingOf(model(false)), new Set()).graph.nodes.find((n) => n.id === groupId("enc"));
    expect(live?.type === "folded" && live.data.live).toBe(true);
    expect(spent?.type === "folded" && spent.data.live).toBe(false);
    const edge = foldGraph(model(false), groupingOf(model(false)), new Set()).graph.edges[0];
    expect(edge?.className).toBe("edge--consumed");
  });

  it("titles a run of the history by the gates it holds", () => {
    const variables = [variable("x")];
    const history: GraphNode[] = [];
    for (let id = 1; id <= 100; id++) {
      variables.push(variable(`v${id}`, { created_by: id }));
      history.push(node(id, "neg", [id === 1 ? "x" : `v${id - 1}`], [`v${id}`]));
    }
    const graph = buildGraph(state(variables, history));
    const { graph: drawn } = foldGraph(graph, groupingOf(graph), new Set());
    const titles = drawn.nodes.flatMap((n) => (n.type === "folded" ? [n.data.title] : []));
    expect(titles).toEqual(["gates #1–#64", "gates #65–#100"]);
  });
});
