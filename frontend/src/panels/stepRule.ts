/**
 * The chain rule of one backprop step written out with its numbers, one line per parent:
 * "∂c/∂a = b = 3, so a.grad += 1 × 3 = 3"; an input used twice gets one term per use. Scalar
 * steps get the local derivative with its numbers; tensor steps the rule in words and what each
 * parent receives (gateRules.ts holds both, per gate). Pure, so it can be tested.
 */
import type { GraphNode, NestedNumbers } from "../api/types";
import { formatScalar, formatValue } from "../format";
import type { PlayedStep } from "../state/animation";
import type { LiveState } from "../state/liveState";
import { GATE_RULES, type Local } from "./gateRules";

/** A gate input: a variable's name or a literal constant. */
type Input = string | number;

/** The value of a scalar variable by name; null when it is unknown or not a scalar. */
export type ScalarOf = (name: string) => number | null;

/** One line per parent the step sends a gradient to, in the order of the gate's inputs. */
export function stepRule(node: GraphNode, step: PlayedStep, scalarOf: ScalarOf): string[] {
  const output = node.outputs[0] ?? "";
  const upstream = step.upstream[output];
  const parents = [...new Set(node.inputs)].filter((input): input is string => typeof input === "string");
  const lines = parents.flatMap((name) => {
    const grad = step.grads[name];
    if (grad === undefined) return [];
    // An input used twice (a * a, c + c) receives one contribution per use: each is written out.
    const uses = node.inputs.flatMap((input, at) => (input === name ? [at] : []));
    const locals = uses.map((at) => localDerivative(node, at, scalarOf));
    if (locals.some((local) => local === null) || typeof grad !== "number" || typeof upstream !== "number") {
      return [wordsLine(node, name, uses, grad)];
    }
    const [only] = locals as Local[];
    if (locals.length === 1 && only !== undefined) return [chainLine(output, name, only, upstream, grad)];
    return [sumLine(output, name, locals as Local[], upstream, grad)];
  });
  // A rule in words speaks of g: the first line says what it is.
  const worded = node.gate in GATE_RULES && lines.some((line) => !line.startsWith("∂"));
  return worded && upstream !== undefined ? [`g, the gradient flowing into ${output}: ${formatValue(upstream)}`, ...lines] : lines;
}

/**
 * "W.grad += g @ xᵀ: [[…]]", the rule in words where no scalar derivative can be written; an
 * input used more than once is told its contributions are summed.
 */
function wordsLine(node: GraphNode, name: string, uses: number[], grad: NestedNumbers): string {
  const rule = GATE_RULES[node.gate];
  if (rule === undefined) return `${name}.grad += ${formatValue(grad)}`;
  const names = node.inputs.map(label);
  const wordings = uses.map((at) => rule.words(at, names));
  const [first = ""] = wordings;
  if (uses.length === 1) return `${name}.grad += ${first}: ${formatValue(grad)}`;
  const alike = new Set(wordings).size === 1;
  const terms = alike ? `${uses.length} × (${first})` : wordings.map((words) => `(${words})`).join(" + ");
  return `${name}.grad += ${terms}: ${formatValue(grad)} (${name} is used ${uses.length} times: one contribution per use)`;
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

/** ∂output/∂inputs[at] when every input is a known scalar and the gate has a scalar rule; else null. */
function localDerivative(node: GraphNode, at: number, scalarOf: ScalarOf): Local | null {
  const values = node.inputs.map((input) => (typeof input === "number" ? input : scalarOf(input)));
  if (values.some((value) => value === null)) return null;
  const local = GATE_RULES[node.gate]?.local;
  if (local === undefined) return null;
  return local({ at, names: node.inputs.map(label), values: values as number[], params: node.params ?? {} });
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
