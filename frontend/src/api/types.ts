/**
 * Types of the Wengert REST contract, named for the app: each is the generated type of the
 * server's model (schema.gen.ts, from its OpenAPI document), so the compiler sees any drift.
 * Answers are as the client hands them on, non-finite numbers decoded (see decode.ts).
 */
import type { Decoded } from "./decode";
import type { components } from "./schema.gen";

export type { NestedNumbers } from "./decode";

type Schemas = components["schemas"];

/** One named value of a workspace, with its gradient once backprop has reached it. */
export type Variable = Decoded<Schemas["VariableOut"]>;
/** One applied gate: the record the tape keeps, ordered inputs (duplicates allowed) and outputs. */
export type GraphNode = Decoded<Schemas["NodeOut"]>;
/** Everything a workspace holds: its variables, the live tape and every node ever applied. */
export type WorkspaceState = Decoded<Schemas["WorkspaceState"]>;
/** What a damaged workspace lost: it loaded up to the operation before `at`. */
export type Damage = Schemas["Damage"];
/** What a token allows: everything, or reading and watching only. */
export type Access = WorkspaceState["access"];
/** A variable in full, with the ids of the nodes that take it as an input. */
export type VariableDetail = Decoded<Schemas["VariableDetail"]>;
/** The answer to creating a workspace: its id and the links that open it. */
export type CreatedWorkspace = Schemas["WorkspaceCreated"];
/** A gate the engine offers, as published by GET /api/gates. */
export type GateInfo = Schemas["GateInfo"];
/** The floating-point types the engine stores values in. */
export type Dtype = NonNullable<NewVariable["dtype"]>;

/** Body of POST /api/workspaces/{id}/variables. */
export type NewVariable = Schemas["VariableCreate"];
/** How a variable's starting value is generated instead of typed. */
export type VariableInit = Schemas["VariableInit"];
/** Body of POST /api/workspaces/{id}/gates; inputs are variable names or literal numbers.
 * The app always sends params (the form fills them in place). */
export type GateApplication = Schemas["GateApply"] & { params: Record<string, unknown> };
/** Body of POST /api/workspaces/{id}/optimizer/step: one update of the listed parameters. */
export type OptimizerStep = Schemas["OptimizerStepRequest"];
/** Where a NaN or infinity was born: a gate (forward) or a backward step, with a plain explanation. */
export type Anomaly = Decoded<Schemas["AnomalyOut"]>;
/** A gradient's health after backprop (norm, largest |grad|, zeros, ratio) and a ReLU's dead units. */
export type Health = Decoded<Schemas["HealthOut"]>;
/** The answer to applying a gate: the new node and the names of its outputs. */
export type AppliedGate = Schemas["GateApplied"];
/** What a gate would produce, from a dry run: output shapes and dtypes, and peak memory. */
export type GatePreview = Schemas["GatePreview"];
/** Body of POST /api/workspaces/{id}/backprop. */
export type BackpropRequest = Schemas["BackpropRequest"];
/** One step of backprop: what flowed in, what went to each parent, each parent's sum after it. */
export type BackpropStep = Decoded<Schemas["BackpropStepOut"]>;
/** The answer to backprop: each step in order and the resulting gradients by name. */
export type BackpropResult = Decoded<Schemas["BackpropResult"]>;
/** Body of POST /api/workspaces/{id}/eval: a small program of assignments. */
export type EvalRequest = Schemas["EvalRequest"];
/** The answer to a program: the nodes it recorded and, per assigned name, the variable it holds. */
export type EvalResult = Schemas["EvalResult"];
/** Body of POST /api/workspaces/{id}/gradcheck. */
export type GradcheckRequest = Schemas["GradcheckRequest"];
/** How far backprop's gradient of one input is from finite differences. */
export type GradcheckEntry = Schemas["GradcheckEntry"];
/** The answer to gradcheck: one entry per input of `wrt`. */
export type GradcheckResult = Schemas["GradcheckResult"];
/** A workspace as an export file holds it (a state document or a journal), as POST
 * /api/workspaces/import takes it; the server checks a file read from disk. */
export type ExportDocument = Schemas["StateDocumentInput"] | Schemas["JournalDocument"];
/** The body of every 4xx answer. */
export type ErrorEnvelope = Schemas["ErrorResponse"];

/** Where a program failed, as the detail of its 422 answer (1-based). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Everything a training run needs, in full: what the app sends (PUT …/training) and shows. */
export type TrainingConfig = Schemas["TrainingConfig"];
/** Changes to a run that keep its model's shape and data (PATCH …/training): only the fields given change. */
export type TrainingSettings = Schemas["TrainingSettings"];
/** The answer of every training route: where the run is and how it got there. */
export type TrainingStatus = Schemas["TrainingStatus"];
/** Where a training run is: configured, training in the background, paused, or out of epochs. */
export type TrainingState = TrainingStatus["state"];
/** Loss and accuracy on both splits; all null before the first epoch ends. */
export type TrainingMetrics = Schemas["Metrics"];
/** The metrics after one epoch, with each weight matrix's gradient norm ("W1", "W2", ...). */
export type TrainingHistoryEntry = Schemas["HistoryEntry"];
/** One hidden layer on a step: dead ReLU units (null for other activations), gradient norms,
 * and the one-line warning once it has stopped learning. */
export type LayerHealth = Schemas["LayerHealth"];
/** The dataset as drawn: points ([x, y]) and 0/1 labels of both splits. The generator writes
 * arrays of documented length 2 as number[]: the pairs are spelled out here. */
export type TrainingPoints = Omit<Schemas["TrainingPoints"], "train" | "test"> & {
  train: [number, number][];
  test: [number, number][];
};
/** The model's prediction on a square grid over the data; row 0 is at y_min. Classifiers give
 * each cell's class and its probability (and, for two classes, the class-1 probability);
 * regressions the predicted value. */
export type DecisionBoundary = Schemas["DecisionBoundary"];
/** What setting the user's own points answers: the points and the run they reset. */
export type TrainingDataAnswer = Schemas["TrainingDataAnswer"];

/** The datasets a training run can learn: generated classes or values, or the user's own points. */
export type DatasetKind = TrainingConfig["dataset"]["kind"];
/** Input features the network sees, computed from a point's x and y. */
export type Feature = TrainingConfig["model"]["features"][number];
export type Activation = TrainingConfig["model"]["activation"];
export type LossKind = TrainingConfig["loss"];
export type OptimizerKind = TrainingConfig["optimizer"]["kind"];

/** Every unit of the network as a tile over the input plane, with the weights between them. */
export type NetworkDrawing = Schemas["NetworkDrawing"];
/** One layer of the drawing: the input features, a hidden layer or the outputs. */
export type NetworkLayer = Schemas["NetworkLayer"];
/** Sets one element of a weight or bias: `{parameter: "net_W1", index: [0, 3], value: 0.5}`. */
export type WeightEdit = Schemas["WeightEdit"];
/** What a weight edit changed: the element, its value before and after. */
export type WeightChange = Schemas["WeightChange"];

/** One node a training step records on its tape (names, "const" for literals). */
export type StepNode = Schemas["StepNode"];

/** What a 422 answer to a training config names: the field (dotted path) and the problem. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/** A tensor as events carry it: its values when at most 64, else only statistics. */
export type TensorPreview = Decoded<Schemas["TensorPreview"]>;
/** A variable as events carry it: what it is, and previews of its value and gradient. */
export type VariableSummary = Decoded<Schemas["VariableSummary"]>;
