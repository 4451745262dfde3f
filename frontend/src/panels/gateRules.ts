/**
 * Every gate's backward rule as the player explains it: in words for tensors ("g @ bᵀ"), and as
 * a local derivative with its number for the gates that take scalars. `g` is the gradient flowing
 * into the gate's output. One entry per gate of the catalog (GET /api/gates); a test walks the
 * engine's catalog and fails on a gate missing here.
 */
import { formatScalar } from "../format";

/** The local derivative of an output with respect to one input: how it is written, and its value. */
export interface Local {
  formula: string;
  value: number;
}

/** What a rule reads: which input it explains, every input's label and, for scalars, values and params. */
export interface RuleInputs {
  at: number;
  names: string[];
  values: number[];
  params: Readonly<Record<string, unknown>>;
}

/** One gate's backward rule. */
export interface GateRule {
  /** What input `at` receives, in words, from the output's gradient g. */
  words(at: number, names: string[]): string;
  /** ∂output/∂input for scalar inputs; absent for gates that never take scalars. */
  local?(inputs: RuleInputs): Local | null;
}

const BROADCAST = ", summed over any axes it was broadcast along";
const ONE: Local = { formula: "1", value: 1 };

/** A rule that is the same for every input and needs no input name. */
function same(words: string, local?: GateRule["local"]): GateRule {
  return local === undefined ? { words: () => words } : { words: () => words, local };
}

/** A rule worded per input, in input order; inputs past the list take the last wording. */
function perInput(...wordings: ((names: string[]) => string)[]): GateRule["words"] {
  return (at, names) => (wordings[Math.min(at, wordings.length - 1)] as (names: string[]) => string)(names);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** GELU's derivative, exact (Φ(x) + x φ(x)) or of its tanh approximation, as the gate computes it. */
function geluSlope(x: number, approximate: unknown): number {
  if (approximate === "none") {
    const phi = Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);
    return normalCdf(x) + x * phi;
  }
  const k = Math.sqrt(2 / Math.PI);
  const inner = k * (x + 0.044715 * x ** 3);
  const t = Math.tanh(inner);
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
}

/** Φ(x) by the Abramowitz-Stegun erf (error below 1.5e-7, far under the 4 digits shown). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return 0.5 * (1 + (x >= 0 ? erf : -erf));
}

function numberParam(params: Readonly<Record<string, unknown>>, name: string, fallback: number | null): number | null {
  const value = params[name];
  return typeof value === "number" ? value : fallback;
}

/** The shape gates pass g back unchanged in value, only reshaped: their local derivative is 1. */
const reshaped = same("g reshaped back to the input's shape", () => ONE);
const joined = same("the part of g where this input sits along the axis");
const split = same("each piece's g put back where the piece was cut from (zeros for a piece that got none)");

/** The rule of every gate, by name. */
export const GATE_RULES: Readonly<Record<string, GateRule>> = {
  add: same(`g${BROADCAST}`, () => ONE),
  sub: {
    words: perInput(() => `g${BROADCAST}`, () => `-g${BROADCAST}`),
    local: ({ at }) => (at === 0 ? ONE : { formula: "-1", value: -1 }),
  },
  mul: {
    words: perInput(([, b]) => `g × ${b}${BROADCAST}`, ([a]) => `g × ${a}${BROADCAST}`),
    local: ({ at, names: [a, b], values: [x = 0, y = 0] }) =>
      at === 0 ? { formula: b ?? "", value: y } : { formula: a ?? "", value: x },
  },
  div: {
    words: perInput(([, b]) => `g / ${b}${BROADCAST}`, ([a, b]) => `-g × ${a} / ${b}²${BROADCAST}`),
    local: ({ at, names: [a, b], values: [x = 0, y = 0] }) =>
      at === 0 ? { formula: `1/${b}`, value: 1 / y } : { formula: `-${a}/${b}²`, value: -x / (y * y) },
  },
  pow: {
    words: perInput(([a, b]) => `g × ${b} × ${a}^(${b} - 1)`, ([a, b]) => `g × ${a}^${b} × ln ${a}`),
    local: ({ at, names: [a, b], values: [x = 0, y = 0] }) =>
      at === 0
        ? { formula: `${b} × ${a}^${formatScalar(y - 1)}`, value: y * x ** (y - 1) }
        : { formula: `${a}^${b} × ln ${a}`, value: x ** y * Math.log(x) },
  },
  neg: same("-g", () => ({ formula: "-1", value: -1 })),
  exp: { words: perInput(([a]) => `g × exp(${a})`), local: ({ names: [a], values: [x = 0] }) => ({ formula: `exp(${a})`, value: Math.exp(x) }) },
  log: { words: perInput(([a]) => `g / ${a}`), local: ({ names: [a], values: [x = 0] }) => ({ formula: `1/${a}`, value: 1 / x }) },
  sqrt: {
    words: perInput(([a]) => `g / (2√${a})`),
    local: ({ names: [a], values: [x = 0] }) => ({ formula: `1/(2√${a})`, value: 1 / (2 * Math.sqrt(x)) }),
  },
  abs: { words: perInput(([a]) => `g × sign(${a})`), local: ({ names: [a], values: [x = 0] }) => ({ formula: `sign(${a})`, value: Math.sign(x) }) },
  clamp: {
    words: perInput(([a]) => `g where min ≤ ${a} ≤ max, 0 elsewhere`),
    local: ({ names: [a], values: [x = 0], params }) => {
      const low = numberParam(params, "min", null);
      const high = numberParam(params, "max", null);
      const inside = (low === null || x >= low) && (high === null || x <= high);
      return { formula: `1 if min ≤ ${a} ≤ max, else 0`, value: inside ? 1 : 0 };
    },
  },
  matmul: {
    words: perInput(([, b]) => `g @ ${b}ᵀ (each row of g times the rows of ${b})`, ([a]) => `${a}ᵀ @ g (the columns of ${a} times g)`),
  },
  reshape: reshaped,
  flatten: reshaped,
  squeeze: reshaped,
  unsqueeze: reshaped,
  transpose: same("g with its axes permuted back", () => ONE),
  concat: joined,
  stack: joined,
  split,
  chunk: split,
  unstack: split,
  sum: same("g copied to every element that was summed", () => ONE),
  mean: same("g / n to each of the n elements averaged", () => ONE),
  max: same("g to the element that was the maximum (the argmax), 0 to the others", () => ONE),
  relu: {
    words: perInput(([a]) => `g where ${a} > 0, 0 elsewhere`),
    local: ({ names: [a], values: [x = 0] }) => ({ formula: `1 if ${a} > 0, else 0`, value: x > 0 ? 1 : 0 }),
  },
  leaky_relu: {
    words: perInput(([a]) => `g where ${a} > 0, slope × g elsewhere`),
    local: ({ names: [a], values: [x = 0], params }) => {
      const slope = numberParam(params, "slope", 0.01) ?? 0.01;
      return { formula: `1 if ${a} > 0, else the slope ${formatScalar(slope)}`, value: x > 0 ? 1 : slope };
    },
  },
  sigmoid: {
    words: perInput(([a]) => `g × σ(${a})(1 - σ(${a}))`),
    local: ({ names: [a], values: [x = 0] }) => ({ formula: `σ(${a})(1 - σ(${a}))`, value: sigmoid(x) * (1 - sigmoid(x)) }),
  },
  tanh: {
    words: perInput(([a]) => `g × (1 - tanh(${a})²)`),
    local: ({ names: [a], values: [x = 0] }) => ({ formula: `1 - tanh(${a})²`, value: 1 - Math.tanh(x) ** 2 }),
  },
  gelu: {
    words: perInput(([a]) => `g × (Φ(${a}) + ${a} φ(${a})), Φ and φ the normal's distribution and density`),
    local: ({ names: [a], values: [x = 0], params }) => ({
      formula: `Φ(${a}) + ${a} φ(${a})`,
      value: geluSlope(x, params.approximate),
    }),
  },
  softmax: same("s × (g - Σ g·s) along the axis, s the softmax: each output depends on every input"),
  log_softmax: same("g - softmax × Σ g along the axis: each output depends on every input"),
  getitem: same("g put at the elements the index picked, 0 elsewhere (added again where an index repeats)"),
  conv2d: {
    words: perInput(
      ([, w]) => `g × ${w} over each window it covered, summed over the filters (a transposed convolution)`,
      ([x]) => `each window of ${x} times g, summed over the batch and the positions`,
      () => "g summed over the batch and the positions",
    ),
  },
  maxpool2d: same("g to each window's maximum element, 0 to the rest"),
  linear: {
    words: perInput(
      ([, w]) => `g @ ${w}`,
      ([x]) => `gᵀ @ ${x}, summed over the batch`,
      () => "g summed over the batch",
    ),
  },
  embedding: {
    words: perInput(
      () => "nothing: whole-number indices carry no gradient",
      () => "g added to each row the indices picked (twice for an index picked twice)",
    ),
  },
  layer_norm: {
    words: perInput(
      () => "g × weight through the normalization: (ĝ - mean(ĝ) - x̂ × mean(ĝ x̂)) / σ, with ĝ = g × weight",
      () => "g × x̂ (the normalized input), summed over the batch",
      () => "g summed over the batch",
    ),
  },
  gru_cell: same("g through the new hidden state (1 - z) n + z h, back along the reset, update and new gates"),
  dropout: same("g × mask / (1 - p): 0 where an element was dropped (g itself when not training)"),
  mse_loss: {
    words: perInput(([p, t]) => `g × 2 (${p} - ${t}) / n`, ([p, t]) => `-g × 2 (${p} - ${t}) / n`),
    local: ({ at, names: [p, t], values: [x = 0, y = 0] }) =>
      at === 0 ? { formula: `2 (${p} - ${t})`, value: 2 * (x - y) } : { formula: `-2 (${p} - ${t})`, value: -2 * (x - y) },
  },
  sigmoid_cross_entropy: {
    words: perInput(([x, t]) => `g × (σ(${x}) - ${t}) / batch`, ([x]) => `-g × ${x} / batch`),
  },
  softmax_cross_entropy: {
    words: perInput(([x, t]) => `g × (softmax(${x}) - ${t}) / batch`, ([x]) => `-g × log_softmax(${x}) / batch`),
  },
  sparse_softmax_cross_entropy: {
    words: perInput(([x, t]) => `g × (softmax(${x}) - one_hot(${t})) / batch`, () => "nothing: class indices carry no gradient"),
  },
};
