import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import { buildGraph, constantId, GATE_HEIGHT, gateId, VARIABLE_SIZE, variableId } from "./buildGraph";
import { SPACING } from "./elkGraph";
import { completeLayout, quickLayout } from "./quickLayout";
import type { FlowGraph, Positions } from "./types";

/** A chain x -> gate 1 -> y1 -> gate 2 -> y2 ... of `length` gates, as the page draws it. */
function chain(length: number): FlowGraph {
  const names = ["x", ...Array.from({ length }, (_, i) => `y${i + 1}`)];
  const gates = names.slice(1).map((name, i) => node(i + 1, "mul", [names[i] ?? "x", 1.01], [name]));
  return buildGraph(workspaceState(names.map((name) => variable(name)), gates));
}

describe("quickLayout", () => {
  it("places every node", () => {
    const graph = chain(3);
    expect(Object.keys(quickLayout(graph)).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
  });

  it("puts each node to the right of its inputs, with ELK's gap between layers", () => {
    const graph = buildGraph(
      workspaceState(["x", "y", "z"].map((name) => variable(name)), [node(1, "mul", ["x", "y"], ["z"])]),
    );
    const at = quickLayout(graph);
    const x = at[variableId("x")];
    const gate = at[gateId(1)];
    const z = at[variableId("z")];
    expect(at[variableId("y")]?.x).toBe(x?.x);
    expect(gate?.x).toBe((x?.x ?? 0) + VARIABLE_SIZE.width + SPACING.layer);
    expect(z?.x).toBeGreaterThan(gate?.x ?? Infinity);
  });

  it("lays a layer out top to bottom in the graph's order, centred on the tallest layer", () => {
    const graph = buildGraph(
      workspaceState(["a", "b", "c"].map((name) => variable(name)), [node(1, "add", ["a", "b"], ["c"])]),
    );
    const at = quickLayout(graph);
    const [a, b, gate] = [at[variableId("a")], at[variableId("b")], at[gateId(1)]];
    expect(b?.y).toBe((a?.y ?? 0) + VARIABLE_SIZE.height + SPACING.node);
    // The gate's middle is level with the middle of the a-b column.
    expect((gate?.y ?? 0) + GATE_HEIGHT / 2).toBe(((a?.y ?? 0) + (b?.y ?? 0) + VARIABLE_SIZE.height) / 2);
  });

  it("layers a node by its longest path, not its shortest", () => {
    // d takes both x (layer 0) and y2 (layer 4), so it sits after y2.
    const graph = buildGraph(
      workspaceState(
        ["x", "y1", "y2", "d"].map((name) => variable(name)),
        [node(1, "mul", ["x", 1.01], ["y1"]), node(2, "mul", ["y1", 1.01], ["y2"]), node(3, "add", ["x", "y2"], ["d"])],
      ),
    );
    const at = quickLayout(graph);
    expect(at[gateId(3)]?.x).toBeGreaterThan(at[variableId("y2")]?.x ?? Infinity);
  });

  it("keeps nodes that are not topologically ordered in the graph in their layers", () => {
    // buildGraph lists variables before gates, so y1 comes before the gate that makes it.
    const at = quickLayout(chain(2));
    expect(at[variableId("y1")]?.x).toBeGreaterThan(at[gateId(1)]?.x ?? Infinity);
  });

  it("puts a constant in the layer just before its gate, not with the leaves", () => {
    // y2 = (x * 1.01) * 1.01: the second 1.01 sits beside y1, level with the gate's input.
    const at = quickLayout(chain(2));
    expect(at[constantId(1, 1)]?.x).toBe(at[variableId("x")]?.x);
    expect(at[constantId(2, 1)]?.x).toBe(at[variableId("y1")]?.x);
    expect(at[constantId(2, 1)]?.x).toBeLessThan(at[gateId(2)]?.x ?? -Infinity);
  });

  it("lays a thousand nodes out in a few milliseconds", () => {
    const graph = chain(500);
    quickLayout(graph); // warm the JIT up
    const started = performance.now();
    quickLayout(graph);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe("completeLayout", () => {
  /** Every position of `positions` moved by (dx, dy): a stand-in for ELK placing things elsewhere. */
  const shifted = (positions: Positions, dx: number, dy: number): Positions =>
    Object.fromEntries(Object.entries(positions).map(([id, p]) => [id, { x: p.x + dx, y: p.y + dy }]));

  it("returns the laid-out positions themselves when every node has one", () => {
    const graph = chain(2);
    const laidOut = shifted(quickLayout(graph), 5, 5);
    expect(completeLayout(graph, laidOut)).toBe(laidOut);
  });

  it("places every node when nothing is laid out yet", () => {
    const graph = chain(2);
    expect(completeLayout(graph, {})).toEqual(quickLayout(graph));
  });

  it("places a node added since the layout beside its input as the layout placed it", () => {
    const laidOut = shifted(quickLayout(chain(2)), 1000, 500);
    const longer = chain(3);
    const at = completeLayout(longer, laidOut);
    const quick = quickLayout(longer);
    const y2 = variableId("y2");
    expect(at[y2]).toEqual(laidOut[y2]);
    // Each new node keeps its quick-layout offset from y2, the input it hangs off.
    for (const id of [gateId(3), variableId("y3"), constantId(3, 1)]) {
      expect(at[id]).toEqual({
        x: (quick[id]?.x ?? 0) - (quick[y2]?.x ?? 0) + (laidOut[y2]?.x ?? 0),
        y: (quick[id]?.y ?? 0) - (quick[y2]?.y ?? 0) + (laidOut[y2]?.y ?? 0),
      });
    }
  });

  it("places a new constant beside its gate as the layout placed the gate", () => {
    const x = variable("x");
    const before = buildGraph(workspaceState([x, variable("y")], [node(1, "mul", ["x", 3], ["y"])]));
    const after = buildGraph(workspaceState([x, variable("y"), variable("z")], [node(1, "mul", ["x", 3], ["y"]), node(2, "add", ["y", 1], ["z"])]));
    const laidOut = shifted(quickLayout(before), 200, 100);
    const at = completeLayout(after, laidOut);
    const quick = quickLayout(after);
    const [gate, one] = [gateId(2), constantId(2, 1)];
    expect((at[one]?.x ?? 0) - (at[gate]?.x ?? 0)).toBe((quick[one]?.x ?? 0) - (quick[gate]?.x ?? 0));
    expect((at[one]?.y ?? 0) - (at[gate]?.y ?? 0)).toBe((quick[one]?.y ?? 0) - (quick[gate]?.y ?? 0));
  });

  it("places a new variable without inputs under the one above it", () => {
    const before = buildGraph(workspaceState([variable("a"), variable("b")], []));
    const laidOut = shifted(quickLayout(before), 0, 300);
    const after = buildGraph(workspaceState([variable("a"), variable("b"), variable("c")], []));
    const at = completeLayout(after, laidOut);
    expect(at[variableId("c")]).toEqual({
      x: laidOut[variableId("b")]?.x,
      y: (laidOut[variableId("b")]?.y ?? 0) + VARIABLE_SIZE.height + SPACING.node,
    });
  });
});
