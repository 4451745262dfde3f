import { describe, expect, it } from "vitest";
import { describeNode, groupByLayer, layerOf } from "./stepGraph";

const step = [
  { gate: "matmul", inputs: ["input", "W1"], outputs: ["xW1"] },
  { gate: "add", inputs: ["xW1", "b1"], outputs: ["z1"] },
  { gate: "relu", inputs: ["z1"], outputs: ["h1"] },
  { gate: "matmul", inputs: ["h1", "W2"], outputs: ["xW2"] },
  { gate: "add", inputs: ["xW2", "b2"], outputs: ["z2"] },
  { gate: "softmax_cross_entropy", inputs: ["z2", "labels"], outputs: ["loss"] },
];

describe("groupByLayer", () => {
  it("groups each layer's matmul, add and activation, then the loss", () => {
    const groups = groupByLayer(step);
    expect(groups.map((g) => g.title)).toEqual(["Layer 1", "Layer 2", "Loss"]);
    expect(groups[0]?.nodes.map((n) => n.gate)).toEqual(["matmul", "add", "relu"]);
    expect(groups[0]?.parameters).toEqual(["W1", "b1"]);
    expect(groups[2]?.parameters).toEqual([]);
  });

  it("puts the L2 penalty's unnamed nodes with the loss", () => {
    const l2 = [...step, { gate: "mul", inputs: ["W1", "W1"], outputs: [""] }, { gate: "add", inputs: ["loss", "const"], outputs: ["loss"] }];
    const groups = groupByLayer(l2);
    expect(groups.map((g) => g.title)).toEqual(["Layer 1", "Layer 2", "Loss"]);
    expect(groups[2]?.nodes).toHaveLength(3);
  });
});

describe("layerOf and describeNode", () => {
  it("read the layer from the output's name", () => {
    expect(layerOf(step[4]!)).toBe(2);
    expect(layerOf(step[5]!)).toBeNull();
  });

  it("write a node as a call", () => {
    expect(describeNode(step[0]!)).toBe("matmul(input, W1) → xW1");
    expect(describeNode({ gate: "sum", inputs: ["a"], outputs: [""] })).toBe("sum(a)");
  });
});
