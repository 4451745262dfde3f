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
  inputs: string[];
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
  value: NestedNumbers;
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

/** The body of every 4xx answer. */
export interface ErrorEnvelope {
  error: { code: string; message: string; detail: unknown };
}
