import { describe, expect, it } from "vitest";
import type { GraphNode } from "../api/types";
import { node, variable, workspaceState as state } from "../testing/workspace";
import { buildGraph } from "./buildGraph";
import { FOLD_ABOVE, groupingOf } from "./groups";

/** A gate of module `group`. */
function inModule(n: GraphNode, group: string): GraphNode {
  return { ...n, group };
}

/** A chain x -> neg -> v1 -> neg -> v2 … of `gates` gates and no modules. */
function chain(gates: number) {
  const variables = [variable("x")];
  const history: GraphNode[] = [];
  for (let id = 1; id <= gates; id++) {
    variables.push(variable(`v${id}`, { created_by: id }));
    history.push(node(id, "neg", [id === 1 ? "x" : `v${id - 1}`], [`v${id}`]));
  }
  return buildGraph(state(variables, history));
}

describe("groupingOf", () => {
  it("puts a gate of a module in every module around it, outermost first", () => {
    const graph = buildGraph(
      state([variable("x", { requires_grad: false }), variable("y", { created_by: 1 })], [inModule(node(1, "relu", ["x"], ["y"]), "encoder.layer1.act")]),
    );
    const grouping = groupingOf(graph);
    expect(grouping.by).toBe("module");
    expect(grouping.paths.get("gate:1")).toEqual(["encoder", "encoder.layer1", "encoder.layer1.act"]);
    expect(grouping.paths.get("var:y")).toEqual(["encoder", "encoder.layer1", "encoder.layer1.act"]);
  });

  it("puts a parameter read only inside one module in it, and leaves inputs and shared parameters outside", () => {
    const history = [
      inModule(node(1, "matmul", ["x", "fc1_weight"], ["h"]), "fc1"),
      inModule(node(2, "matmul", ["h", "shared"], ["h2"]), "fc2"),
      inModule(node(3, "add", ["h2", "shared"], ["y"]), "fc3"),
    ];
    const variables = [
      variable("x", { requires_grad: false }),
      variable("fc1_weight"),
      variable("shared"),
      variable("h", { created_by: 1 }),
      variable("h2", { created_by: 2 }),
      variable("y", { created_by: 3 }),
    ];
    const { paths } = groupingOf(buildGraph(state(variables, history)));
    expect(paths.get("var:fc1_weight")).toEqual(["fc1"]);
    expect(paths.has("var:x")).toBe(false);
    expect(paths.has("var:shared")).toBe(false);
  });

  it("puts a number typed into a gate in the gate's module", () => {
    const graph = buildGraph(state([variable("x"), variable("y", { created_by: 1 })], [inModule(node(1, "mul", ["x", 3], ["y"]), "scale")]));
    expect(groupingOf(graph).paths.get("const:1:1")).toEqual(["scale"]);
  });

  it("leaves a small graph without modules ungrouped", () => {
    const graph = chain(10);
    expect(groupingOf(graph)).toEqual({ by: "none", paths: new Map() });
  });

  it("groups a big graph without modules by runs of the history, at most four at the top", () => {
    const graph = chain(500);
    expect(graph.nodes.length).toBeGreaterThan(FOLD_ABOVE);
    const { by, paths } = groupingOf(graph);
    expect(by).toBe("history");
    expect(paths.get("gate:1")).toEqual(["#1–#256", "#1–#64", "#1–#16"]);
    expect(paths.get("var:v300")).toEqual(["#257–#512", "#257–#320", "#289–#304"]);
    const tops = new Set([...paths.values()].map((path) => path[0]));
    expect(tops.size).toBeLessThanOrEqual(4);
  });

  it("keeps the names of the history's runs as the graph grows", () => {
    const small = groupingOf(chain(200)).paths.get("gate:70");
    const large = groupingOf(chain(1200)).paths.get("gate:70");
    expect(small?.at(-1)).toBe("#65–#80");
    expect(large?.slice(-(small?.length ?? 0))).toEqual(small);
  });
});
