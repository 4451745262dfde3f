/** Types of the Wengert REST contract, mirroring the backend's request and response models. */

/** A scalar or an arbitrarily nested list of numbers, as JSON carries a tensor. */
export type NestedNumbers = number | NestedNumbers[];

/** The floating-point types the engine stores values in. */
export type Dtype = "float64" | "float32";

/** One named value of a workspace, with its gradient once backprop has reached it. */
export interface Variable {
  name: string;
  shape: number[];
  dtype: Dtype;
  requires_grad: boolean;
  value: NestedNumbers;
  grad: NestedNumbers | null;
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
  /** What the token used may do: "read" for the viewer link. Absent from older servers. */
  access?: Access;
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

/** Body of POST /api/workspaces/{id}/backprop. */
export interface BackpropRequest {
  variable: string;
  seed?: NestedNumbers;
}

/** One step of backprop: the gradients a node passed to its parents. */
export interface BackpropStep {
  node: number;
  gate: string;
  grads: Record<string, NestedNumbers>;
}

/** The answer to backprop: each step in order and the resulting gradients by name. */
export interface BackpropResult {
  steps: BackpropStep[];
  gradients: Record<string, NestedNumbers>;
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
  variable: string;
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
