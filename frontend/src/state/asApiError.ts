/** Coercing anything caught into an ApiError, so the UI has one error type to show. */
import { ApiError } from "../api/errors";

/** The error itself when it is an ApiError; otherwise an ApiError that says something unexpected broke. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ApiError(0, "unexpected", `Something unexpected went wrong: ${reason}`);
}
