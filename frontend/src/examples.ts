/** The built-in examples the start page offers: variables to create and a program to run. */
import { onWorkspace } from "./api/client";
import { answer, rest } from "./api/rest";
import type { CreatedWorkspace, NewVariable } from "./api/types";

/** One example: its title, a sentence about it, its starting variables and its program. */
export interface Example {
  title: string;
  description: string;
  variables: NewVariable[];
  program: string;
}

const randn = (name: string, shape: number[], seed: number, requires_grad: boolean): NewVariable => ({
  name,
  init: { kind: "randn", shape, seed },
  requires_grad,
});

/** The examples, in the order the start page lists them. */
export const EXAMPLES: readonly Example[] = [
  {
    title: "micrograd expression",
    description: "Karpathy's micrograd test: a.grad = 138.8338, b.grad = 645.5773 after backprop from g.",
    variables: [
      { name: "a", value: -4, requires_grad: true },
      { name: "b", value: 2, requires_grad: true },
    ],
    program: [
      "c = a + b",
      "d = a * b + b**3",
      "c = c + c + 1",
      "c = c + 1 + c + (-a)",
      "d = d + d * 2 + (b + a).relu()",
      "d = d + 3 * d + (b - a).relu()",
      "e = c - d",
      "f = e**2",
      "g = f / 2.0",
      "g = g + 10.0 / f",
    ].join("\n"),
  },
  {
    title: "2-layer MLP",
    description: "Eight points through a tanh hidden layer of eight units, with a mean-squared-error loss.",
    variables: [
      randn("X", [8, 2], 0, false),
      randn("W1", [2, 8], 1, true),
      randn("b1", [1, 8], 2, true),
      randn("W2", [8, 1], 3, true),
      randn("b2", [1, 1], 4, true),
      randn("y", [8, 1], 5, false),
    ],
    program: ["h = tanh(X @ W1 + b1)", "out = h @ W2 + b2", "loss = mse_loss(out, y)"].join("\n"),
  },
  {
    title: "conv layer",
    description: "A 6×6 image through two 3×3 filters with padding 1, and the mean square of the result.",
    variables: [
      randn("x", [1, 1, 6, 6], 0, false),
      randn("w", [2, 1, 3, 3], 1, true),
      { name: "bias", init: { kind: "zeros", shape: [2] }, requires_grad: true },
    ],
    program: ["y = conv2d(x, w, bias, padding=1)", "loss = mean(y * y)"].join("\n"),
  },
];

/** Creates a workspace and builds `example` in it: its variables, then its program. */
export async function buildExample(example: Example): Promise<CreatedWorkspace> {
  const created = await answer(rest.POST("/api/workspaces"));
  const ws = { id: created.id, token: created.token };
  for (const variable of example.variables) await answer(rest.POST("/api/workspaces/{workspace_id}/variables", { ...onWorkspace(ws), body: variable }));
  await answer(rest.POST("/api/workspaces/{workspace_id}/eval", { ...onWorkspace(ws), body: { source: example.program } }));
  return created;
}
