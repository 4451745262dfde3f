/**
 * The typed client for the Wengert REST API: the only module that calls fetch.
 * Every function resolves with the parsed answer or rejects with an ApiError.
 */
import { ApiError, errorFromBody, networkError } from "./errors";
import type {
  AppliedGate,
  BackpropRequest,
  BackpropResult,
  CreatedWorkspace,
  GateApplication,
  GateInfo,
  NewVariable,
  Variable,
  WorkspaceState,
} from "./types";

/** What it takes to act on a workspace: its id and the secret token from the link. */
export interface WorkspaceAccess {
  id: string;
  token: string;
}

interface RequestOptions {
  method?: "GET" | "POST";
  body?: unknown;
  token?: string;
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

/** Runs backprop from one variable, consuming the tape. */
export function backprop(ws: WorkspaceAccess, body: BackpropRequest): Promise<BackpropResult> {
  return request(`${workspacePath(ws)}/backprop`, { method: "POST", body, token: ws.token });
}

function workspacePath(ws: WorkspaceAccess): string {
  return `/api/workspaces/${encodeURIComponent(ws.id)}`;
}

/** Sends one request and returns its JSON body, or throws an ApiError. */
async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, toInit(options));
  } catch {
    throw networkError();
  }
  const body = await readJson(response);
  if (!response.ok) throw errorFromBody(response.status, body);
  if (body === undefined) {
    throw new ApiError(response.status, "bad_response", "The server sent an answer that is not JSON.");
  }
  return body as T;
}

function toInit({ method = "GET", body, token }: RequestOptions): RequestInit {
  const headers: Record<string, string> = { Accept: "application/json" };
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
