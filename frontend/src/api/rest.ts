/**
 * The REST client: openapi-fetch over the schema generated from the server's OpenAPI document,
 * so every path, parameter, body and answer is typed by the server's own contract. `answer`
 * turns one call into its decoded body (NaN and infinities as numbers) or an ApiError.
 */
import createClient from "openapi-fetch";
import { type Decoded, decodeNonFinite } from "./decode";
import { ApiError, errorFromBody, networkError } from "./errors";
import type { paths } from "./schema.gen";

/**
 * Calls the server the page came from (absolute, because openapi-fetch builds a Request). The
 * global fetch is looked up on each call, not once at load, so a test's stand-in server is used.
 */
export const rest = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? "http://localhost",
  fetch: (request) => globalThis.fetch(request),
});

/** The header that proves a workspace's token. */
export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

/** What an openapi-fetch call resolves with. */
interface Called<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The decoded body of one call, or an ApiError for a refusal or an unreachable server. */
export async function answer<T>(call: Promise<Called<T>>): Promise<Decoded<T>> {
  return decodeNonFinite(await answerAsSent(call));
}

/** The body of one call as the server sent it, left undecoded (an export document is saved to a
 * file and JSON cannot hold a decoded NaN; a picture is a Blob), or an ApiError as `answer` raises it. */
export async function answerAsSent<T>(call: Promise<Called<T>>): Promise<T> {
  const { data, error, response } = await reached(call);
  if (!response.ok) throw errorFromBody(response.status, error);
  return data as T;
}

async function reached<T>(call: Promise<Called<T>>): Promise<Called<T>> {
  try {
    return await call;
  } catch (failure) {
    if (failure instanceof ApiError) throw failure;
    // openapi-fetch parses a successful answer as JSON: a SyntaxError is a body that is not.
    if (failure instanceof SyntaxError) throw new ApiError(0, "bad_response", "The server sent an answer that is not JSON.");
    throw networkError();
  }
}
