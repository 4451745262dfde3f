/**
 * The training setup in the address bar ("?view=training&setup=…"), so a link shares it: the
 * applied config as URL-safe base64 JSON. Opening such a link where the run may be changed
 * applies the setup it carries. Pure, so it can be tested.
 */
import type { TrainingConfig } from "../api/types";

const PARAM = "setup";

/** `href` with its setup parameter set to `config`; the path, other parameters and the hash (the token) stay. */
export function withSetup(href: string, config: TrainingConfig): string {
  const url = new URL(href);
  url.searchParams.set(PARAM, btoa(JSON.stringify(config)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""));
  return url.toString();
}

/**
 * The setup a link's query carries; null when it has none or it cannot be read. Its fields are
 * the server's to check when it is applied (a 422 names any out of range).
 */
export function setupOf(search: string): TrainingConfig | null {
  const text = new URLSearchParams(search).get(PARAM);
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
    return isConfigShaped(parsed) ? (parsed as TrainingConfig) : null;
  } catch {
    return null;
  }
}

function isConfigShaped(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { dataset, model, optimizer } = value as Record<string, unknown>;
  return [dataset, model, optimizer].every((part) => typeof part === "object" && part !== null);
}
