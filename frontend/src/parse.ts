/** Reading what a person typed into a value, shape or whole-number field. */
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

/** The outcome of reading a typed shape: the sizes, or a sentence saying what is wrong. */
export type ParsedShape = { ok: true; shape: number[] } | { ok: false; message: string };

/** The most dimensions a tensor may have, as the server allows. */
export const MAX_DIMENSIONS = 8;

const SHAPE_HINT = "Type sizes such as 3, 2 or [3, 2], or leave it empty for a scalar.";

/**
 * Reads a shape as people write it: "3, 2", "[3, 2]", "(3, 2)", "3 2" or "3×2" (as the cards
 * show shapes); "" or "[]" is a scalar, and a trailing comma ("3,") is allowed.
 */
export function parseShape(text: string): ParsedShape {
  const trimmed = text.trim();
  const bracketed = /^\[(.*)\]$|^\((.*)\)$/s.exec(trimmed);
  const inner = (bracketed === null ? trimmed : (bracketed[1] ?? bracketed[2] ?? "")).trim().replace(/,\s*$/, "");
  if (inner === "") return { ok: true, shape: [] };
  const sizes = inner.split(/\s*[,×xX]\s*|\s+/).map(parseWholeNumber);
  if (sizes.some((size) => size === null)) {
    return { ok: false, message: `Shape "${trimmed}" is not a list of whole numbers. ${SHAPE_HINT}` };
  }
  if (sizes.length > MAX_DIMENSIONS) {
    return { ok: false, message: `Shape "${trimmed}" has ${sizes.length} dimensions; at most ${MAX_DIMENSIONS} are allowed.` };
  }
  return { ok: true, shape: sizes as number[] };
}

/** A whole number of 0 or more written in digits ("12"), else null ("1.5", "-1", "1e3", ""). */
export function parseWholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}
