import { describe, expect, it } from "vitest";
import { node, variable, workspaceState as state } from "../testing/workspace";
import { buildGraph, constantId, gateId, variableId } from "./buildGraph";

describe("buildGraph", () => {
  it("draws an empty workspace as an empty graph", () => {
    expect(buildGraph(state([], []))).toEqual({ nodes: [], edges: [] });
  });

  it("draws every variable as a card named for assistive technology", () => {
    const { nodes } = buildGraph(state([variable("x"), variable("c", { requires_grad: false })], []));
    expect(nodes.map((n) => [n.id, n.type, n.ariaRole, n.ariaLabel])).toEqual([
      ["var:x", "variable", "group", "variable x"],
      ["var:c", "variable", "group", "variable c"],
    ]);
  });

  it("names gate nodes by gate and id, without the word that names the Gate select", () => {
    const { nodes } = buildGraph(state([variable("x"), variable("y")], [node(7, "exp", ["x"], ["y"])]));
    const gate = nodes.find((n) => n.type === "gate");
    expect(gate?.ariaLabel).toBe("exp #7");
  });

  it("draws a gate between its inputs and its output", () => {
    const mul = node(1, "mul", ["x", "y"], ["z"]);
    const graph = buildGraph(state([variable("x"), variable("y"), variable("z", { created_by: 1 })], [mul]));
    expect(graph.nodes.map((n) => n.id)).toEqual(["var:x", "var:y", "var:z", "gate:1"]);
    expect(graph.edges.map((e) => [e.source, e.sourceHandle ?? null, e.target, e.targetHandle ?? null])).toEqual([
      ["var:x", null, "gate:1", "in-0"],
      ["var:y", null, "gate:1", "in-1"],
      ["gate:1", "out-0", "var:z", null],
    ]);
  });

  it("keeps one edge per input, so x * x shows two", () => {
    const square = node(1, "mul", ["x", "x"], ["y"]);
    const { edges } = buildGraph(state([variable("x"), variable("y")], [square]));
    const intoGate = edges.filter((e) => e.target === gateId(1));
    expect(intoGate).toHaveLength(2);
    expect(new Set(intoGate.map((e) => e.id)).size).toBe(2);
  });

  it("marks consumed nodes and their edges apart from nodes still on the tape", () => {
    const used = node(1, "add", ["x", "y"], ["s"], false);
    const live = node(2, "mul", ["s", "s"], ["t"], true);
    const vars = ["x", "y", "s", "t"].map((name) => variable(name));
    const graph = buildGraph(state(vars, [used, live]));
    const gates = graph.nodes.filter((n) => n.type === "gate");
    expect(gates.map((n) => n.type === "gate" && n.data.node.on_tape)).toEqual([false, true]);
    const classOf = (target: string) => graph.edges.find((e) => e.target === target)?.className;
    expect(classOf(gateId(1))).toBe("edge--consumed");
    expect(classOf(gateId(2))).toBe("edge--live");
  });

  it("includes tape nodes missing from history, once each", () => {
    const mul = node(3, "mul", ["x", "x"], ["y"]);
    const graph = buildGraph(state([variable("x"), variable("y")], [], [mul]));
    expect(graph.nodes.filter((n) => n.type === "gate").map((n) => n.id)).toEqual(["gate:3"]);
  });

  it("draws a number typed as an input as a constant feeding that input, so x * 3 shows 3 into mul", () => {
    const times3 = node(4, "mul", ["x", 3], ["y"]);
    const graph = buildGraph(state([variable("x"), variable("y", { created_by: 4 })], [times3]));
    const constant = graph.nodes.find((n) => n.type === "constant");
    expect(constant).toMatchObject({ id: constantId(4, 1), data: { value: 3, on_tape: true }, ariaRole: "group", ariaLabel: "constant 3" });
    expect(graph.nodes.map((n) => n.id)).toEqual(["var:x", "var:y", "const:4:1", "gate:4"]);
    expect(graph.edges.map((e) => [e.source, e.target, e.targetHandle, e.ariaLabel])).toContainEqual([
      "const:4:1",
      "gate:4",
      "in-1",
      "3 into mul #4",
    ]);
  });

  it("gives each typed number its own constant, even when the numbers are equal", () => {
    const add = node(1, "add", [1, "x", 1], ["y"]);
    const { nodes, edges } = buildGraph(state([variable("x"), variable("y")], [add]));
    expect(nodes.filter((n) => n.type === "constant").map((n) => n.id)).toEqual([constantId(1, 0), constantId(1, 2)]);
    expect(edges.filter((e) => e.target === gateId(1)).map((e) => e.source)).toEqual(["const:1:0", "var:x", "const:1:2"]);
  });

  it("writes a constant as the cards write numbers and sizes its pill to fit", () => {
    const { nodes } = buildGraph(state([variable("x"), variable("y")], [node(1, "add", ["x", 0.333333333], ["y"])]));
    const constant = nodes.find((n) => n.type === "constant");
    expect(constant?.ariaLabel).toBe("constant 0.3333");
    expect(constant?.width).toBeGreaterThan(8 * "0.3333".length);
    expect(constant?.height).toBeGreaterThan(0);
  });

  it("greys a constant out with its gate once backprop consumes the gate", () => {
    const before = buildGraph(state([variable("x"), variable("y")], [node(1, "mul", ["x", 3], ["y"])]));
    const after = buildGraph(state([variable("x"), variable("y")], [node(1, "mul", ["x", 3], ["y"], false)]), before);
    const constantOf = (graph: typeof before) => graph.nodes.find((n) => n.type === "constant");
    expect(constantOf(after)).not.toBe(constantOf(before));
    expect(constantOf(after)?.data).toEqual({ value: 3, on_tape: false });
    expect(after.edges.find((e) => e.source === constantId(1, 1))?.className).toBe("edge--consumed");
  });

  it("skips edges to names that are not variables", () => {
    const add = node(1, "add", ["x", "gone"], ["y"]);
    const { edges } = buildGraph(state([variable("x"), variable("y")], [add]));
    expect(edges.map((e) => e.source)).toEqual([variableId("x"), gateId(1)]);
  });

  it("gives every node the size the layout needs", () => {
    const mul = node(1, "softmax_cross_entropy", ["x"], ["y"]);
    const { nodes } = buildGraph(state([variable("x"), variable("y")], [mul]));
    for (const n of nodes) {
      expect(n.width).toBeGreaterThan(0);
      expect(n.height).toBeGreaterThan(0);
    }
    const gate = nodes.find((n) => n.type === "gate");
    expect(gate?.width).toBeGreaterThan(8 * "softmax_cross_entropy".length);
  });

  describe("given the graph of an earlier state", () => {
    const vars = ["x", "y", "z"].map((name) => variable(name));
    const mul = node(1, "mul", ["x", "y"], ["z"]);
    const before = buildGraph(state(vars, [mul]));

    it("keeps an unchanged constant's node", () => {
      const times3 = node(2, "mul", ["z", 3], ["w"]);
      const first = buildGraph(state([...vars, variable("w")], [mul, times3]));
      const again = buildGraph(state([variable("x", { value: { values: 5 } }), ...vars.slice(1), variable("w")], [mul, structuredClone(times3)]), first);
      const constantOf = (graph: typeof first) => graph.nodes.find((n) => n.type === "constant");
      expect(constantOf(again)).toBe(constantOf(first));
    });

    it("returns the earlier graph itself when nothing changed", () => {
      const again = state(structuredClone(vars), [structuredClone(mul)]);
      expect(buildGraph(again, before)).toBe(before);
    });

    it("makes new objects only for what changed", () => {
      const changed = state([variable("x", { value: { values: 2 } }), ...vars.slice(1)], [mul]);
      const after = buildGraph(changed, before);
      const kept = after.nodes.filter((n, i) => n === before.nodes[i]).map((n) => n.id);
      expect(kept).toEqual(["var:y", "var:z", "gate:1"]);
      expect(after.edges).toBe(before.edges);
    });

    it("redraws a gate and its edges once backprop consumes it", () => {
      const after = buildGraph(state(vars, [node(1, "mul", ["x", "y"], ["z"], false)]), before);
      expect(after.nodes.slice(0, 3)).toEqual(before.nodes.slice(0, 3));
      expect(after.nodes[3]).not.toBe(before.nodes[3]);
      expect(after.edges.every((e, i) => e !== before.edges[i])).toBe(true);
    });
  });
});
