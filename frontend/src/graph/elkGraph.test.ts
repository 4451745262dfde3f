import { describe, expect, it } from "vitest";
import { node, variable, workspaceState } from "../testing/workspace";
import { buildGraph } from "./buildGraph";
import { layoutKey, positionsFrom, toElkGraph } from "./elkGraph";

const mulState = workspaceState(["x", "y", "z"].map((name) => variable(name)), [node(1, "mul", ["x", "y"], ["z"])], []);

describe("toElkGraph", () => {
  const elk = toElkGraph(buildGraph(mulState));

  it("asks for a left-to-right layered layout", () => {
    expect(elk.layoutOptions).toMatchObject({ "elk.algorithm": "layered", "elk.direction": "RIGHT" });
  });

  it("gives ELK every node with its size", () => {
    expect(elk.children?.map((c) => c.id)).toEqual(["var:x", "var:y", "var:z", "gate:1"]);
    expect(elk.children?.every((c) => (c.width ?? 0) > 0 && (c.height ?? 0) > 0)).toBe(true);
  });

  it("pins gate inputs as ports on the left in input order, outputs on the right", () => {
    const gate = elk.children?.find((c) => c.id === "gate:1");
    const ports = gate?.ports ?? [];
    expect(ports.map((p) => p.id)).toEqual(["gate:1/in-0", "gate:1/in-1", "gate:1/out-0"]);
    const [first, second, out] = ports;
    expect(first?.x).toBe(0);
    expect(first?.y ?? 0).toBeLessThan(second?.y ?? 0);
    expect(out?.x).toBe(gate?.width);
  });

  it("connects edges to gate ports and to variable nodes", () => {
    expect(elk.edges?.map((e) => [e.sources[0], e.targets[0]])).toEqual([
      ["var:x", "gate:1/in-0"],
      ["var:y", "gate:1/in-1"],
      ["gate:1/out-0", "var:z"],
    ]);
  });
  it("gives ELK a typed number as a plain node feeding its gate's port", () => {
    const times3 = toElkGraph(buildGraph(workspaceState([variable("x"), variable("y")], [node(2, "mul", ["x", 3], ["y"])], [])));
    const constant = times3.children?.find((c) => c.id === "const:2:1");
    expect(constant).toEqual({ id: "const:2:1", width: expect.any(Number), height: expect.any(Number) });
    expect(times3.edges?.map((e) => [e.sources[0], e.targets[0]])).toContainEqual(["const:2:1", "gate:2/in-1"]);
  });
});

describe("positionsFrom", () => {
  it("reads each child's top-left corner", () => {
    const laidOut = { id: "root", children: [{ id: "a", x: 10, y: 20 }, { id: "b" }] };
    expect(positionsFrom(laidOut)).toEqual({ a: { x: 10, y: 20 }, b: { x: 0, y: 0 } });
  });
});

describe("layoutKey", () => {
  const key = layoutKey(buildGraph(mulState));

  it("stays the same when only values and gradients change", () => {
    const vars = ["x", "y", "z"].map((name) => variable(name, { value: { values: 3 }, grad: { values: 1 } }));
    expect(layoutKey(buildGraph(workspaceState(vars, [node(1, "mul", ["x", "y"], ["z"])], [])))).toBe(key);
  });

  it("changes with the nodes, their sizes, the gates' ports and the edges", () => {
    const vars = ["x", "y", "z"].map((name) => variable(name));
    const variants = [
      workspaceState([...vars, variable("w")], [node(1, "mul", ["x", "y"], ["z"])], []),
      workspaceState([variable("x", { shape: [2], value: { values: [1, 2] } }), ...vars.slice(1)], [node(1, "mul", ["x", "y"], ["z"])], []),
      workspaceState(vars, [node(1, "mul", ["x", 2], ["z"])], []),
      workspaceState(vars, [node(1, "mul", ["y", "x"], ["z"])], []),
    ];
    for (const variant of variants) expect(layoutKey(buildGraph(variant))).not.toBe(key);
  });
});
