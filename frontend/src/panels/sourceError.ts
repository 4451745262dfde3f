/** Where in a program an error points, read from an API error, and the line it points into. */
import type { ApiError } from "../api/errors";
import type { SourcePosition } from "../api/types";

/** The 1-based line and column an expression error carries in its detail, or null. */
export function sourcePosition(error: ApiError): SourcePosition | null {
  const detail = error.detail as Partial<SourcePosition> | null;
  if (typeof detail !== "object" || detail === null) return null;
  const { line, column } = detail;
  return Number.isInteger(line) && Number.isInteger(column) ? { line: line as number, column: column as number } : null;
}

/** The offending line of `source` and a caret under its column: ["d = c * * 2", "        ^"]. */
export function markError(source: string, { line, column }: SourcePosition): [string, string] {
  const text = source.split(/\r\n|\r|\n/)[line - 1] ?? "";
  // Tabs keep their width in the marker so the caret stays under the right character.
  const lead = [...text.slice(0, Math.max(column - 1, 0))].map((ch) => (ch === "\t" ? "\t" : " ")).join("");
  return [text, `${lead}^`];
}
