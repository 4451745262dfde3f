/** Types of the Wengert REST contract, mirroring the backend's request and response models. */

/** A scalar or an arbitrarily nested list of numbers: a tensor once read from JSON. */
export type NestedNumbers = number | NestedNumbers[];

/** A number of a tensor as JSON, where NaN and infinities are spelled out. */
export type JsonNumber = number | "nan" | "inf" | "-inf";

/** A tensor as JSON carries it: a number or nested lists, NaN and infinities spelled out. */
export type JsonTensor = JsonNumber | JsonTensor[];

/** The floating-point types the engine stores values in. */
export type Dtype = "float64" | "float32";

/** One named value of a workspace, with its gradient once backprop has reached it. */
export interface Variable {
  name: string;
  shape: number[];
  dtype: Dtype;
  requires_grad: boolean;
  value: JsonTensor;
  grad: JsonTensor | null;
  /** Id of the gate node that produced this variable; null for variables made by hand. */
  created_by: number | null;
}

/** One applied gate: the record the tape keeps, ordered inputs (duplicates allowed) and outputs. */
export interface GraphNode {
  id: number;
  gate: string;
  /** Variable names, or numbers for literal constants (`a + 1`). */
  inputs: (string | number)[];
  outputs: string[];
  params: Record<string, unknown>;
  /** True while the node waits on the tape; false once backprop has consumed it. */
  on_tape: boolean;
}

/** Everything a workspace holds: its variables, the live tape and every node ever applied. */
export interface WorkspaceState {
  id: string;
  variables: Variable[];
  tape: GraphNode[];
  history: GraphNode[];
  no_grad: boolean;
  /** Bytes the tape keeps alive: the inputs and outputs of its nodes. */
  tape_bytes: number;
  /** Number of the last event this state includes: events up to it need no reload. */
  seq: number;
  /** What the token used may do: "read" for the viewer link. Absent from older servers. */
  access?: Access;
  /** Set when the stored workspace could not be loaded whole; writes are refused until repaired. */
  damage?: Damage | null;
}

/** What a damaged workspace lost: it loaded up to the operation before `at`. */
export interface Damage {
  at: number;
  /** The kind of the first operation that could not be loaded, or "snapshot". */
  kind: string;
  reason: string;
  lost_operations: number;
}

/** What a token allows: everything, or reading and watching only. */
export type Access = "write" | "read";

/** A variable in full, with the ids of the nodes that take it as an input. */
export interface VariableDetail extends Variable {
  consumed_by: number[];
}

/** The answer to creating a workspace: its id and the links that open it. */
export interface CreatedWorkspace {
  id: string;
  token: string;
  viewer_token: string;
  /** Editor link of the form "/w/{id}#{token}". */
  url: string;
  viewer_url: string;
}

/** A gate the engine offers, as published by GET /api/gates. */
export interface GateInfo {
  name: string;
  /** Number of inputs, or null when the gate takes any number. */
  arity: number | null;
  /** JSON Schema of the gate's parameters. */
  params: Record<string, unknown>;
  doc: string;
  multi_output: boolean;
}

/** Body of POST /api/workspaces/{id}/variables. */
export interface NewVariable {
  name: string;
  /** A literal value; give this or `init`. */
  value?: NestedNumbers;
  init?: VariableInit;
  requires_grad: boolean;
  dtype?: Dtype;
}

/** Body of POST /api/workspaces/{id}/gates; inputs are variable names or literal numbers. */
export interface GateApplication {
  gate: string;
  inputs: (string | number)[];
  params: Record<string, unknown>;
  output?: string;
}

/** The answer to applying a gate: the new node and the names of its outputs. */
export interface AppliedGate {
  node: GraphNode;
  outputs: string[];
}

/** What a gate would produce, from a dry run: output shapes and dtypes, and peak memory. */
export interface GatePreview {
  gate: string;
  outputs: { shape: number[]; dtype: string }[];
  bytes: number;
}

/** Body of POST /api/workspaces/{id}/backprop. */
export interface BackpropRequest {
  variable: string;
  seed?: NestedNumbers;
}

/** One step of backprop: the gradient flowing into a node, what it passed to each parent, and
 * each parent's gradient after it (a parent reached by several nodes adds up). */
export interface BackpropStep {
  node: number;
  gate: string;
  grads: Record<string, JsonTensor>;
  upstream: Record<string, JsonTensor>;
  accumulated: Record<string, JsonTensor>;
}

/** The answer to backprop: each step in order and the resulting gradients by name. */
export interface BackpropResult {
  steps: BackpropStep[];
  gradients: Record<string, JsonTensor>;
}

/** Body of POST /api/workspaces/{id}/eval: a small program of assignments. */
export interface EvalRequest {
  source: string;
}

/** The answer to a program: the nodes it recorded and, per assigned name, the variable it holds. */
export interface EvalResult {
  nodes: GraphNode[];
  assigned: Record<string, string>;
}

/** Where a program failed, as the detail of its 422 answer (1-based). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Body of POST /api/workspaces/{id}/gradcheck. */
export interface GradcheckRequest {
  /** The output differentiated; omitted, the root of the last backprop. */
  variable?: string;
  wrt: string[];
}

/** How far backprop's gradient of one input is from finite differences. */
export interface GradcheckEntry {
  max_abs_error: number;
  max_rel_error: number;
  ok: boolean;
}

/** The answer to gradcheck: one entry per input of `wrt`. */
export interface GradcheckResult {
  /** The output differentiated. */
  variable: string;
  results: Record<string, GradcheckEntry>;
}

/** How a variable's starting value is generated instead of typed. */
export interface VariableInit {
  kind: "zeros" | "ones" | "randn" | "uniform" | "arange";
  shape: number[];
  seed?: number;
}

/** The body of every 4xx answer. */
export interface ErrorEnvelope {
  error: { code: string; message: string; detail: unknown };
}

/** The generated datasets a training run can learn: 2-D points of two classes. */
export type DatasetKind = "moons" | "circles" | "spirals" | "xor" | "blobs";
/** Input features the network sees, computed from a point's x and y. */
export type Feature = "x" | "y" | "x2" | "y2" | "xy" | "sin_x" | "sin_y";
export type Activation = "relu" | "tanh" | "sigmoid" | "gelu";
export type LossKind = "softmax_cross_entropy" | "sigmoid_cross_entropy" | "mse";
export type OptimizerKind = "sgd" | "momentum" | "adam";
/** Where a training run is: configured, training in the background, paused, or out of epochs. */
export type TrainingState = "idle" | "running" | "paused" | "done";

/** Body of PUT /api/workspaces/{id}/training: everything a training run needs. */
export interface TrainingConfig {
  dataset: { kind: DatasetKind; n: number; noise: number; seed: number; test_fraction: number };
  model: { hidden: number[]; activation: Activation; features: Feature[]; seed: number };
  loss: LossKind;
  optimizer: { kind: OptimizerKind; lr: number; momentum: number; beta1: number; beta2: number };
  batch_size: number;
  epochs: number;
  l2: number;
  /** Slows training down to watch it; null trains at full speed. */
  max_steps_per_second: number | null;
}

/** Loss and accuracy on both splits; all null before the first epoch ends. */
export interface TrainingMetrics {
  train_loss: number | null;
  test_loss: number | null;
  train_accuracy: number | null;
  test_accuracy: number | null;
}

/** The metrics after one epoch, with each weight matrix's gradient norm ("W1", "W2", ...). */
export interface TrainingHistoryEntry extends TrainingMetrics {
  epoch: number;
  step: number;
  grad_norms: Record<string, number>;
}

/** One node a training step records on its tape (names, "const" for literals). */
export interface StepNode {
  gate: string;
  inputs: string[];
  outputs: string[];
}

/** The answer of every training route: where the run is and how it got there. */
export interface TrainingStatus {
  state: TrainingState;
  epoch: number;
  step: number;
  steps_per_epoch: number;
  metrics: TrainingMetrics;
  history: TrainingHistoryEntry[];
  config: TrainingConfig;
  /** The workspace variables holding the weights: "net_W1", "net_b1", ... */
  parameters: string[];
  /** The nodes the latest step recorded on its tape; empty before the first step. */
  graph: StepNode[];
}

/** The dataset as drawn: points ([x, y]) and 0/1 labels of both splits. */
export interface TrainingPoints {
  train: [number, number][];
  train_labels: number[];
  test: [number, number][];
  test_labels: number[];
}

/** Class-1 probability on a square grid over the data; row 0 is at y_min. */
export interface DecisionBoundary {
  x_min: number;
  x_max: number;
  y_min: number;
  y_max: number;
  resolution: number;
  probabilities: number[][];
}

/** What a 422 answer to a training config names: the field (dotted path) and the problem. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/** A tensor as events carry it: its values when at most 64, else only statistics. */
export interface TensorPreview {
  shape: number[];
  values: JsonTensor | null;
  min: JsonNumber | null;
  max: JsonNumber | null;
  mean: JsonNumber | null;
}

/** A variable as events carry it: what it is, and previews of its value and gradient. */
export interface VariableSummary {
  name: string;
  shape: number[];
  dtype: string;
  requires_grad: boolean;
  created_by: number | null;
  value: TensorPreview;
  grad: TensorPreview | null;
}
