/**
 * Calling REST on one workspace: what it takes (`WorkspaceAccess`), the path parameter and
 * bearer header every call on it sends (`onWorkspace`), and the one read with logic of its own
 * (a variable by version). Every other call is `answer(rest.VERB(path, …))` at its caller,
 * typed by the generated schema, so no path or body type is restated here.
 */
import { ApiError } from "./errors";
import { answer, bearer, rest } from "./rest";
import type { VariableDetail } from "./types";

/** What it takes to act on a workspace: its id and the secret token from the link. */
export interface WorkspaceAccess {
  id: string;
  token: string;
}

/** The parameters and headers of a call on one workspace, with the call's query if it has one:
 * `rest.GET("/api/workspaces/{workspace_id}/training", onWorkspace(access))`. */
export function onWorkspace<Query extends object = never>(ws: WorkspaceAccess, query?: Query) {
  const path = { workspace_id: ws.id };
  const params = query === undefined ? { path } : { path, query };
  // Typed as always carrying `query` (never, when there is none: openapi-fetch types a path
  // without one as `query?: never`), so one helper serves calls with and without a query.
  return { params: params as { path: typeof path; query: Query }, headers: bearer(ws.token) };
}

/** A variable in full and its version: the ETag to send next time, null if the server gave none. */
export interface VariableVersion {
  detail: VariableDetail;
  etag: string | null;
}

/**
 * One variable in full, with the nodes that consume it; "unchanged" (a 304, no body) when it is
 * still at version `etag`, which the caller holds from an earlier answer.
 */
export async function getVariableIfChanged(ws: WorkspaceAccess, name: string, etag: string | null): Promise<VariableVersion | "unchanged"> {
  const call = rest.GET("/api/workspaces/{workspace_id}/variables/{name}", {
    params: { path: { workspace_id: ws.id, name } },
    headers: etag === null ? bearer(ws.token) : { ...bearer(ws.token), "If-None-Match": etag },
  });
  try {
    // The route also answers .npy bytes, so the schema types its body as unknown: JSON is asked for here.
    const detail = (await answer(call)) as VariableDetail;
    return { detail, etag: (await call).response.headers.get("ETag") };
  } catch (error) {
    // A 304 is no failure: the version held is still the newest.
    if (error instanceof ApiError && error.status === 304) return "unchanged";
    throw error;
  }
}
