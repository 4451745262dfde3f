/**
 * The chain rule of one backprop step written out with its numbers, one line per parent:
 * "∂c/∂a = b = 3, so a.grad += 1 × 3 = 3"; an input used twice gets one term per use. Only
 * scalar steps of the gates below get the local derivative; any other step says what each
 * parent receives. Pure, so it can be tested.
 */
import type { GraphNode } from "../api/types";
import { formatScalar, formatValue } from "../format";
import type { PlayedStep } from "../state/animation";
import type { LiveState } from "../state/liveState";

/** A gate input: a variable's name or a literal constant. */
type Input = string | number;

/** The local derivative of an output with respect to one input: how it is written, and its value. */
interface Local {
  formula: string;
  value: number;
}

/** The value of a scalar variable by name; null when it is unknown or not a scalar. */
export type ScalarOf = (name: string) => number | null;

/** One line per parent the step sends a gradient to, in the order of the gate's inputs. */
export function stepRule(node: GraphNode, step: PlayedStep, scalarOf: ScalarOf): string[] {
  const output = node.outputs[0] ?? "";
  const upstream = step.upstream[output];
  const parents = [...new Set(node.inputs)].filter((input): input is string => typeof input === "string");
  return parents.flatMap((name) => {
    const grad = step.grads[name];
    if (grad === undefined) return [];
    // An input used twice (a * a, c + c) receives one contribution per use: each is written out.
    const uses = node.inputs.flatMap((input, at) => (input === name ? [at] : []));
    const locals = uses.map((at) => localDerivative(node, at, scalarOf));
    if (locals.some((local) => local === null) || typeof grad !== "number" || typeof upstream !== "number") {
      return [`${name}.grad += ${formatValue(grad)}`];
    }
    const [only] = locals as Local[];
    if (locals.length === 1 && only !== undefined) return [chainLine(output, name, only, upstream, grad)];
    return [sumLine(output, name, locals as Local[], upstream, grad)];
  });
}

/** "∂c/∂a = 1 + 1 = 2 (a is used twice: one term per use), so a.grad += 0.5 × 2 = 1". */
function sumLine(output: string, name: string, locals: Local[], upstream: number, grad: number): string {
  const total = locals.reduce((sum, local) => sum + local.value, 0);
  const terms = locals.map((local) => formatScalar(local.value)).join(" + ");
  const uses = `${name} is used ${locals.length} times: one term per use`;
  return `∂${output}/∂${name} = ${terms} = ${formatScalar(total)} (${uses}), so ${name}.grad += ${formatScalar(upstream)} × ${formatScalar(total)} = ${formatScalar(grad)}`;
}

/** "∂c/∂a = b = 3, so a.grad += 1 × 3 = 3", the formula left out when it is the number itself. */
function chainLine(output: string, name: string, local: Local, upstream: number, grad: number): string {
  const value = formatScalar(local.value);
  const derivative = local.formula === value ? value : `${local.formula} = ${value}`;
  return `∂${output}/∂${name} = ${derivative}, so ${name}.grad += ${formatScalar(upstream)} × ${value} = ${formatScalar(grad)}`;
}

/** ∂output/∂inputs[at] for the gates whose rule is written out; null for any other gate or unknown value. */
function localDerivative(node: GraphNode, at: number, scalarOf: ScalarOf): Local | null {
  const values = node.inputs.map((input) => (typeof input === "number" ? input : scalarOf(input)));
  if (values.some((value) => value === null)) return null;
  const [x = 0, y = 0] = values as number[];
  const [xName = "", yName = ""] = node.inputs.map(label);
  switch (node.gate) {
    case "add":
    case "sum":
      return { formula: "1", value: 1 };
    case "sub":
      return at === 0 ? { formula: "1", value: 1 } : { formula: "-1", value: -1 };
    case "neg":
      return { formula: "-1", value: -1 };
    case "mul":
      return at === 0 ? { formula: yName, value: y } : { formula: xName, value: x };
    case "div":
      return at === 0 ? { formula: `1/${yName}`, value: 1 / y } : { formula: `-${xName}/${yName}²`, value: -x / (y * y) };
    case "tanh":
      return { formula: `1 - tanh(${xName})²`, value: 1 - Math.tanh(x) ** 2 };
    case "exp":
      return { formula: `exp(${xName})`, value: Math.exp(x) };
    case "log":
      return { formula: `1/${xName}`, value: 1 / x };
    case "sqrt":
      return { formula: `1/(2√${xName})`, value: 1 / (2 * Math.sqrt(x)) };
    case "relu":
      return { formula: `1 if ${xName} > 0, else 0`, value: x > 0 ? 1 : 0 };
    case "sigmoid": {
      const s = 1 / (1 + Math.exp(-x));
      return { formula: `σ(${xName})(1 - σ(${xName}))`, value: s * (1 - s) };
    }
    case "abs":
      return { formula: `sign(${xName})`, value: Math.sign(x) };
    case "mean":
      return { formula: "1", value: 1 };
    case "pow":
      return typeof node.inputs[1] === "number" && at === 0
        ? { formula: `${yName} × ${xName}^${formatScalar(y - 1)}`, value: y * x ** (y - 1) }
        : null;
    default:
      return null;
  }
}

function label(input: Input): string {
  return typeof input === "number" ? formatScalar(input) : input;
}

/** The scalar values of the workspace's variables, for stepRule. */
export function scalarsOf(state: LiveState): ScalarOf {
  const values = new Map(state.variables.map((variable) => [variable.name, variable.value.values]));
  return (name) => {
    const value = values.get(name);
    return typeof value === "number" ? value : null;
  };
}
