import { describe, expect, it } from "vitest";
import type { PlayedStep } from "../state/animation";
import { node, variable, workspaceState } from "../testing/workspace";
import { scalarsOf, stepRule } from "./stepRule";

const values: Record<string, number> = { a: 2, b: 3, t: 0.5 };
const scalarOf = (name: string) => values[name] ?? null;

/** The rule of a step whose output `c` received `upstream` and sent `grads`. */
function rule(gate: string, inputs: (string | number)[], grads: PlayedStep["grads"], upstream: PlayedStep["upstream"][string] = 1) {
  const step: PlayedStep = { node: 1, gate, grads, upstream: { c: upstream }, accumulated: grads, offPath: false };
  return stepRule(node(1, gate, inputs, ["c"]), step, scalarOf);
}

describe("stepRule", () => {
  it("writes the product rule with the other factor's name and value", () => {
    expect(rule("mul", ["a", "b"], { a: 3, b: 2 })).toEqual([
      "∂c/∂a = b = 3, so a.grad += 1 × 3 = 3",
      "∂c/∂b = a = 2, so b.grad += 1 × 2 = 2",
    ]);
  });

  it("passes the upstream gradient through sums and flips it for the subtrahend", () => {
    expect(rule("add", ["a", 1], { a: 2 }, 2)).toEqual(["∂c/∂a = 1, so a.grad += 2 × 1 = 2"]);
    expect(rule("sub", ["a", "b"], { a: 1, b: -1 })).toEqual([
      "∂c/∂a = 1, so a.grad += 1 × 1 = 1",
      "∂c/∂b = -1, so b.grad += 1 × -1 = -1",
    ]);
    expect(rule("sum", ["a"], { a: 1 })).toEqual(["∂c/∂a = 1, so a.grad += 1 × 1 = 1"]);
  });

  it("differentiates a quotient by its numerator and its denominator", () => {
    expect(rule("div", ["a", "b"], { a: 1 / 3, b: -2 / 9 })).toEqual([
      "∂c/∂a = 1/b = 0.3333, so a.grad += 1 × 0.3333 = 0.3333",
      "∂c/∂b = -a/b² = -0.2222, so b.grad += 1 × -0.2222 = -0.2222",
    ]);
  });

  it("writes tanh, exp and a constant power from the input's value", () => {
    // 1 - tanh(0.5)² = 0.7864477; exp(2) = 7.389056; 3 × 2² = 12.
    expect(rule("tanh", ["t"], { t: 0.7864477 })).toEqual(["∂c/∂t = 1 - tanh(t)² = 0.7864, so t.grad += 1 × 0.7864 = 0.7864"]);
    expect(rule("exp", ["a"], { a: 14.778 }, 2)).toEqual(["∂c/∂a = exp(a) = 7.389, so a.grad += 2 × 7.389 = 14.78"]);
    expect(rule("pow", ["a", 3], { a: 12 })).toEqual(["∂c/∂a = 3 × a^2 = 12, so a.grad += 1 × 12 = 12"]);
  });

  it("writes relu's rule in words, for a live and a dead unit", () => {
    expect(rule("relu", ["a"], { a: 2 }, 2)).toEqual(["∂c/∂a = 1 if a > 0, else 0 = 1, so a.grad += 2 × 1 = 2"]);
    values.n = -1;
    expect(rule("relu", ["n"], { n: 0 }, 2)).toEqual(["∂c/∂n = 1 if n > 0, else 0 = 0, so n.grad += 2 × 0 = 0"]);
  });

  it("writes log, sqrt, sigmoid and abs from the input's value", () => {
    expect(rule("log", ["a"], { a: 0.5 })).toEqual(["∂c/∂a = 1/a = 0.5, so a.grad += 1 × 0.5 = 0.5"]);
    expect(rule("sqrt", ["a"], { a: 0.3536 })).toEqual(["∂c/∂a = 1/(2√a) = 0.3536, so a.grad += 1 × 0.3536 = 0.3536"]);
    expect(rule("sigmoid", ["a"], { a: 0.105 })).toEqual(["∂c/∂a = σ(a)(1 - σ(a)) = 0.105, so a.grad += 1 × 0.105 = 0.105"]);
    expect(rule("abs", ["a"], { a: 1 })).toEqual(["∂c/∂a = sign(a) = 1, so a.grad += 1 × 1 = 1"]);
  });

  it("gives an input used twice one term per use", () => {
    expect(rule("add", ["a", "a"], { a: 1 }, 0.5)).toEqual([
      "∂c/∂a = 1 + 1 = 2 (a is used 2 times: one term per use), so a.grad += 0.5 × 2 = 1",
    ]);
    expect(rule("mul", ["a", "a"], { a: 4 })).toEqual([
      "∂c/∂a = 2 + 2 = 4 (a is used 2 times: one term per use), so a.grad += 1 × 4 = 4",
    ]);
  });

  it("writes max, mse and a variable exponent's rule from the inputs' values", () => {
    expect(rule("max", ["a"], { a: 1 })).toEqual(["∂c/∂a = 1, so a.grad += 1 × 1 = 1"]);
    // ∂(a^b)/∂a = b × a^(b-1) = 3 × 2² = 12; ∂(a^b)/∂b = a^b × ln a = 8 ln 2 = 5.545.
    expect(rule("pow", ["a", "b"], { a: 12, b: 5.545 })).toEqual([
      "∂c/∂a = b × a^2 = 12, so a.grad += 1 × 12 = 12",
      "∂c/∂b = a^b × ln a = 5.545, so b.grad += 1 × 5.545 = 5.545",
    ]);
    expect(rule("mse_loss", ["a", "b"], { a: -2, b: 2 })).toEqual([
      "∂c/∂a = 2 (a - b) = -2, so a.grad += 1 × -2 = -2",
      "∂c/∂b = -2 (a - b) = 2, so b.grad += 1 × 2 = 2",
    ]);
  });

  it("writes a tensor step's rule in words with what each parent receives", () => {
    expect(rule("add", ["a", "m"], { a: 2, m: [1, 1] }, [1, 1])).toEqual([
      "g, the gradient flowing into c: [1, 1]",
      "a.grad += g, summed over any axes it was broadcast along: 2",
      "m.grad += g, summed over any axes it was broadcast along: [1, 1]",
    ]);
    expect(rule("matmul", ["m", "w"], { m: [[1, 2]], w: [[3], [4]] }, [[1]])).toEqual([
      "g, the gradient flowing into c: [[1]]",
      "m.grad += g @ wᵀ (each row of g times the rows of w): [[1, 2]]",
      "w.grad += mᵀ @ g (the columns of m times g): [[3], [4]]",
    ]);
  });

  it("spells out both contributions of a tensor used twice", () => {
    expect(rule("add", ["m", "m"], { m: [2, 2] }, [1, 1])).toEqual([
      "g, the gradient flowing into c: [1, 1]",
      "m.grad += 2 × (g, summed over any axes it was broadcast along): [2, 2] (m is used 2 times: one contribution per use)",
    ]);
    expect(rule("matmul", ["m", "m"], { m: [[2]] }, [[1]])).toEqual([
      "g, the gradient flowing into c: [[1]]",
      "m.grad += (g @ mᵀ (each row of g times the rows of m)) + (mᵀ @ g (the columns of m times g)): [[2]] (m is used 2 times: one contribution per use)",
    ]);
  });

  it("says only what arrives for a gate it has no rule for", () => {
    expect(rule("frobnicate", ["a"], { a: 1 })).toEqual(["a.grad += 1"]);
  });
});

describe("scalarsOf", () => {
  it("reads the scalar values of the workspace's variables, and nothing for tensors", () => {
    const scalars = scalarsOf(
      workspaceState([variable("a", { value: { values: 2 } }), variable("m", { shape: [2], value: { values: [1, 2] } })], []),
    );
    expect([scalars("a"), scalars("m"), scalars("z")]).toEqual([2, null, null]);
  });
});
