/** ApiError, the one error type the API client throws, and how it is read from an answer. */

/** A failed API call, carrying the server's error code and a message fit to show a person. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  /**
   * @param status HTTP status, or 0 when the server could not be reached at all.
   * @param code   machine-readable code from the error envelope, e.g. "name_taken".
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: unknown = null,
  ) {
    super(message);
  }
}

/** The error for a request that never got an answer (server down, network gone). */
export function networkError(): ApiError {
  return new ApiError(
    0,
    "network",
    "Could not reach the Wengert server. Check that it is running, then try again.",
  );
}

/** Turns the body of a failed answer into an ApiError, whatever shape the body has. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const envelope = field(body, "error");
  const message = field(envelope, "message");
  if (typeof message === "string" && message !== "") {
    const code = field(envelope, "code");
    return new ApiError(status, typeof code === "string" ? code : "error", message, field(envelope, "detail") ?? null);
  }
  const detail = field(body, "detail");
  const fromDetail = describeDetail(detail);
  if (fromDetail !== null) return new ApiError(status, "invalid_request", fromDetail, detail);
  return new ApiError(status, "http_error", describeStatus(status), body ?? null);
}

/** Reads a FastAPI-style `detail` (a string or a list of validation issues) as one sentence. */
function describeDetail(detail: unknown): string | null {
  if (typeof detail === "string" && detail !== "") return detail;
  if (!Array.isArray(detail) || detail.length === 0) return null;
  const issues = detail.map(describeIssue).filter((issue) => issue !== "");
  return issues.length > 0 ? issues.join("; ") : null;
}

/** One validation issue as "where: what", e.g. "value: Input should be a valid number". */
function describeIssue(issue: unknown): string {
  const msg = field(issue, "msg");
  if (typeof msg !== "string") return "";
  const loc = field(issue, "loc");
  const where = Array.isArray(loc) ? loc.filter((part) => part !== "body").join(".") : "";
  return where === "" ? msg : `${where}: ${msg}`;
}

/** A plain sentence for an HTTP status when the body says nothing useful. */
function describeStatus(status: number): string {
  if (status === 401 || status === 403) return "This link does not give access to that workspace.";
  if (status === 404) return "Not found: the workspace may have been deleted, or the link is wrong.";
  if (status >= 500) return `The server failed to answer (error ${status}). Try again in a moment.`;
  return `The request was refused (error ${status}).`;
}

/** `value[key]` when value is an object, else undefined. */
function field(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  return (value as Record<string, unknown>)[key];
}
