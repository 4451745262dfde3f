/** Reading what a person typed into a value field. */
import type { NestedNumbers } from "./api/types";

/** The outcome of reading a typed value: the value, or a sentence saying what is wrong. */
export type Parsed = { ok: true; value: NestedNumbers } | { ok: false; message: string };

const HINT = "Type a number such as 2.5, or a nested list such as [[1, 2], [3, 4]].";

/** Reads a number ("2.5", ".5", "1e-3") or a JSON nested list of numbers ("[[1, 2], [3, 4]]"). */
export function parseValue(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: `Value is empty. ${HINT}` };
  const scalar = Number(trimmed);
  if (Number.isFinite(scalar)) return { ok: true, value: scalar };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { ok: false, message: `"${trimmed}" is not a number or a list. ${HINT}` };
  }
  return isNestedNumbers(json) ? { ok: true, value: json } : { ok: false, message: `Value holds something other than numbers. ${HINT}` };
}

function isNestedNumbers(value: unknown): value is NestedNumbers {
  if (typeof value === "number") return Number.isFinite(value);
  return Array.isArray(value) && value.every(isNestedNumbers);
}
