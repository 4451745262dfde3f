/**
 * The typed client for the Wengert REST API: the only module that calls fetch.
 * Every function resolves with the parsed answer, NaN and infinities decoded into numbers,
 * or rejects with an ApiError.
 */
import { decodeNonFinite } from "./decode";
import { ApiError, errorFromBody, networkError } from "./errors";
import type {
  AppliedGate,
  BackpropRequest,
  BackpropResult,
  CreatedWorkspace,
  DecisionBoundary,
  EvalResult,
  GateApplication,
  GateInfo,
  GatePreview,
  GradcheckRequest,
  GradcheckResult,
  NetworkDrawing,
  NewVariable,
  OptimizerStep,
  TrainingConfig,
  TrainingDataAnswer,
  TrainingPoints,
  TrainingSettings,
  TrainingStatus,
  Variable,
  VariableDetail,
  WeightChange,
  WeightEdit,
  WorkspaceState,
} from "./types";

/** What it takes to act on a workspace: its id and the secret token from the link. */
export interface WorkspaceAccess {
  id: string;
  token: string;
}

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** A variable in full and its version: the ETag to send next time, null if the server gave none. */
export interface VariableVersion {
  detail: VariableDetail;
  etag: string | null;
}

/** Creates a new, empty workspace. */
export function createWorkspace(): Promise<CreatedWorkspace> {
  return request("/api/workspaces", { method: "POST", body: {} });
}

/** Lists the gates the engine offers; a workspace token, when given, is sent along. */
export function listGates(token?: string): Promise<GateInfo[]> {
  return request("/api/gates", token === undefined ? {} : { token });
}

/** Loads the full state of a workspace. */
export function getWorkspace(ws: WorkspaceAccess): Promise<WorkspaceState> {
  return request(workspacePath(ws), { token: ws.token });
}

/** Adds a variable to a workspace. */
export function addVariable(ws: WorkspaceAccess, variable: NewVariable): Promise<Variable> {
  return request(`${workspacePath(ws)}/variables`, { method: "POST", body: variable, token: ws.token });
}

/** Applies a gate to variables of a workspace, recording a node on its tape. */
export function applyGate(ws: WorkspaceAccess, application: GateApplication): Promise<AppliedGate> {
  return request(`${workspacePath(ws)}/gates`, { method: "POST", body: application, token: ws.token });
}

/** What applying a gate would produce and need, answered from shapes alone; records nothing. */
export function previewGate(ws: WorkspaceAccess, application: GateApplication): Promise<GatePreview> {
  const body = { ...application, dry_run: true };
  return request(`${workspacePath(ws)}/gates`, { method: "POST", body, token: ws.token });
}

/** Runs backprop from one variable, consuming the tape. */
export function backprop(ws: WorkspaceAccess, body: BackpropRequest): Promise<BackpropResult> {
  return request(`${workspacePath(ws)}/backprop`, { method: "POST", body, token: ws.token });
}

/**
 * Runs a program of assignments (`c = a * b`, `a = -4`); a 422 carries the failing line and column
 * in detail. ``again`` runs it as the next turn of a loop: leaves it defines that exist are kept;
 * ``allowNonfinite`` keeps results that are NaN or infinite instead of refusing them.
 */
export function evaluate(ws: WorkspaceAccess, source: string, again = false, allowNonfinite = false): Promise<EvalResult> {
  const body = { source, again, allow_nonfinite: allowNonfinite };
  return request(`${workspacePath(ws)}/eval`, { method: "POST", body, token: ws.token });
}

/** One optimizer update of the listed parameters from their gradients (their values change in place). */
export function optimizerStep(ws: WorkspaceAccess, body: OptimizerStep): Promise<unknown> {
  return request(`${workspacePath(ws)}/optimizer/step`, { method: "POST", body, token: ws.token });
}

/** Resets gradients to zero: of the named variables, or of every variable when none are named. */
export function zeroGrad(ws: WorkspaceAccess, variables?: string[]): Promise<WorkspaceState> {
  const body = variables === undefined ? {} : { variables };
  return request(`${workspacePath(ws)}/zero_grad`, { method: "POST", body, token: ws.token });
}

/** Turns no-grad mode on or off; while on, gates record nothing on the tape. */
export function setNoGrad(ws: WorkspaceAccess, enabled: boolean): Promise<WorkspaceState> {
  return request(`${workspacePath(ws)}/no_grad`, { method: "PUT", body: { enabled }, token: ws.token });
}

/** Makes a damaged workspace writable again, dropping for good what it lost. */
export function repairWorkspace(ws: WorkspaceAccess): Promise<WorkspaceState> {
  return request(`${workspacePath(ws)}/repair`, { method: "POST", token: ws.token });
}

/** Compares backprop's gradients with finite differences on a private tape; viewers may run it. */
export function gradcheck(ws: WorkspaceAccess, body: GradcheckRequest): Promise<GradcheckResult> {
  return request(`${workspacePath(ws)}/gradcheck`, { method: "POST", body, token: ws.token });
}

/**
 * One variable in full, with the nodes that consume it; "unchanged" (a 304, no body) when it is
 * still at version `etag`, which the caller holds from an earlier answer.
 */
export async function getVariableIfChanged(
  ws: WorkspaceAccess,
  name: string,
  etag: string | null,
): Promise<VariableVersion | "unchanged"> {
  const headers: Record<string, string> = etag === null ? {} : { "If-None-Match": etag };
  const response = await send(`${workspacePath(ws)}/variables/${encodeURIComponent(name)}`, { token: ws.token, headers });
  if (response.status === 304) return "unchanged";
  const detail = await parse<VariableDetail>(response);
  return { detail, etag: response.headers.get("ETag") };
}

/** The workspace as a versioned JSON export document, as the server wrote it (it is saved to a
 * file, and JSON cannot hold a decoded NaN). */
export async function exportJson(ws: WorkspaceAccess): Promise<unknown> {
  return readAnswer(await send(`${workspacePath(ws)}/export`, { token: ws.token }));
}

/** A runnable Python script that rebuilds the workspace's graph. */
export function exportPython(ws: WorkspaceAccess): Promise<string> {
  return requestText(`${workspacePath(ws)}/export.py`, { token: ws.token });
}

/** Deletes a workspace and everything in it; watchers receive a `deleted` event. */
export function deleteWorkspace(ws: WorkspaceAccess): Promise<void> {
  return request(workspacePath(ws), { method: "DELETE", token: ws.token });
}

/** Creates a new workspace from an export document. */
export function importWorkspace(document: unknown): Promise<CreatedWorkspace> {
  return request("/api/workspaces/import", { method: "POST", body: document });
}

// Training: a run configured with PUT, controlled by POSTs, watched with GETs.

/** The training run's status; before one is configured its state is "unconfigured", with the default config. */
export function getTraining(ws: WorkspaceAccess): Promise<TrainingStatus> {
  return request(`${workspacePath(ws)}/training`, { token: ws.token });
}

/** Sets up (or replaces) the training run; a 422 names each bad field in detail ({field, problem}). */
export function configureTraining(ws: WorkspaceAccess, config: TrainingConfig): Promise<TrainingStatus> {
  return request(`${workspacePath(ws)}/training`, { method: "PUT", body: config, token: ws.token });
}

/** Changes the settings that keep the model's shape (learning rate, optimizer, L1, L2, batch size,
 * epochs, speed) without a reset; a 422 names a field that would change the model or data. */
export function adjustTraining(ws: WorkspaceAccess, settings: TrainingSettings): Promise<TrainingStatus> {
  return request(`${workspacePath(ws)}/training`, { method: "PATCH", body: settings, token: ws.token });
}

/** What a training control does: start or pause the background run, one step, or start over. */
export type TrainingAction = "start" | "pause" | "step" | "reset";

/** Runs one training control; a 409 when the run's state does not allow it. */
export function controlTraining(ws: WorkspaceAccess, action: TrainingAction): Promise<TrainingStatus> {
  return request(`${workspacePath(ws)}/training/${action}`, { method: "POST", token: ws.token });
}

/** The training run's dataset: points and labels of both splits. */
export function getTrainingPoints(ws: WorkspaceAccess): Promise<TrainingPoints> {
  return request(`${workspacePath(ws)}/training/points`, { token: ws.token });
}

/** The user's own points, `[x, y, label]` each, in the order they were set. */
export function getTrainingData(ws: WorkspaceAccess): Promise<{ points: number[][] }> {
  return request(`${workspacePath(ws)}/training/data`, { token: ws.token });
}

/** Replaces the user's own points and resets the run; a 422 names the first bad point ("points.3"). */
export function setTrainingData(ws: WorkspaceAccess, points: readonly (readonly number[])[]): Promise<TrainingDataAnswer> {
  return request(`${workspacePath(ws)}/training/data`, { method: "PUT", body: { points }, token: ws.token });
}

/** The points a dataset config would give, drawn before it is applied; changes nothing. */
export function previewTrainingPoints(ws: WorkspaceAccess, dataset: TrainingConfig["dataset"]): Promise<TrainingPoints> {
  return request(`${workspacePath(ws)}/training/points/preview`, { method: "POST", body: dataset, token: ws.token });
}

/** The model's prediction on a `resolution`² grid over the data: classes or values. */
export function getDecisionBoundary(ws: WorkspaceAccess, resolution: number): Promise<DecisionBoundary> {
  return request(`${workspacePath(ws)}/training/boundary?resolution=${resolution}`, { token: ws.token });
}

/** Every unit's value over a `resolution`² grid (the boundary's), and the weights between them. */
export function getNetwork(ws: WorkspaceAccess, resolution: number): Promise<NetworkDrawing> {
  return request(`${workspacePath(ws)}/training/network?resolution=${resolution}`, { token: ws.token });
}

/** Sets one weight of the run; a 422 for an unknown parameter or an index outside it. */
export function editWeight(ws: WorkspaceAccess, edit: WeightEdit): Promise<WeightChange> {
  return request(`${workspacePath(ws)}/training/weights`, { method: "PUT", body: edit, token: ws.token });
}

/** A short-lived, read-only ticket that opens the workspace's event stream. */
export async function streamTicket(ws: WorkspaceAccess): Promise<string> {
  const answer = await request<{ ticket: string }>(`${workspacePath(ws)}/events/ticket`, {
    method: "POST",
    token: ws.token,
  });
  return answer.ticket;
}

function workspacePath(ws: WorkspaceAccess): string {
  return `/api/workspaces/${encodeURIComponent(ws.id)}`;
}

/** Sends one request and returns its JSON body, or throws an ApiError. */
async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return parse<T>(await send(path, options));
}

/** The JSON body of an answer with its non-finite numbers decoded, or an ApiError. */
async function parse<T>(response: Response): Promise<T> {
  return decodeNonFinite(await readAnswer(response)) as T;
}

/** The JSON body of an answer, or an ApiError when it is a refusal or not JSON. */
async function readAnswer(response: Response): Promise<unknown> {
  const body = await readJson(response);
  if (!response.ok) throw errorFromBody(response.status, body);
  if (response.status === 204) return undefined;
  if (body === undefined) {
    throw new ApiError(response.status, "bad_response", "The server sent an answer that is not JSON.");
  }
  return body;
}

/** Sends one request and returns its body as text, or throws an ApiError. */
async function requestText(path: string, options: RequestOptions = {}): Promise<string> {
  const response = await send(path, options);
  if (!response.ok) throw errorFromBody(response.status, await readJson(response));
  return response.text();
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  try {
    return await fetch(path, toInit(options));
  } catch {
    throw networkError();
  }
}

function toInit({ method = "GET", body, token, headers: extra = {} }: RequestOptions): RequestInit {
  const headers: Record<string, string> = { Accept: "application/json", ...extra };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  if (body === undefined) return { method, headers };
  headers["Content-Type"] = "application/json";
  return { method, headers, body: JSON.stringify(body) };
}

/** The parsed JSON body, or undefined when the body is empty or not JSON. */
async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}
